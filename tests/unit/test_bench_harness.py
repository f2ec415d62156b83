"""The bench harness measures and summarizes correctly: medians, ratios, repeats, step order."""

from __future__ import annotations

import statistics

import pytest

from benchmarks import harness, registry, sizes, steps
from benchmarks.records import StepRun, to_json
from benchmarks.run import sizes_for


def test_repeat_runs_short_steps_up_to_repeats_and_long_ones_once():
    calls = []
    seconds, value = harness.repeat(lambda: calls.append(1) or len(calls), repeats=3, short=1e9)
    assert len(seconds) == 3 and value == 3 and len(calls) == 3
    calls.clear()
    seconds, value = harness.repeat(lambda: calls.append(1) or len(calls), repeats=3, short=0.0)
    assert len(seconds) == 1 and value == 1
    assert all(s >= 0 for s in seconds)


def test_summarize_takes_the_median_and_divides_by_the_anchor_and_the_compared_step():
    raw = StepRun([4.0, 1.0, 2.0], 0.3, 1000, 12.5)
    s = sizes.summarize(
        "ingest",
        "dag",
        "x",
        raw,
        anchor_seconds=0.5,
        compared_to="duckdb_alone",
        compared_seconds=0.25,
    )
    assert s.seconds == 2.0 and s.runs == [4.0, 1.0, 2.0]
    assert s.rows_per_second == 500.0
    assert s.ratio == 4.0 and s.compared_ratio == 8.0 and s.compared_to == "duckdb_alone"
    assert s.peak_rss_mb == 12.5 and s.import_seconds == 0.3


def test_summarize_without_rows_or_anchor_reports_none():
    s = sizes.summarize(
        "validate", "dag", "x", StepRun([0.2], None, None, None), anchor_seconds=None
    )
    assert s.rows_per_second is None and s.ratio is None and s.compared_ratio is None


def test_a_step_run_survives_the_trip_through_json():
    from benchmarks.records import GxDetail, GxPart

    run = StepRun([1.0], 0.1, 5, 9.0, GxDetail([GxPart(0.1, 0.2, 0.3, 0.4, 1, 0)]))
    assert StepRun.from_json(to_json(run)) == run


def test_every_step_is_registered_once_with_a_function_and_a_known_comparison():
    assert len(registry.STEPS) == len(registry._STEPS)
    for s in registry.STEPS.values():
        assert callable(s.fn) and s.label and s.role in ("dag", "anchor", "engine", "peer")
        assert s.compared_to is None or s.compared_to in registry.STEPS
    with pytest.raises(KeyError, match="unknown bench step 'nope'"):
        registry.get("nope")


def _fake_child(seconds_by_step: dict):
    calls = []

    def child(step, timeout=None, **kwargs):
        calls.append((step, kwargs))
        return StepRun(seconds_by_step[step], 0.1, 100, 50.0)

    return child, calls


SECONDS = {
    "generate": [3.0],
    "validate": [0.1, 0.3, 0.2],
    "ddl": [0.4],
    "duckdb_alone": [2.0, 1.0, 3.0],
    "dlt_merge": [6.0],
    "dlt_replace": [4.0],
    "ingest": [5.0],
    "metrics": [1.5],
    "gx": [20.0],
    "gx_pandas": [3.0],
    "gx_sql": [1.0],
    "checks_duckdb": [3.0],
    "checks_spark": [12.0],
    "datacontract": [1.0],
    "generate_clean": [2.0],
    "datacontract_clean": [6.0],
}


def test_run_size_measures_every_step_in_registry_order_with_ratios(tmp_path, monkeypatch):
    monkeypatch.setattr(steps, "largest_table", lambda data_dir: "order_items")
    monkeypatch.setattr(registry.engines, "spark_missing", lambda: None)
    monkeypatch.setattr(registry.peer, "missing", lambda executable: None)
    child, calls = _fake_child(SECONDS)
    out = sizes.run_size("c.yaml", 500, tmp_path, repeats=3, progress=lambda *_: None, child=child)
    assert [s.step for s in out.steps] == list(registry.STEPS)
    assert [name for name, _ in calls] == list(registry.STEPS)
    assert out.anchor_seconds == 2.0 and not out.skipped
    by = {s.step: s for s in out.steps}
    assert by["duckdb_alone"].ratio == 1.0
    assert by["ingest"].ratio == 2.5 and by["gx"].ratio == 10.0
    assert by["gx"].compared_ratio == 4.0  # GX step / ingest
    assert by["metrics"].ratio == 0.75
    assert by["datacontract_clean"].compared_ratio == 2.0  # / DuckDB checks
    assert by["validate"].seconds == statistics.median([0.1, 0.3, 0.2])
    assert out.spark_over_duckdb_checks == 4.0
    # every step but the clean peer reads the same CSVs; ingest, metrics and GX one warehouse
    data = {k["data_dir"] for name, k in calls if "data_dir" in k and "clean" not in name}
    assert data == {str(tmp_path / "raw-500")}
    clean = {k["data_dir"] for name, k in calls if name == "datacontract_clean"}
    assert clean == {str(tmp_path / "clean-500")}
    assert len({k["warehouse"] for _, k in calls if "warehouse" in k}) == 1


def test_run_size_skips_a_step_above_its_limit_and_says_why(tmp_path):
    child, calls = _fake_child(SECONDS)
    out = sizes.run_size(
        "c.yaml",
        200_000,
        tmp_path,
        only=("duckdb_alone", "gx"),
        progress=lambda *_: None,
        child=child,
        limits={"gx": 100_000},
    )
    assert [s.step for s in out.steps] == ["duckdb_alone"]
    assert out.skipped[0].step == "gx" and "100,000" in out.skipped[0].reason
    out = sizes.run_size(
        "c.yaml",
        200_000,
        tmp_path,
        only=("duckdb_alone", "gx"),
        progress=lambda *_: None,
        child=child,
        limits={"gx": None},
    )
    assert [s.step for s in out.steps] == ["duckdb_alone", "gx"] and not out.skipped


def test_a_failed_or_stopped_step_is_reported_and_the_bench_goes_on(tmp_path):
    def child(step, timeout=None, **kwargs):
        if step == "ingest":
            raise harness.StepFailed("bench step ingest failed (exit 1):\nboom")
        if step == "gx":
            raise harness.StepTimedOut("bench step gx stopped after 5 s (--step-timeout)")
        return StepRun([1.0], 0.0, 10, 1.0)

    out = sizes.run_size(
        "c.yaml",
        10,
        tmp_path,
        only=("duckdb_alone", "ingest", "gx", "ddl"),
        progress=lambda *_: None,
        child=child,
        timeout=5,
    )
    assert [s.step for s in out.steps] == ["ddl", "duckdb_alone"]
    reasons = {s.step: s.reason for s in out.skipped}
    assert "failed (exit 1)" in reasons["ingest"] and "stopped after 5 s" in reasons["gx"]


def test_a_missing_peer_tool_is_a_reason_not_a_crash(tmp_path):
    child, calls = _fake_child(SECONDS)
    out = sizes.run_size(
        "c.yaml",
        10,
        tmp_path,
        only=("datacontract",),
        progress=lambda *_: None,
        child=child,
        datacontract=str(tmp_path / "no-such-datacontract"),
    )
    assert not calls and "datacontract-cli is not installed" in out.skipped[0].reason


def test_run_size_only_selected_steps_and_unknown_names_refused(tmp_path):
    child, calls = _fake_child(SECONDS)
    out = sizes.run_size(
        "c.yaml",
        10,
        tmp_path,
        only=("duckdb_alone", "ingest"),
        progress=lambda *_: None,
        child=child,
    )
    assert [s.step for s in out.steps] == ["duckdb_alone", "ingest"]
    assert out.steps[1].ratio == 2.5
    with pytest.raises(KeyError, match="unknown bench step"):
        sizes.run_size("c.yaml", 10, tmp_path, only=("ingset",), child=child)


@pytest.mark.parametrize(
    ("n", "expected"),
    [(1_000_000, [10_000, 100_000, 1_000_000]), (100_000, [10_000, 100_000]), (5_000, [5_000])],
)
def test_sizes_always_end_with_n(n, expected):
    assert sizes_for(n) == expected


def test_portable_suite_keeps_only_expectations_both_engines_run(contract):
    exps = steps.portable_suite(contract, "order_items")
    types = {steps._field(e, "type") for e in exps}
    assert types <= steps.PORTABLE_EXPECTATIONS
    assert "expect_compound_columns_to_be_unique" in types
    assert "unexpected_rows_expectation" not in types


def test_cli_refuses_an_unknown_step(capsys):
    from benchmarks.__main__ import parser

    with pytest.raises(SystemExit):
        parser().parse_args(["--steps", "ingest,nope"])
    assert "unknown step(s) nope" in capsys.readouterr().err


def test_run_size_hands_the_result_so_far_to_on_step_after_every_step(tmp_path):
    child, calls = _fake_child(SECONDS)
    seen = []
    out = sizes.run_size(
        "c.yaml",
        10,
        tmp_path,
        only=("ddl", "duckdb_alone", "ingest"),
        progress=lambda *_: None,
        child=child,
        on_step=seen.append,
    )
    assert [[s.step for s in p.steps] for p in seen] == [
        ["ddl"],
        ["ddl", "duckdb_alone"],
        ["ddl", "duckdb_alone", "ingest"],
    ]
    assert seen[-1] == out and seen[0].anchor_seconds is None


def test_cli_per_step_time_limits_override_the_general_one(tmp_path, monkeypatch):
    from benchmarks.__main__ import parser

    monkeypatch.setattr(registry.engines, "spark_missing", lambda: None)
    args = parser().parse_args(["--step-timeout", "100", "--step-timeouts", "checks_spark=6"])
    assert args.step_timeout == 100 and args.step_timeouts == {"checks_spark": 6.0}
    limits = []

    def child(step, timeout=None, **kwargs):
        limits.append((step, timeout))
        return StepRun([1.0], 0.0, 1, 1.0)

    sizes.run_size(
        "c.yaml",
        10,
        tmp_path,
        only=("ddl", "checks_spark"),
        progress=lambda *_: None,
        child=child,
        timeout=args.step_timeout,
        timeouts=args.step_timeouts,
    )
    assert dict(limits) == {"ddl": 100, "checks_spark": 6.0}


def test_the_result_line_is_found_after_progress_bars_and_later_prints():
    run = StepRun([1.0], None, 3, 2.0)
    out = (
        " 99% ▕███▏\r100% ▕████▏ (00:00:02 elapsed)     \n"
        + harness.MARKER
        + __import__("json").dumps(to_json(run))
        + "\npre-load orders: 20/20 checks pass\n"
    )
    assert harness.result_of(out.replace("\n" + harness.MARKER, harness.MARKER)) == run
    assert harness.result_of(out) == run and harness.result_of("no marker here") is None


def test_merge_replaces_the_steps_measured_again_and_keeps_the_rest(tmp_path, monkeypatch):
    from benchmarks.run import merged

    monkeypatch.setattr(steps, "largest_table", lambda data_dir: "order_items")
    child, _ = _fake_child(SECONDS)
    first = sizes.run_size(
        "c.yaml",
        10,
        tmp_path,
        only=("duckdb_alone", "ingest", "gx"),
        progress=lambda *_: None,
        child=child,
    )
    first.skipped.append(sizes.Skipped("gx_sql", "x", "bench step gx_sql failed: no result"))
    again = sizes.run_size(
        "c.yaml",
        10,
        tmp_path,
        only=("gx_sql",),
        progress=lambda *_: None,
        child=_fake_child({"gx_sql": [7.0]})[0],
    )
    from benchmarks.records import BenchResult

    base = BenchResult("a", "urn", "1", "c.yaml", 1, 1, None, sizes=[first])
    out = merged(base, BenchResult("b", "urn", "1", "c.yaml", 1, 1, None, sizes=[again]))
    (size,) = out.sizes
    assert [s.step for s in size.steps] == ["duckdb_alone", "ingest", "gx", "gx_sql"]
    assert size.step("gx_sql").seconds == 7.0 and not size.skipped
    assert out.command == "a; then b" and size.step("ingest").ratio == 2.5
