"""The generated standalone pipeline runs as written and loads the clean fixture."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[2]
PIPELINE = ROOT / "contracts" / "olist_mini" / "generated" / "dlt" / "pipeline.py"
CLEAN = ROOT / "tests" / "fixtures" / "ingest" / "clean"


def test_generated_pipeline_loads_clean_data(tmp_path, monkeypatch):
    import dlt

    spec = importlib.util.spec_from_file_location("generated_pipeline", PIPELINE)
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)  # dlt's decorators look the module up
    spec.loader.exec_module(module)
    monkeypatch.setenv("RUNTIME__DLTHUB_TELEMETRY", "false")
    pipe = dlt.pipeline(
        pipeline_name="gen",
        pipelines_dir=str(tmp_path / "state"),
        destination=dlt.destinations.duckdb(str(tmp_path / "g.duckdb")),
        dataset_name="olist",
    )
    for _ in range(2):  # merge on the key: a rerun changes nothing
        pipe.run(module.olist_mini(str(CLEAN))).raise_on_failed_jobs()
    con = duckdb.connect(str(tmp_path / "g.duckdb"), read_only=True)
    assert con.execute("SELECT count(*) FROM olist.order_items").fetchall()[0][0] == 3
    assert con.execute(
        "SELECT customer_zip_code_prefix FROM olist.customers ORDER BY 1"
    ).fetchall()[0] == ("01310",)


WORLD = ROOT / "tests" / "fixtures" / "contracts" / "world"


@pytest.mark.parametrize("name", ["v302_events_mixed_case", "v320_odd_names"])
def test_generated_pipeline_lands_physical_names_as_the_ingest_does(name, tmp_path, monkeypatch):
    """Mixed case, spaces, quotes and SQL in names: the tables and columns the DDL names."""
    import dlt

    from contractbook.contract import load
    from contractbook.dltgen import files
    from contractbook.dltgen.generate import _py_name
    from contractbook.sqltext import ident
    from contractbook.synth import generate

    contract = load(WORLD / f"{name}.yaml")
    path = tmp_path / "pipeline.py"
    path.write_text(files(contract)["pipeline.py"], encoding="utf-8")
    spec = importlib.util.spec_from_file_location(f"generated_{name}", path)
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)
    spec.loader.exec_module(module)
    monkeypatch.setenv("RUNTIME__DLTHUB_TELEMETRY", "false")
    raw = generate(contract, 40, 3, tmp_path / "raw", progress=None)
    pipe = dlt.pipeline(
        pipeline_name="gen",
        pipelines_dir=str(tmp_path / "state"),
        destination=dlt.destinations.duckdb(str(tmp_path / "g.duckdb")),
        dataset_name="ds",
    )
    source = getattr(module, _py_name(contract.name))
    for _ in range(2):  # merge on the key: a rerun changes nothing
        pipe.run(source(str(tmp_path / "raw"))).raise_on_failed_jobs()
    con = duckdb.connect(str(tmp_path / "g.duckdb"), read_only=True)
    for t in contract.tables:
        cols = [
            r[0]
            for r in con.execute(
                "SELECT column_name FROM duckdb_columns() WHERE schema_name = 'ds' "
                "AND table_name = ? AND column_name NOT LIKE '\\_dlt%' ESCAPE '\\' "
                "ORDER BY column_index",
                [t.physical],
            ).fetchall()
        ]
        assert cols == [c.physical for c in t.columns], t.name
        n = con.execute(f"SELECT count(*) FROM ds.{ident(t.physical)}").fetchall()[0][0]
        assert n == raw.rows[t.name]
