"""bench.md / bench.json / bench.png are written with the fields the issues require."""

from __future__ import annotations

import cProfile
import json

from benchmarks import machine, profile, registry, report, sizes
from benchmarks.records import (
    BenchResult,
    BuildResult,
    EngineDetail,
    FunctionRow,
    ImportRow,
    PackageRow,
    PeerDetail,
    Profile,
    SizeResult,
    Skipped,
    StepRun,
    Timed,
)

SECONDS = {
    "generate": 1.0,
    "validate": 0.2,
    "ddl": 0.3,
    "dlt_merge": 3.0,
    "dlt_replace": 2.0,
    "metrics": 0.8,
    "gx": 9.0,
    "gx_pandas": 1.2,
    "gx_sql": 0.3,
    "datacontract": 0.5,
    "generate_clean": 1.0,
}


def _seconds(name: str, anchor: float) -> float:
    return {
        "duckdb_alone": anchor,
        "ingest": 2.5 * anchor,
        "checks_duckdb": 1.5 * anchor,
        "checks_spark": 6.0 * anchor,
        "datacontract_clean": 3.0 * anchor,
    }.get(name) or SECONDS[name]


def _size(n: int, anchor: float) -> SizeResult:
    raw = {name: StepRun([_seconds(name, anchor)], 0.5, 7 * n, 100.0) for name in registry.STEPS}
    raw["checks_spark"] = StepRun(
        [6.0 * anchor], 0.5, 7 * n, 100.0, EngineDetail(accounting_ok=True, session_seconds=5.0)
    )
    raw["datacontract"] = StepRun(
        [0.5],
        None,
        7 * n,
        300.0,
        PeerDetail(
            "datacontract-cli",
            "1.2.8",
            1,
            "failed",
            150,
            0,
            1,
            0,
            0,
            ["orders"],
            ["Data Contract Tests: CSV Error on Line: 134"],
            "CSV Error on Line: 134",
        ),
    )
    raw["datacontract_clean"] = StepRun(
        [3.0 * anchor],
        None,
        7 * n,
        300.0,
        PeerDetail("datacontract-cli", "1.2.8", 0, "passed", 150, 150, 0, 0, 0, ["orders"], []),
    )
    steps = [
        sizes.summarize(
            s.name,
            s.role,
            s.label,
            raw[s.name],
            anchor,
            s.compared_to,
            raw[s.compared_to].seconds[0] if s.compared_to else None,
        )
        for s in registry.STEPS.values()
    ]
    return SizeResult(n, 1, 7 * n, 100 * n, anchor, steps, raw=raw, spark_over_duckdb_checks=4.0)


def _result(sizes_=(10_000, 100_000, 1_000_000)) -> BenchResult:
    m = machine.describe()
    m = type(m)(**{**m.__dict__, "load_start": [1.5, 1.0, 0.5]})
    build = BuildResult(
        Timed(50.0, 0, True, "", {"gx-checks": 20.0}, 45.0),
        Timed(4.0, 0, True, "", {}, 5.0),
        10_000,
    )
    return BenchResult(
        "make bench",
        "urn:x",
        "1.0.0",
        "c.yaml",
        1,
        3,
        m,
        sizes=[_size(n, 0.001 * n**0.5) for n in sizes_],
        build=build,
        load_end=[2.0, 1.0, 0.5],
        finished="now",
    )


def test_write_produces_json_markdown_and_plot(tmp_path):
    paths = report.write(_result(), tmp_path)
    assert [p.name for p in paths] == ["bench.json", "bench.md", "bench.png"]
    data = json.loads((tmp_path / "bench.json").read_text())
    m = data["machine"]
    assert m["cores"] >= 1 and m["memory_gb"] > 0 and len(m["load_start"]) == 3
    assert {"duckdb", "dlt", "great-expectations", "pyarrow", "pandas"} <= set(m["packages"])
    assert data["load_end"] == [2.0, 1.0, 0.5]
    assert [s["n_orders"] for s in data["sizes"]] == [10_000, 100_000, 1_000_000]
    for s in data["sizes"]:
        for st in s["steps"]:
            assert {"seconds", "rows_per_second", "peak_rss_mb", "ratio"} <= set(st)
    assert data["sizes"][0]["raw"]["datacontract"]["detail"]["kind"] == "PeerDetail"
    assert {t["target"].split(" ")[0] for t in data["targets"]} >= {"ingest", "GX"}
    assert (tmp_path / "bench.png").read_bytes()[:4] == b"\x89PNG"
    md = (tmp_path / "bench.md").read_text()
    assert "bench.png" in md and "load average" in md.lower()
    assert "1,000,000 orders" in md and "× anchor (a)" in md


def test_targets_report_measured_values_and_verdicts():
    t = {x.target.split(",")[0]: x for x in report.targets(_result())}
    ingest = next(x for x in t.values() if x.target.startswith("ingest"))
    assert ingest.measured == "2.50x" and ingest.met is False  # target 1.5x
    assert t["synth at 1M orders <= 15 s"].met is True  # 1.0 s at 1M orders
    gx = next(x for x in t.values() if x.target.startswith("GX step <="))
    assert gx.measured == f"{9.0 / (2.5 * 1.0):.2f}x" and gx.met is False
    peak = next(x for x in t.values() if "peak memory" in x.target)
    assert peak.measured == "100 MB" and peak.met is True
    build = next(x for x in t.values() if "make build" in x.target)
    assert build.measured == "50.0 s" and build.met is False
    noop = next(x for x in t.values() if "no-op" in x.target)
    assert noop.measured == "4.0 s" and noop.met is True


def test_the_peer_is_reported_with_its_verdict_and_rows_per_second_beside_ours():
    md = report.render(_result())
    line = next(x for x in md.splitlines() if x.startswith("- datacontract:"))
    assert "result **failed** (exit 1)" in line and "CSV Error on Line: 134" in line
    assert "0 of 150 checks passed" in line and "149 not run" in line
    clean = next(x for x in md.splitlines() if x.startswith("- datacontract_clean:"))
    assert "rows/s against contractbook's DuckDB checks" in clean and "2.00×" in clean


def test_skipped_steps_are_reported_with_their_reason(tmp_path):
    r = _result()
    big = r.sizes[-1]
    big.steps = [s for s in big.steps if s.step != "gx"]
    big.skipped = [Skipped("gx", "GX", "too slow above 100,000 orders")]
    md = report.render(r)
    assert "**not measured**: too slow above 100,000 orders" in md
    assert next(t for t in report.targets(r) if t.target.startswith("GX step <=")).met is None
    report.write(r, tmp_path)  # the plot copes with a step missing at one size


def test_targets_without_1m_or_build_say_not_measured():
    r = _result(sizes_=(10_000, 50_000))
    r.build = None
    ts = report.targets(r)
    assert ts[0].met is None and "not measured" in ts[0].measured
    assert all(x.met is None for x in ts if "build" in x.target)
    assert "Not measured in this run" in report.render(r)


def test_render_quotes_the_profile_when_present():
    r = _result()
    r.profile = Profile(
        "gx",
        "benchmarks.steps.gx",
        100_000,
        3.0,
        "p.pstats",
        [FunctionRow("a.py:1(f)", 2, 1.0, 3.0)],
        [],
        [PackageRow("pydantic", 1.0, 0.5)],
        "great_expectations",
        [ImportRow("altair", 2.0, 0.4)],
    )
    md = report.render(r)
    assert "`a.py:1(f)`" in md and "pydantic" in md and "`altair`" in md


def test_series_groups_by_step_smallest_size_first():
    from benchmarks.plot import series

    r = _result()
    r.sizes.reverse()
    xs, ys = series(r)["ingest"]
    assert xs == [10_000, 100_000, 1_000_000] and ys == sorted(ys)


def test_importtime_parser_ranks_packages_and_skips_the_root():
    text = "\n".join(
        [
            "import time: self [us] | cumulative | imported package",
            "import time:       100 |        100 |     numpy.core",
            "import time:      2000 |       5000 |   numpy",
            "import time:       300 |       3000 |   altair",
            "import time:        50 |       9000 | great_expectations",
        ]
    )
    rows = profile.parse_importtime(text)
    assert [r.module for r in rows] == ["numpy", "altair"]
    assert rows[0].cumulative_s == 0.005 and abs(rows[1].share - 1 / 3) < 1e-9


def test_cprofile_summaries_find_the_hot_function(tmp_path):
    def hot():
        return sum(i * i for i in range(200_000))

    prof = cProfile.Profile()
    prof.runcall(hot)
    path = tmp_path / "p.pstats"
    prof.dump_stats(path)
    top = profile.top_functions(path, "cumulative")
    assert any("hot" in r.function for r in top)
    pk = profile.by_package(path)
    assert abs(sum(r.share for r in pk) - 1.0) < 1e-9 or len(pk) == 10


def test_slowest_dag_step_is_taken_at_the_largest_size_up_to_the_profile_limit():
    r = _result()
    step, n = profile.slowest(r.sizes)
    assert step.step == "gx" and n == 1_000_000
    step, n = profile.slowest(r.sizes, max_orders=100_000)
    assert n == 100_000 and step.step == "gx"
    step, n = profile.slowest(r.sizes, max_orders=10)  # nothing that small: the smallest size
    assert n == 10_000


def test_memory_from_meminfo(tmp_path):
    f = tmp_path / "meminfo"
    f.write_text("MemTotal:       24683520 kB\nMemFree: 1 kB\n")
    assert round(machine.memory_gb(str(f)), 1) == 23.5
    assert machine.memory_gb(str(tmp_path / "missing")) is None


def test_findings_name_the_hot_spot_and_known_causes():
    prof = Profile(
        "gx",
        "gx",
        1,
        10.0,
        "p",
        cumulative=[
            FunctionRow("bench/steps.py:1(gx)", 1, 0, 10.0),
            FunctionRow(
                "great_expectations/expectations/expectation.py:1508(configuration)", 3352, 0.1, 7.0
            ),
            FunctionRow("x.py:2(small)", 1, 1.0, 1.0),
        ],
        tottime=[],
        packages=[PackageRow("pydantic", 3.0, 0.6)],
        import_module=None,
        imports=[ImportRow("rfc3987_syntax", 3.5, 0.25)],
    )
    text = "\n".join(profile.findings(prof))
    assert "pydantic 60%" in text
    assert (
        "narrowest function holding at least half" in text and "1508(configuration)` (7.0" in text
    )
    assert "value_set" in text and "fastimport" in text


def test_bench_json_reads_back_into_the_same_records(tmp_path):
    from benchmarks.records import bench_from_json

    r = _result()
    r.profile = Profile(
        "gx",
        "benchmarks.steps.gx",
        100_000,
        3.0,
        "p.pstats",
        [FunctionRow("a.py:1(f)", 2, 1.0, 3.0)],
        [],
        [PackageRow("pydantic", 1.0, 0.5)],
        "great_expectations",
        [ImportRow("altair", 2.0, 0.4)],
        ["x"],
    )
    report.write(r, tmp_path)
    back = bench_from_json(json.loads((tmp_path / "bench.json").read_text()))
    assert back == r and report.render(back) == report.render(r)
