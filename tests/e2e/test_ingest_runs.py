"""One run at a time per warehouse (two real processes), run status, state keyed by warehouse."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from contractbook.ingest import load
from contractbook.ingest.run import ingest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"
CLEAN = FIXTURES / "clean"
GATED = Path(__file__).resolve().parents[1] / "support" / "gated_ingest.py"
CLEAN_COUNTS = {
    "customers": 3,
    "geolocation": 3,
    "product_category_name_translation": 2,
    "products": 2,
    "sellers": 2,
    "orders": 3,
    "order_items": 3,
    "order_payments": 3,
    "order_reviews": 3,
}


def _quiet(*_):
    pass


def _dirty(tmp_path) -> Path:
    """The clean fixture with one invalid order status (orders line 4; its review cascades)."""
    d = Path(shutil.copytree(CLEAN, tmp_path / "dirty"))
    orders = (d / "orders.csv").read_text().splitlines()
    orders[3] = orders[3].replace("created", "lost")
    (d / "orders.csv").write_text("\n".join(orders) + "\n")
    return d


def _query(path: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _history(warehouse: Path, columns: str = "run_id, status") -> list[tuple]:
    """Ingest rows of the run history beside warehouse, for that warehouse only."""
    return _query(
        warehouse.parent / "runs.duckdb",
        f"SELECT {columns} FROM _runs WHERE task = 'ingest' AND "
        f"parameters->>'location' = 'duckdb:{warehouse.resolve()}' ORDER BY run_id",
    )


def _counts(path: Path) -> dict[str, int]:
    return {t: _query(path, f'SELECT count(*) FROM olist."{t}"')[0][0] for t in CLEAN_COUNTS}


def _crash_on_data_load(monkeypatch):
    """Kill the run (KeyboardInterrupt) at the data load: after `started`, before any row lands."""
    import dlt

    real, calls = dlt.Pipeline.load, []

    def load_or_crash(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 1:  # 1: the data (`started` is in the history already)
            raise KeyboardInterrupt("killed during the load")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(dlt.Pipeline, "load", load_or_crash)


def test_killed_run_stays_started_and_has_no_metrics(contract, tmp_path, monkeypatch):
    wh, state = tmp_path / "wh.duckdb", tmp_path / "state"
    _crash_on_data_load(monkeypatch)
    with pytest.raises(KeyboardInterrupt):
        ingest(
            contract,
            CLEAN,
            warehouse=wh,
            rejects_dir=tmp_path / "rj",
            state_dir=state,
            progress=_quiet,
        )
    monkeypatch.undo()
    ((killed, status),) = _history(wh)
    assert status == "started"
    second = ingest(
        contract, CLEAN, warehouse=wh, rejects_dir=tmp_path / "rj", state_dir=state, progress=_quiet
    )
    assert second.ok and second.status == "completed"
    runs = dict(_history(wh))
    assert runs == {killed: "started", second.run_id: "completed"}
    metrics = _query(
        wh, "SELECT DISTINCT run_id, run_status, accounting_ok FROM olist._run_metrics"
    )
    assert metrics == [(second.run_id, "completed", True)]  # the killed run never counts
    assert _counts(wh) == CLEAN_COUNTS  # its pending package was loaded once, then merged


def test_failed_accounting_is_a_failed_run(contract, tmp_path, monkeypatch):
    real = load.Loader.finish

    def lose_a_row(self):
        counts = real(self)
        return {**counts, "orders": counts["orders"] - 1}

    monkeypatch.setattr(load.Loader, "finish", lose_a_row)
    r = ingest(
        contract,
        CLEAN,
        warehouse=tmp_path / "wh.duckdb",
        rejects_dir=tmp_path / "rj",
        state_dir=tmp_path / "state",
        progress=_quiet,
    )
    assert not r.ok and r.status == "failed"
    assert _history(tmp_path / "wh.duckdb", "status, error") == [("failed", "accounting failed")]
    oks = _query(
        tmp_path / "wh.duckdb",
        "SELECT table_name, accounting_ok, run_status FROM "
        "olist._run_metrics WHERE NOT accounting_ok",
    )
    assert oks == [("orders", False, "failed")]


def test_pending_packages_stay_with_their_warehouse(contract, tmp_path, monkeypatch):
    state, a, b = tmp_path / "state", tmp_path / "a.duckdb", tmp_path / "b.duckdb"
    dirty = _dirty(tmp_path)
    _crash_on_data_load(monkeypatch)
    with pytest.raises(KeyboardInterrupt):  # A: extracted and normalized, never loaded
        ingest(
            contract,
            dirty,
            warehouse=a,
            rejects_dir=tmp_path / "rj",
            state_dir=state,
            progress=_quiet,
        )
    monkeypatch.undo()
    assert ingest(
        contract, CLEAN, warehouse=b, rejects_dir=tmp_path / "rj", state_dir=state, progress=_quiet
    ).ok
    assert _query(b, "SELECT count(*) FROM olist.orders__rejects") == [(0,)]  # nothing of A
    assert len(_history(b)) == 1
    assert ingest(
        contract, dirty, warehouse=a, rejects_dir=tmp_path / "rj", state_dir=state, progress=_quiet
    ).ok  # A's own pending package is completed into A
    assert _query(
        a, "SELECT source_line, resolution FROM olist.orders__rejects ORDER BY run_id"
    ) == [(4, "rejected again"), (4, None)]


def _wait_for(path: Path, proc: subprocess.Popen, guard: float = 300) -> None:
    end = time.monotonic() + guard
    while not path.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < end, f"{path} never appeared"
        time.sleep(0.05)


def test_two_processes_one_warehouse(contract_path, tmp_path):
    wh, gate = tmp_path / "wh.duckdb", tmp_path / "gate"
    gate.mkdir()
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(GATED.parents[1])}

    def args(state: str) -> list[str]:
        return [
            "ingest",
            str(contract_path),
            "--data",
            str(CLEAN),
            "--warehouse",
            str(wh),
            "--rejects",
            str(tmp_path / "rj"),
            "--state",
            str(tmp_path / state),
        ]

    first = subprocess.Popen(
        [sys.executable, str(GATED), str(gate), *args("state")],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    _wait_for(gate / "holding", first)
    # another state directory, same warehouse: refused at once, naming the run that holds it
    busy = subprocess.run(
        [sys.executable, "-m", "contractbook", *args("other-state")],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert busy.returncode == 3, busy.stderr
    (line,) = busy.stderr.strip().splitlines()
    assert line.startswith("ingest: warehouse busy: run ") and " since " in line
    assert "--wait SECONDS" in line and "Traceback" not in busy.stderr + busy.stdout
    holder = line.split("run ", 1)[1].split(" ", 1)[0]
    # same state directory, --wait: says so, waits, then runs after the first one
    waiter = subprocess.Popen(
        [sys.executable, "-m", "contractbook", *args("state"), "--wait", "600"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    said = waiter.stdout.readline()
    assert "busy: run " + holder in said and "waiting up to 600s" in said
    (gate / "go").touch()
    out_first, err_first = first.communicate(timeout=600)
    out_waiter, err_waiter = waiter.communicate(timeout=600)
    assert first.returncode == 0, err_first
    assert waiter.returncode == 0, err_waiter
    assert f"run {holder} -> duckdb" in out_first and "accounting OK" in out_waiter
    assert _counts(wh) == CLEAN_COUNTS  # no doubled rows
    assert sorted(s for (s,) in _history(wh, "status")) == ["completed"] * 2


def _rejects(path: Path, table: str) -> list[tuple]:
    return _query(
        path,
        f"SELECT source_line, run_id, resolved_by_run, resolution FROM "
        f'olist."{table}__rejects" ORDER BY run_id, source_line',
    )


def test_rejects_keep_history_and_one_open_state(contract, tmp_path):
    wh, dirty = tmp_path / "wh.duckdb", _dirty(tmp_path)

    def run(data):
        r = ingest(
            contract,
            data,
            warehouse=wh,
            rejects_dir=tmp_path / "rj",
            state_dir=tmp_path / "state",
            progress=_quiet,
        )
        assert r.ok
        return r.run_id

    first, second, fixed = run(dirty), run(dirty), run(CLEAN)
    assert _rejects(wh, "orders") == [
        (4, first, second, "rejected again"),
        (4, second, fixed, "loaded"),
    ]
    assert _rejects(wh, "order_reviews") == [
        (5, first, second, "rejected again"),
        (5, second, fixed, "loaded"),
    ]
    open_now = _query(
        wh, "SELECT count(*) FROM olist.orders__rejects WHERE resolved_by_run IS NULL"
    )
    assert open_now == [(0,)]
    again = run(dirty)  # the bad record comes back: one open reject again, history intact
    assert _rejects(wh, "orders")[-1] == (4, again, None, None)
    assert len(_rejects(wh, "orders")) == 3
    metrics = _query(
        wh,
        f"SELECT rows_rejected FROM olist._run_metrics WHERE run_id = '{fixed}' "
        "AND table_name = 'orders'",
    )
    assert metrics == [(0,)]  # closing earlier rejects is not rejecting rows


def test_rejects_without_a_key_close_when_the_file_is_read_again(contract, tmp_path):
    wh, data = tmp_path / "wh.duckdb", Path(shutil.copytree(CLEAN, tmp_path / "geo"))
    lines = {}
    for table in ("geolocation", "order_items"):  # no key (replaced) / a key, record malformed
        lines[table] = (data / f"{table}.csv").read_text().splitlines()
        (data / f"{table}.csv").write_text("\n".join(lines[table] + ["x,1"]) + "\n")
    kw = dict(warehouse=wh, rejects_dir=tmp_path / "rj", state_dir=tmp_path / "st", progress=_quiet)
    first = ingest(contract, data, **kw).run_id
    fixed = ingest(contract, CLEAN, **kw).run_id
    assert _rejects(wh, "geolocation") == [
        (len(lines["geolocation"]) + 1, first, fixed, "replaced")
    ]
    assert _rejects(wh, "order_items") == [
        (len(lines["order_items"]) + 1, first, fixed, "read again")
    ]
