"""The generated standalone pipeline runs as written and loads the clean fixture."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import duckdb

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
