"""World contracts through the Spark engine: the planted defects, the same verdicts as DuckDB.

Three of tests/fixtures/contracts/world/ (SQL syntax in names and physicalNames, mixed case,
composite keys), synthesized with defects: Spark rejects exactly the planted (line, rule) pairs,
as the DuckDB engine does in tests/e2e/test_world_contracts.py, with the same accounting, and
writes every table under its physicalName.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from contractbook.contract import load
from contractbook.ingest.hints import rejects_table
from contractbook.sqltext import ident

pytestmark = [pytest.mark.spark, pytest.mark.slow]
WORLD = Path(__file__).resolve().parents[1] / "fixtures" / "contracts" / "world"
ROWS = 60


@pytest.mark.parametrize(
    "name", ["v320_odd_names", "v302_events_mixed_case", "v310_sales_composite"]
)
def test_world_contract_same_verdicts_as_duckdb(name, spark, tmp_path):
    from contractbook.ingest.run import check_all, new_run
    from contractbook.spark.ingest import ingest
    from contractbook.spark.sql import folder
    from contractbook.synth import generate, plugins
    from contractbook.synth.targets import targets

    contract = load(WORLD / f"{name}.yaml")
    raw = tmp_path / "raw"
    found = targets(contract, plugins.for_contract(contract).sql_planters)
    # one defect for every rule a defect kind can break, as the DuckDB world test plants them
    spec = ",".join(f"{k}={len(v)}" for k, v in found.items() if v)
    result = generate(contract, ROWS, 5, raw, defects=spec, progress=None)
    planted = {(m["table"], int(m["line"]), m["rule_id"]) for m in result.defects}
    assert planted
    con = duckdb.connect()
    duck = check_all(con, contract, raw, new_run(), progress=lambda *_: None)
    sp = ingest(
        contract,
        raw,
        tmp_path / "out",
        tmp_path / "rej",
        tmp_path / "state",
        spark=spark,
        progress=lambda *_: None,
    )
    assert sp.ok, sp.accounting()
    for t, d in duck.items():
        s = sp.checks[t]
        assert (s.read, s.accepted, s.rejected, s.malformed, s.warned) == (
            d.read,
            d.accepted,
            d.rejected,
            d.malformed,
            d.warned,
        ), t
        assert (s.reasons, s.warnings, s.cascaded) == (d.reasons, d.warnings, d.cascaded), t
    got = set()
    for t in contract.tables:
        glob = f"{tmp_path / 'out' / folder(rejects_table(t))}/*.parquet"
        rows = con.execute(
            "SELECT source_line, reject_reasons FROM read_parquet(?)", [glob]
        ).fetchall()
        got |= {(t.name, line, rule) for line, reasons in rows for rule in json.loads(reasons)}
        cols = con.sql(
            "SELECT * FROM read_parquet($p)",
            params={"p": f"{tmp_path / 'out' / folder(t.physical)}/*.parquet"},
        ).columns
        assert cols == [c.physical for c in t.columns], t.name
    duck_rejected = {
        (t, line, rule)
        for t in duck
        for line, reasons in con.execute(
            f"SELECT source_line, reject_reasons FROM work.{ident('rej_' + t)}"
        ).fetchall()
        for rule in json.loads(reasons)
    }
    assert got == duck_rejected == planted
