"""The bench runs end to end on a small dataset: ingest against DuckDB alone, as typed records."""

from __future__ import annotations

import pytest

from benchmarks.sizes import run_size


@pytest.mark.slow
def test_bench_small(contract_path, tmp_path):
    size = run_size(
        str(contract_path),
        300,
        tmp_path,
        seed=3,
        repeats=1,
        only=("generate", "duckdb_alone", "ingest"),
        progress=lambda *_: None,
    )
    assert not size.skipped
    ours, alone = size.raw["ingest"], size.raw["duckdb_alone"]
    d = ours.detail
    assert d.accounting_ok and ours.rows == d.rows_loaded + d.rows_rejected
    assert 0 < alone.rows <= ours.rows == size.rows
    ingest = size.step("ingest")
    assert ingest.ratio == ingest.seconds / size.anchor_seconds
    assert ingest.compared_to == "duckdb_alone" and ingest.compared_ratio == ingest.ratio
    assert ours.peak_rss_mb > 0 and alone.peak_rss_mb > 0
