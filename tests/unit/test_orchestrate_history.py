"""The `_runs` history store and its views, on a real DuckDB file."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import duckdb

from contractbook.orchestrate import history, history_view


def _row(run_id, task, status, minutes=0):
    end = datetime(2026, 12, 1, 8, 0, tzinfo=UTC) + timedelta(minutes=minutes)
    return history.RunRow(run_id, task, status, end - timedelta(seconds=3), end, 3.0,
                          json.dumps({"n_orders": 5}), None, "abc123", "urn:x", "1.0.0", "dag")


def test_rows_are_appended_and_summarised_newest_first(tmp_path):
    store = tmp_path / "w.duckdb"
    assert history.last_runs(store) == []
    assert history.write(store, [_row("r1", "a", "completed"), _row("r1", "b", "completed")]) == 2
    history.write(store, [_row("r2", "a", "completed", 5), _row("r2", "b", "failed", 5)])
    runs = history.last_runs(store)
    assert [(r.run_id, r.status, r.tasks, r.failed) for r in runs] == \
        [("r2", "failed", 2, 1), ("r1", "completed", 2, 0)]
    html = history_view.last_runs_table(runs)
    assert html.index("r2") < html.index("r1") and "class='bad'>failed" in html


def test_accounting_and_reject_trend_read_the_ingest_metrics(tmp_path):
    store = tmp_path / "w.duckdb"
    with duckdb.connect(str(store)) as con:
        con.execute("CREATE SCHEMA shop; CREATE TABLE shop._run_metrics (run_id VARCHAR, "
                    "table_name VARCHAR, rows_read BIGINT, rows_loaded BIGINT, "
                    "rows_rejected BIGINT)")
        con.execute("INSERT INTO shop._run_metrics VALUES ('r1', 'orders', 10, 8, 2), "
                    "('r1', 'items', 5, 5, 0), ('r2', 'orders', 10, 9, 1), "
                    "('r2', 'items', 6, 3, 3)")
    assert json.loads(history.accounting(store)) == {
        "items": {"read": 6, "loaded": 3, "rejected": 3},
        "orders": {"read": 10, "loaded": 9, "rejected": 1}}
    assert json.loads(history.accounting(store, "r1"))["orders"]["rejected"] == 2
    trend = history.reject_trend(store)
    assert trend == {"items": [("r1", 0), ("r2", 3)], "orders": [("r1", 2), ("r2", 1)]}
    html = history_view.reject_trend_table(trend)
    assert html.count("<svg") == 2 and "<td class='num'>3</td>" in html


def test_store_is_the_warehouse_only_for_duckdb(tmp_path):
    assert history.store_for(tmp_path, "duckdb") == tmp_path / "warehouse.duckdb"
    assert history.store_for(tmp_path, "postgres") == tmp_path / "runs.duckdb"
