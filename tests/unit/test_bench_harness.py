"""The bench harness measures and summarizes correctly: medians, ratios, repeats, step order."""

from __future__ import annotations

import statistics

import pytest

from contractbook.bench import pipeline, steps
from contractbook.bench.run import sizes_for


def test_repeat_runs_short_steps_up_to_repeats_and_long_ones_once():
    calls = []
    seconds, value = steps.repeat(lambda: calls.append(1) or len(calls), repeats=3, short=1e9)
    assert len(seconds) == 3 and value == 3 and len(calls) == 3
    calls.clear()
    seconds, value = steps.repeat(lambda: calls.append(1) or len(calls), repeats=3, short=0.0)
    assert len(seconds) == 1 and value == 1
    assert all(s >= 0 for s in seconds)


def test_summarize_takes_the_median_and_divides_by_the_anchor():
    raw = {"seconds": [4.0, 1.0, 2.0], "rows": 1000, "peak_rss_mb": 12.5, "import_seconds": 0.3}
    s = pipeline.summarize("ingest", "dag", "x", raw, anchor_seconds=0.5)
    assert s["seconds"] == 2.0 and s["runs"] == [4.0, 1.0, 2.0]
    assert s["rows_per_second"] == 500.0
    assert s["ratio"] == 4.0
    assert s["peak_rss_mb"] == 12.5 and s["import_seconds"] == 0.3


def test_summarize_without_rows_or_anchor_reports_none():
    s = pipeline.summarize("validate", "dag", "x", {"seconds": [0.2]}, anchor_seconds=None)
    assert s["rows_per_second"] is None and s["ratio"] is None


def _fake_child(seconds_by_fn: dict):
    calls = []

    def child(fn, **kwargs):
        calls.append((fn, kwargs))
        secs = seconds_by_fn[kwargs.get("disposition") or kwargs.get("engine") or fn]
        return {"seconds": secs, "rows": 100, "peak_rss_mb": 50.0, "import_seconds": 0.1}

    return child, calls


def test_run_size_measures_every_step_in_plan_order_with_ratios_to_anchor_a(tmp_path, monkeypatch):
    monkeypatch.setattr(steps, "largest_table", lambda data_dir: "order_items")
    child, calls = _fake_child({"generate": [3.0], "validate": [0.1, 0.3, 0.2], "ddl": [0.4],
                                "duckdb_alone": [2.0, 1.0, 3.0], "merge": [6.0], "replace": [4.0],
                                "ingest": [5.0], "metrics": [1.5], "gx": [20.0], "pandas": [3.0],
                                "sql": [1.0], "duckdb_checks": [3.0], "spark_checks": [12.0]})
    monkeypatch.setattr(pipeline.engines, "spark_missing", lambda: None)
    out = pipeline.run_size("c.yaml", 500, tmp_path, repeats=3, progress=lambda *_: None, child=child)
    names = [s["step"] for s in out["steps"]]
    assert names == [s.name for s in pipeline.PLAN]
    assert [fn for fn, _ in calls] == [s.fn for s in pipeline.PLAN]
    assert out["anchor_seconds"] == 2.0
    by = {s["step"]: s for s in out["steps"]}
    assert by["duckdb_alone"]["ratio"] == 1.0
    assert by["ingest"]["ratio"] == 2.5 and by["gx"]["ratio"] == 10.0
    assert by["metrics"]["ratio"] == 0.75
    assert by["validate"]["seconds"] == statistics.median([0.1, 0.3, 0.2])
    assert out["spark_over_duckdb_checks"] == 4.0
    # every step reads the same CSVs; ingest, metrics and both GX anchors the same warehouse
    data = {k["data_dir"] for _, k in calls if "data_dir" in k}
    assert data == {str(tmp_path / "raw-500")}
    assert len({k["warehouse"] for _, k in calls if "warehouse" in k}) == 1
    assert all(k["repeats"] == 3 for _, k in calls)


def test_run_size_skips_a_step_above_its_limit_and_says_why(tmp_path):
    child, calls = _fake_child({"duckdb_alone": [1.0], "gx": [9.0]})
    out = pipeline.run_size("c.yaml", 200_000, tmp_path, only=("duckdb_alone", "gx"),
                            progress=lambda *_: None, child=child, limits={"gx": 100_000})
    assert [s["step"] for s in out["steps"]] == ["duckdb_alone"]
    assert out["skipped"][0]["step"] == "gx" and "100,000" in out["skipped"][0]["reason"]
    out = pipeline.run_size("c.yaml", 200_000, tmp_path, only=("duckdb_alone", "gx"),
                            progress=lambda *_: None, child=child, limits={"gx": None})
    assert [s["step"] for s in out["steps"]] == ["duckdb_alone", "gx"] and not out["skipped"]


def test_run_size_only_selected_steps(tmp_path):
    child, calls = _fake_child({"duckdb_alone": [1.0], "ingest": [2.0]})
    out = pipeline.run_size("c.yaml", 10, tmp_path, only=("duckdb_alone", "ingest"),
                            progress=lambda *_: None, child=child)
    assert [s["step"] for s in out["steps"]] == ["duckdb_alone", "ingest"]
    assert out["steps"][1]["ratio"] == 2.0


@pytest.mark.parametrize(("n", "expected"), [(1_000_000, [10_000, 100_000, 1_000_000]),
                                             (100_000, [10_000, 100_000]), (5_000, [5_000])])
def test_sizes_always_end_with_n(n, expected):
    assert sizes_for(n) == expected


def test_portable_suite_keeps_only_expectations_both_engines_run(contract):
    exps = steps.portable_suite(contract, "order_items")
    types = {e["type"] for e in exps}
    assert types <= steps.PORTABLE_EXPECTATIONS
    assert "expect_compound_columns_to_be_unique" in types
    assert "unexpected_rows_expectation" not in types
