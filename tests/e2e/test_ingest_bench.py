"""The ingest benchmark runs end to end on a small dataset and returns its figures as a dict."""

from __future__ import annotations

import pytest

from contractbook.bench.ingest import run


@pytest.mark.slow
def test_bench_small(contract_path, tmp_path):
    result = run(str(contract_path), 300, tmp_path, seed=3, progress=lambda *_: None)
    ours, alone = result["contractbook_ingest"], result["duckdb_alone"]
    assert ours["accounting_ok"] and ours["rows_read"] == ours["rows_loaded"] + ours["rows_rejected"]
    assert alone["rows"] > 0 and alone["rows"] <= ours["rows_read"]
    assert result["ratio"] == ours["seconds"] / alone["seconds"]
    assert {"peak_rss_mb", "cpu_seconds"} <= set(ours) & set(alone)
