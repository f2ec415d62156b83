"""Ingest into DuckDB with dlt: accounting, rejects as data, metrics, idempotence, crash, CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from contractbook.cli import main
from contractbook.ingest import load
from contractbook.ingest.run import ingest

CLEAN = Path(__file__).resolve().parents[1] / "fixtures" / "ingest" / "clean"


@pytest.fixture
def data(tmp_path) -> Path:
    """The clean fixture plus three defects: an invalid status, a duplicate key, a short line."""
    d = Path(shutil.copytree(CLEAN, tmp_path / "raw"))
    orders = (d / "orders.csv").read_text().splitlines()
    orders[3] = orders[3].replace("created", "lost")  # line 4; o3 has a review -> FK cascade
    items = (d / "order_items.csv").read_text().splitlines()
    items += [items[3], "x,1"]  # line 5: duplicate key; line 6: column count
    (d / "orders.csv").write_text("\n".join(orders) + "\n")
    (d / "order_items.csv").write_text("\n".join(items) + "\n")
    return d


def _run(contract, data, tmp_path, **kw):
    return ingest(
        contract,
        data,
        warehouse=tmp_path / "wh.duckdb",
        rejects_dir=tmp_path / "rejects",
        state_dir=tmp_path / "state",
        progress=lambda *_: None,
        **kw,
    )


def _snapshot(path: Path, contract) -> dict:
    con = duckdb.connect(str(path), read_only=True)
    out = {
        t: sorted(con.execute(f'SELECT * FROM olist."{t}"').fetchall(), key=repr)
        for t in contract.table_names
    }
    out |= {
        f"{t}__rejects": sorted(
            con.execute(
                f'SELECT source_file, source_line, reject_reasons FROM olist."{t}__rejects" '
                "WHERE resolved_by_run IS NULL"
            ).fetchall()
        )  # the open rejects: history is kept
        for t in contract.table_names
    }
    con.close()
    return out


def test_ingest_accounts_for_every_row_and_keeps_rejects(contract, data, tmp_path):
    r = _run(contract, data, tmp_path)
    assert r.ok
    acc = {a.table: (a.read, a.loaded, a.rejected) for a in r.accounting()}
    assert acc["orders"] == (3, 2, 1) and acc["order_items"] == (5, 3, 2)
    assert acc["order_reviews"] == (3, 2, 1)
    snap = _snapshot(tmp_path / "wh.duckdb", contract)
    assert snap["order_items__rejects"] == [
        ("order_items.csv", 5, '["order_items.primary_key"]'),
        ("order_items.csv", 6, '["order_items.csv.column_count"]'),
    ]
    assert snap["order_reviews__rejects"] == [
        ("order_reviews.csv", 5, '["order_reviews.foreign_key.order_reviews_order"]')
    ]
    con = duckdb.connect(str(tmp_path / "wh.duckdb"), read_only=True)
    row = con.execute(
        "SELECT order_status, contract_version, run_id, ingested_at FROM olist.orders__rejects"
    ).fetchall()[0]
    assert row[:3] == ("lost", "2.0.0", r.run_id) and row[3] is not None
    metrics = con.execute(
        "SELECT table_name, rows_read, rows_loaded, rows_rejected, "
        "rejected_by_reason, accounting_ok FROM olist._run_metrics "
        "WHERE table_name = 'orders'"
    ).fetchall()
    assert metrics == [
        ("orders", 3, 2, 1, json.dumps({"orders.order_status.allowed_values": 1}), True)
    ]
    parts = sorted(
        p.relative_to(tmp_path / "rejects").parts[:2]
        for p in (tmp_path / "rejects").rglob("*.parquet")
    )
    assert [p[0] for p in parts] == [
        "reason=order_items.csv.column_count",
        "reason=order_items.primary_key",
        "reason=order_reviews.foreign_key.order_reviews_order",
        "reason=orders.order_status.allowed_values",
    ]
    assert all(p[1].startswith("date=") for p in parts)
    assert pq.read_table(next((tmp_path / "rejects").rglob("*.parquet"))).num_rows == 1


def test_rerun_changes_nothing(contract, data, tmp_path):
    _run(contract, data, tmp_path)
    first = _snapshot(tmp_path / "wh.duckdb", contract)
    assert _run(contract, data, tmp_path).ok
    assert _snapshot(tmp_path / "wh.duckdb", contract) == first


def test_rerun_without_local_state_changes_nothing(contract, data, tmp_path):
    _run(contract, data, tmp_path)
    first = _snapshot(tmp_path / "wh.duckdb", contract)
    shutil.rmtree(tmp_path / "state")  # dlt restores its schema from the destination: still merge
    assert _run(contract, data, tmp_path).ok
    assert _snapshot(tmp_path / "wh.duckdb", contract) == first


def test_rerun_after_a_crash_completes_the_load(contract, data, tmp_path, monkeypatch):
    _run(contract, CLEAN, tmp_path)
    clean_state = _snapshot(tmp_path / "wh.duckdb", contract)

    import dlt

    real, calls = dlt.Pipeline.load, []

    def crash(self, *args, **kwargs):  # data extracted and normalized, then killed before loading
        calls.append(1)
        if len(calls) == 1:  # the data's load (the run's status lives in runs.duckdb, not dlt)
            raise KeyboardInterrupt("killed before the load step")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(dlt.Pipeline, "load", crash)
    with pytest.raises(KeyboardInterrupt):
        _run(contract, data, tmp_path)
    monkeypatch.undo()
    assert _snapshot(tmp_path / "wh.duckdb", contract) == clean_state  # nothing loaded yet
    assert _run(contract, data, tmp_path).ok
    expected_dir = tmp_path / "expected"
    expected_dir.mkdir()
    ingest(
        contract,
        data,
        warehouse=expected_dir / "wh.duckdb",
        rejects_dir=expected_dir / "rj",
        state_dir=expected_dir / "state",
        progress=lambda *_: None,
    )
    got, want = (
        _snapshot(tmp_path / "wh.duckdb", contract),
        _snapshot(expected_dir / "wh.duckdb", contract),
    )
    # the clean run loaded o3 (status created); the bad run rejects it but merge keeps old rows
    assert {k: v for k, v in got.items() if "rejects" in k} == {
        k: v for k, v in want.items() if "rejects" in k
    }
    assert set(want["orders"]) <= set(got["orders"]) and len(got["order_items"]) == 3


def test_cli_exit_codes(contract_path, data, tmp_path, monkeypatch, capsys):
    base = [
        "ingest",
        str(contract_path),
        "--data",
        str(data),
        "--warehouse",
        str(tmp_path / "c.duckdb"),
        "--rejects",
        str(tmp_path / "rj"),
        "--state",
        str(tmp_path / "st"),
    ]
    assert main(base) == 0
    out = capsys.readouterr().out
    assert "order_items" in out and "accounting OK" in out
    assert main(base + ["--destination", "oracle"]) == 2
    assert "unknown destination 'oracle'" in capsys.readouterr().err
    real = load.Loader.finish

    def lose_a_row(self):
        counts = real(self)
        return {**counts, "orders": counts["orders"] - 1}

    monkeypatch.setattr(load.Loader, "finish", lose_a_row)
    assert main(base) == 1
    assert "ACCOUNTING FAILED" in capsys.readouterr().out
    (data / "sellers.csv").unlink()
    monkeypatch.undo()
    assert main(base) == 2
    assert "sellers.csv: file not found" in capsys.readouterr().err
