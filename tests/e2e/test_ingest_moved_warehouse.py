"""A warehouse copied or moved to another path, then ingested again, is merged into: no row is
doubled although the dlt pipeline (named by the warehouse's location) starts without state."""

from __future__ import annotations

import shutil

import duckdb

from contractbook.contract import load
from contractbook.ingest.run import ingest
from contractbook.synth import generate
from support.project import ROOT

CONTRACT = ROOT / "contracts" / "olist_mini" / "contract.yaml"


def _counts(warehouse) -> dict[str, int]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {
            t: con.execute(f'SELECT count(*) FROM olist."{t}"').fetchone()[0]
            for t in ("orders", "order_items", "order_payments", "customers")
        }


def test_reingesting_a_moved_warehouse_doubles_nothing(tmp_path):
    contract = load(CONTRACT)
    generate(contract, n_orders=80, seed=5, out_dir=tmp_path / "raw", defects="all=1")
    first = tmp_path / "a" / "warehouse.duckdb"
    first.parent.mkdir()
    state = tmp_path / "state"
    ingest(
        contract,
        tmp_path / "raw",
        "duckdb",
        first,
        rejects_dir=tmp_path / "rej",
        state_dir=state,
        progress=lambda _: None,
    )
    before = _counts(first)
    moved = tmp_path / "b" / "warehouse.duckdb"
    moved.parent.mkdir()
    shutil.copy(first, moved)
    result = ingest(
        contract,
        tmp_path / "raw",
        "duckdb",
        moved,
        rejects_dir=tmp_path / "rej",
        state_dir=state,
        progress=lambda _: None,
    )
    assert result.ok
    assert _counts(moved) == before and min(before.values()) > 0
