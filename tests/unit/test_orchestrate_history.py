"""The `_runs` history store and its views, on a real DuckDB file."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import duckdb

from contractbook import runhistory as history
from contractbook.orchestrate import history_view


def _row(run_id, task, status, minutes=0):
    end = datetime(2026, 12, 1, 8, 0, tzinfo=UTC) + timedelta(minutes=minutes)
    return history.RunRow(
        run_id,
        task,
        status,
        end - timedelta(seconds=3),
        end,
        3.0,
        json.dumps({"n_orders": 5}),
        None,
        "abc123",
        "urn:x",
        "1.0.0",
        "dag",
    )


def test_rows_are_appended_and_summarised_newest_first(tmp_path):
    store = tmp_path / "w.duckdb"
    assert history.last_runs(store) == []
    assert history.write(store, [_row("r1", "a", "completed"), _row("r1", "b", "completed")]) == 2
    history.write(store, [_row("r2", "a", "completed", 5), _row("r2", "b", "failed", 5)])
    runs = history.last_runs(store)
    assert [(r.run_id, r.status, r.tasks, r.failed) for r in runs] == [
        ("r2", "failed", 2, 1),
        ("r1", "completed", 2, 0),
    ]
    html = history_view.last_runs_table(runs)
    assert html.index("r2") < html.index("r1") and "class='bad'>failed" in html


def _ingest(run_id, status, rejected: dict, minutes=0):
    end = datetime(2026, 12, 1, 9, 0, tzinfo=UTC) + timedelta(minutes=minutes)
    acc = json.dumps(
        {t: {"read": 10, "loaded": 10 - r, "rejected": r} for t, r in rejected.items()}
    )
    return history.RunRow(
        run_id,
        "ingest",
        status,
        end - timedelta(seconds=2),
        end,
        2.0,
        "{}",
        acc if status == "completed" else None,
        None,
        "urn:x",
        "1.0.0",
        "ingest",
    )


def test_reject_trend_and_accounting_come_from_the_ingest_runs_in_the_history(tmp_path):
    store = tmp_path / "runs.duckdb"
    history.write(store, [_ingest("r1", "started", {})])
    assert history.ingest_accounting(store) is None and history.reject_trend(store) == {}
    # the same run finishes: its row is replaced, not doubled
    history.write(store, [_ingest("r1", "completed", {"orders": 2, "items": 0})])
    history.write(
        store,
        [
            _ingest("r2", "completed", {"orders": 1, "items": 3}, 5),
            _ingest("r3", "started", {}, 9),  # killed: never counts
            _row("b1", "ingest", "completed", 6),
        ],
    )  # a DAG task row: not an ingest
    assert json.loads(history.ingest_accounting(store)) == {
        "items": {"read": 10, "loaded": 7, "rejected": 3},
        "orders": {"read": 10, "loaded": 9, "rejected": 1},
    }
    assert history.ingest_accounting(store, datetime(2026, 12, 1, 10, 0, tzinfo=UTC)) is None
    trend = history.reject_trend(store)
    assert trend == {"items": [("r1", 0), ("r2", 3)], "orders": [("r1", 2), ("r2", 1)]}
    html = history_view.reject_trend_table(trend)
    assert html.count("<svg") == 2 and "<td class='num'>3</td>" in html
    runs = {r.run_id: (r.what, r.status) for r in history.last_runs(store)}
    assert runs == {
        "r1": ("ingest", "completed"),
        "r2": ("ingest", "completed"),
        "r3": ("ingest", "started"),
        "b1": ("build", "completed"),
    }
    with duckdb.connect(str(store), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM _runs WHERE run_id = 'r1'").fetchone() == (1,)


def test_store_is_runs_duckdb_beside_the_data_never_the_warehouse(tmp_path):
    assert history.store_for(tmp_path) == tmp_path / "runs.duckdb"
    assert (
        history.store_near(tmp_path / "w" / "wh.duckdb", tmp_path / "rj")
        == tmp_path / "w" / "runs.duckdb"
    )
    assert history.store_near(None, tmp_path / "d" / "rejects") == tmp_path / "d" / "runs.duckdb"
