"""bench.md / bench.json / bench.png are written with the fields the issue requires."""

from __future__ import annotations

import cProfile
import json

from contractbook.bench import machine, pipeline, profile, report


def _size(n: int, anchor: float) -> dict:
    secs = {"generate": 1.0, "validate": 0.2, "ddl": 0.3, "duckdb_alone": anchor, "dlt_merge": 3.0,
            "dlt_replace": 2.0, "ingest": 2.5 * anchor, "metrics": 0.8, "gx": 9.0, "gx_pandas": 1.2,
            "gx_sql": 0.3, "checks_duckdb": 1.5 * anchor, "checks_spark": 6.0 * anchor}
    steps = [pipeline.summarize(s.name, s.role, s.label,
                                {"seconds": [secs[s.name]], "rows": 7 * n, "peak_rss_mb": 100.0,
                                 "import_seconds": 0.5}, anchor) for s in pipeline.PLAN]
    return {"n_orders": n, "seed": 1, "rows": 7 * n, "csv_bytes": 100 * n, "anchor_seconds": anchor,
            "steps": steps, "raw": {}}


def _result(sizes=(10_000, 100_000, 1_000_000)) -> dict:
    m = {**machine.describe(), "load_start": [1.5, 1.0, 0.5]}
    build = {"build": {"seconds": 50.0, "ok": True, "exit_code": 0, "target_seconds": 45.0,
                       "target_met": False},
             "noop": {"seconds": 9.0, "ok": True, "exit_code": 0, "target_seconds": 15.0,
                      "target_met": True}}
    return {"command": "make bench", "contract_id": "urn:x", "contract_version": "1.0.0",
            "seed": 1, "repeats": 3, "machine": m, "finished": "now", "load_end": [2.0, 1.0, 0.5],
            "sizes": [_size(n, 0.001 * n ** 0.5) for n in sizes], "build": build}


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
    assert (tmp_path / "bench.png").read_bytes()[:4] == b"\x89PNG"
    md = (tmp_path / "bench.md").read_text()
    assert "bench.png" in md and "load average" in md.lower()
    assert "1,000,000 orders" in md and "× anchor (a)" in md


def test_targets_report_measured_values_and_verdicts():
    t = {x["target"].split(" ")[0]: x for x in report.targets(_result())}
    assert t["ingest"]["measured"] == "2.50x" and t["ingest"]["met"] is True
    assert t["synth"]["met"] is True  # 1.0 s at 1M orders
    build = next(x for x in report.targets(_result()) if "make build" in x["target"])
    assert build["measured"] == "50.0 s" and build["met"] is False


def test_skipped_steps_are_reported_with_their_reason(tmp_path):
    r = _result()
    big = r["sizes"][-1]
    big["steps"] = [s for s in big["steps"] if s["step"] != "gx"]
    big["skipped"] = [{"step": "gx", "label": "GX", "reason": "too slow above 100,000 orders"}]
    md = report.render(r)
    assert "**not measured**: too slow above 100,000 orders" in md
    report.write(r, tmp_path)  # the plot copes with a step missing at one size


def test_targets_without_1m_or_build_say_not_measured():
    r = _result(sizes=(10_000, 50_000))
    r.pop("build")
    ts = report.targets(r)
    assert ts[0]["met"] is None and "not measured" in ts[0]["measured"]
    assert all(x["met"] is None for x in ts[2:])
    assert "Not measured in this run" in report.render(r)


def test_render_quotes_the_profile_when_present():
    r = _result()
    r["profile"] = {"step": "gx", "step_fn": "gx", "n_orders": 100_000, "seconds": 3.0,
                    "cumulative": [{"function": "a.py:1(f)", "ncalls": 2, "tottime": 1.0,
                                    "cumtime": 3.0}],
                    "tottime": [], "packages": [{"package": "pydantic", "own_seconds": 1.0,
                                                 "share": 0.5}],
                    "import_module": "great_expectations",
                    "imports": [{"module": "altair", "cumulative_s": 2.0, "share": 0.4}]}
    md = report.render(r)
    assert "`a.py:1(f)`" in md and "pydantic" in md and "`altair`" in md


def test_series_groups_by_step_smallest_size_first():
    from contractbook.bench.plot import series

    r = _result()
    r["sizes"].reverse()
    xs, ys = series(r)["ingest"]
    assert xs == [10_000, 100_000, 1_000_000] and ys == sorted(ys)


def test_importtime_parser_ranks_packages_and_skips_the_root():
    text = "\n".join([
        "import time: self [us] | cumulative | imported package",
        "import time:       100 |        100 |     numpy.core",
        "import time:      2000 |       5000 |   numpy",
        "import time:       300 |       3000 |   altair",
        "import time:        50 |       9000 | great_expectations"])
    rows = profile.parse_importtime(text)
    assert [r["module"] for r in rows] == ["numpy", "altair"]
    assert rows[0]["cumulative_s"] == 0.005 and abs(rows[1]["share"] - 1 / 3) < 1e-9


def test_cprofile_summaries_find_the_hot_function(tmp_path):
    def hot():
        return sum(i * i for i in range(200_000))

    prof = cProfile.Profile()
    prof.runcall(hot)
    path = tmp_path / "p.pstats"
    prof.dump_stats(path)
    top = profile.top_functions(path, "cumulative")
    assert any("hot" in r["function"] for r in top)
    pk = profile.by_package(path)
    assert abs(sum(r["share"] for r in pk) - 1.0) < 1e-9 or len(pk) == 10


def test_slowest_dag_step_is_taken_at_the_largest_size_up_to_the_profile_limit():
    r = _result()
    step, n = profile.slowest(r["sizes"])
    assert step["step"] == "gx" and n == 1_000_000
    step, n = profile.slowest(r["sizes"], max_orders=100_000)
    assert n == 100_000 and step["step"] == "gx"
    step, n = profile.slowest(r["sizes"], max_orders=10)  # nothing that small: the smallest size
    assert n == 10_000


def test_memory_from_meminfo(tmp_path):
    f = tmp_path / "meminfo"
    f.write_text("MemTotal:       24683520 kB\nMemFree: 1 kB\n")
    assert round(machine.memory_gb(str(f)), 1) == 23.5
    assert machine.memory_gb(str(tmp_path / "missing")) is None


def test_findings_name_the_hot_spot_and_known_causes():
    prof = {"seconds": 10.0, "packages": [{"package": "pydantic", "own_seconds": 3.0, "share": 0.6}],
            "cumulative": [
                {"function": "bench/steps.py:1(gx)", "ncalls": 1, "tottime": 0, "cumtime": 10.0},
                {"function": "great_expectations/expectations/expectation.py:1508(configuration)",
                 "ncalls": 3352, "tottime": 0.1, "cumtime": 7.0},
                {"function": "x.py:2(small)", "ncalls": 1, "tottime": 1.0, "cumtime": 1.0}],
            "imports": [{"module": "rfc3987_syntax", "cumulative_s": 3.5, "share": 0.25}]}
    text = "\n".join(profile.findings(prof))
    assert "pydantic 60%" in text
    assert "narrowest function holding at least half" in text and "1508(configuration)` (7.0" in text
    assert "value_set" in text and "fastimport" in text
