"""reports/bench.md and reports/bench.json from one BenchResult (render is pure; write does I/O)."""

from __future__ import annotations

import json
from pathlib import Path

from .records import BenchResult, Profile, SizeResult, Target, to_json

GENERATOR = "benchmarks (make bench)"
SYNTH_TARGET_SECONDS = 15.0  # at 1M orders
INGEST_TARGET_RATIO = 1.5  # ingest / DuckDB alone, at the largest size
GX_TARGET_RATIO = 2.0  # GX step / ingest
GX_TARGET_PEAK_MB = 1.5 * 1024


def _f(x, fmt: str = "{:.2f}", none: str = "–") -> str:
    return none if x is None else fmt.format(x)


def _target(label: str, measured: str | None, met: bool | None) -> Target:
    return Target(label, measured or "not measured", met if measured else None)


def targets(result: BenchResult) -> list[Target]:
    """The issues' targets, each with the measured figure and whether it is met."""
    at_1m, largest = result.at(1_000_000), result.largest()
    gen = at_1m.step("generate") if at_1m else None
    out = [
        _target(
            "synth at 1M orders <= 15 s",
            gen and f"{gen.seconds:.1f} s",
            gen is not None and gen.seconds <= SYNTH_TARGET_SECONDS,
        )
    ]
    at = f"at {largest.n_orders:,} orders" if largest else ""
    ing = largest.step("ingest") if largest else None
    out.append(
        _target(
            f"ingest (checks, rejects, load) <= {INGEST_TARGET_RATIO}x DuckDB alone, {at}",
            ing and ing.ratio and f"{ing.ratio:.2f}x",
            bool(ing and ing.ratio and ing.ratio <= INGEST_TARGET_RATIO),
        )
    )
    g = largest.step("gx") if largest else None
    out.append(
        _target(
            f"GX step <= {GX_TARGET_RATIO:.0f}x the ingest, {at}",
            g and g.compared_ratio and f"{g.compared_ratio:.2f}x",
            bool(g and g.compared_ratio and g.compared_ratio <= GX_TARGET_RATIO),
        )
    )
    out.append(
        _target(
            f"GX step peak memory <= 1.5 GB, {at}",
            g and g.peak_rss_mb and f"{g.peak_rss_mb:,.0f} MB",
            bool(g and g.peak_rss_mb and g.peak_rss_mb <= GX_TARGET_PEAK_MB),
        )
    )
    b = result.build
    for timed, label in (
        (b and b.build, "default `make build` after setup <= 45 s"),
        (b and b.noop, "no-op build (everything up to date) <= 5 s"),
    ):
        out.append(
            _target(
                label,
                timed and (f"{timed.seconds:.1f} s" + ("" if timed.ok else " (FAILED)")),
                bool(timed and timed.target_met),
            )
        )
    return out


def _steps_table(size: SizeResult) -> list[str]:
    lines = [
        "| step | what | seconds (median) | runs | first run s | rows/s | peak MB | "
        "× anchor (a) | × compared step | imports s |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in size.steps:
        vs = f"{s.compared_ratio:.2f}× {s.compared_to}" if s.compared_ratio else "–"
        lines.append(
            f"| {s.step} | {s.label} | {_f(s.seconds)} | {len(s.runs)} | "
            f"{_f(s.runs[0])} | {_f(s.rows_per_second, '{:,.0f}')} | "
            f"{_f(s.peak_rss_mb, '{:,.0f}')} | {_f(s.ratio, '{:.2f}×')} | {vs} | "
            f"{_f(s.import_seconds, '{:.1f}')} |"
        )
    for s in size.skipped:
        reason = s.reason.splitlines()[0].replace("|", "/")
        lines.append(f"| {s.step} | {s.label} | **not measured**: {reason} | | | | | | | |")
    return lines


def _details(size: SizeResult) -> list[str]:
    """Where ingest, metrics, GX and the engines spend their time (the steps' own timers)."""
    raw, out = size.raw, []
    ing = raw.get("ingest")
    if ing and ing.detail:
        d = ing.detail
        out.append(
            f"- ingest: checks {d.check_seconds[-1]:.2f} s, rejects to Parquet + dlt "
            f"load {d.load_seconds[-1]:.2f} s; {d.rows_loaded:,} rows loaded, "
            f"{d.rows_rejected:,} rejected, accounting "
            f"{'OK' if d.accounting_ok else 'FAILED'}."
        )
    m = raw.get("metrics")
    if m and m.detail:
        d = m.detail
        out.append(
            f"- metrics: {len(d.curated_rows)} models {d.models_seconds:.2f} s, "
            f"curated check {d.check_seconds:.2f} s (last run); "
            f"{sum(d.curated_rows.values()):,} curated rows, check "
            f"{'OK' if d.check_ok else 'FAILED'}."
        )
    g = raw.get("gx")
    if g and g.detail and g.detail.parts:
        p = g.detail.parts[-1]
        out.append(
            f"- gx: context {p.context:.2f} s, pre-load (all tables) {p.preload:.2f} s, "
            f"post-load (DuckDB SQL, all tables) {p.postload:.2f} s, "
            f"Data Docs {p.docs:.2f} s."
        )
    sp = raw["checks_spark"].detail if "checks_spark" in raw else None
    if size.spark_over_duckdb_checks and sp:
        out.append(
            f"- engines: Spark checks / DuckDB checks = "
            f"**{size.spark_over_duckdb_checks:.2f}×** (Spark session start-up "
            f"{_f(sp.session_seconds, '{:.1f}')} s not included; accounting "
            f"{'OK' if sp.accounting_ok else 'FAILED'})."
        )
    for name in ("gx_pandas", "gx_sql"):
        x = raw.get(name)
        if x and x.detail:
            d = x.detail
            out.append(
                f"- {name}: {d.expectations} expectations on `{d.table}` "
                f"({x.rows:,} rows), all passed: {d.success}"
                + (
                    f"; reading the frame took {d.read_seconds:.2f} s (not timed)"
                    if d.read_seconds
                    else ""
                )
                + "."
            )
    return out + _peer_lines(size)


def _peer_lines(size: SizeResult) -> list[str]:
    """datacontract-cli's verdict and its rows/s beside ours, as it reported them."""
    out = []
    ours = size.step("checks_duckdb")
    for name, what in (("datacontract", "the same CSVs"), ("datacontract_clean", "clean CSVs")):
        x, s = size.raw.get(name), size.step(name)
        if not x or not s or not x.detail:
            continue
        d = x.detail
        not_run = (
            d.checks_total - d.checks_passed - d.checks_failed - d.checks_errored - d.checks_warned
        )
        verdict = (
            f"result **{d.result}** (exit {d.exit_code}): {d.checks_passed} of "
            f"{d.checks_total} checks passed, {d.checks_failed} failed, "
            f"{d.checks_warned} warned, {d.checks_errored} errors, {not_run} not run"
        )
        side = (
            f"; {_f(s.rows_per_second, '{:,.0f}')} rows/s against contractbook's DuckDB "
            f"checks {_f(ours.rows_per_second, '{:,.0f}')} rows/s "
            f"({_f(s.compared_ratio, '{:.2f}×')} their time)"
            if ours
            else ""
        )
        line = (
            f"- {name}: datacontract-cli {d.version} `test` on {what}, "
            f"{s.seconds:.2f} s wall (its start-up, {_f(x.import_seconds, '{:.1f}')} s, "
            f"included), {verdict}{side}."
        )
        if d.error:
            line += f" It said: `{d.error.splitlines()[0][:300]}`."
        if d.first_failures:
            line += " First failures: " + "; ".join(f"`{f[:160]}`" for f in d.first_failures[:3])
        out.append(line)
    return out


def _growth_table(result: BenchResult) -> list[str]:
    sizes = sorted(result.sizes, key=lambda s: s.n_orders)
    names = list(dict.fromkeys(s.step for size in sizes for s in size.steps))
    lines = [
        "| step | " + " | ".join(f"{s.n_orders:,} orders" for s in sizes) + " |",
        "|---|" + "---:|" * len(sizes),
    ]
    for n in names:
        cells = [_f(st.seconds if (st := s.step(n)) else None, "{:.2f} s") for s in sizes]
        lines.append(f"| {n} | " + " | ".join(cells) + " |")
    lines.append("| rows (all tables) | " + " | ".join(_f(s.rows, "{:,}") for s in sizes) + " |")
    return lines


def _profile_lines(prof: Profile | None) -> list[str]:
    if not prof:
        return ["Not profiled in this run (`--no-profile`)."]
    lines = [
        f"Step `{prof.step}` (function `{prof.step_fn}`), profiled with cProfile at "
        f"{prof.n_orders:,} orders: {prof.seconds:.1f} s under the profiler.",
        "",
        "Top functions by cumulative time:",
        "",
        "| function | calls | own s | cumulative s |",
        "|---|---:|---:|---:|",
    ]
    lines += [
        f"| `{r.function}` | {r.ncalls:,} | {r.tottime:.2f} | {r.cumtime:.2f} |"
        for r in prof.cumulative
    ]
    lines += [
        "",
        "Own time by package (where the time is actually spent):",
        "",
        "| package | own s | share |",
        "|---|---:|---:|",
    ]
    lines += [f"| {r.package} | {r.own_seconds:.2f} | {r.share:.0%} |" for r in prof.packages]
    lines += [
        "",
        "Top functions by own time:",
        "",
        "| function | calls | own s |",
        "|---|---:|---:|",
    ]
    lines += [f"| `{r.function}` | {r.ncalls:,} | {r.tottime:.2f} |" for r in prof.tottime]
    if prof.imports:
        lines += [
            "",
            f"`python -X importtime -c 'import {prof.import_module}'`: the "
            f"heaviest packages it pulls in (cumulative; nested, so shares overlap):",
            "",
            "| package | cumulative s | share of the import |",
            "|---|---:|---:|",
        ]
        lines += [
            f"| `{r.module}` | {r.cumulative_s:.2f} | {_f(r.share, '{:.0%}')} |"
            for r in prof.imports[:10]
        ]
    if prof.findings:
        lines += ["", "**What the profile shows.**", ""] + [f"- {f}" for f in prof.findings]
    return lines


def _build_lines(result: BenchResult) -> list[str]:
    b = result.build
    if not b:
        return ["Not measured in this run (`--no-build`)."]
    size = f", {b.n_orders:,} orders" if b.n_orders else ""
    lines = []
    for x, label in (
        (b.build, f"`ploomber build`, default env{size}, fresh copy after setup"),
        (b.noop, "the same again right after, everything up to date (no-op)"),
    ):
        lines.append(
            f"- {label}: **{x.seconds:.1f} s** (target ≤ {x.target_seconds:.0f} s, "
            f"{'met' if x.target_met else 'NOT met'})"
            + ("" if x.ok else f"; FAILED (exit {x.exit_code})")
            + (
                "; tasks that ran: " + ", ".join(f"{k} {v:.1f} s" for k, v in x.tasks.items())
                if x.tasks
                else "; no task ran"
                if x.ok
                else ""
            )
        )
    return lines


def render(result: BenchResult) -> str:
    """The Markdown report of one bench result."""
    m = result.machine
    largest = result.largest()
    lines = [
        f"<!-- generated by {GENERATOR} from contract {result.contract_id} "
        f"v{result.contract_version}; do not edit -->",
        "# Benchmark: the pipeline against DuckDB alone",
        "",
        f"Measured {m.started} → {result.finished} with `{result.command}`.",
        "",
        f"**Machine**: {m.cores} cores ({m.cpu}), {_f(m.memory_gb, '{:.0f}')} GB, "
        f"{m.platform}. **Load average** (1/5/15 min) at start {m.load_start}, at end "
        f"{result.load_end}: a load above the core count means the machine was shared "
        f"with other jobs, so absolute seconds vary; the ratios to anchor (a), measured in "
        f"the same run, are the figures to compare."
        + (
            " This report merges passes (`; then` above): the steps a later pass names "
            "(`--steps`) were measured again in it, at its own load, so a ratio between "
            "steps of different passes compares different loads."
            if "; then " in result.command
            else ""
        ),
        "",
        f"**Software**: Python {m.python}; "
        + ", ".join(f"{k} {v}" for k, v in m.packages.items())
        + ".",
        "",
        "Every step runs in its own process (peak memory = that process's max RSS, imports "
        "included). Seconds exclude the step's heavy imports (shown apart, paid once per "
        "process); a step under 5 s is run up to "
        f"{result.repeats} times in that process and its median is reported. rows/s counts "
        "the records of every table the step handles.",
        "",
        "## Targets",
        "",
        "| target | measured | met |",
        "|---|---|---|",
    ]
    lines += [
        f"| {t.target} | {t.measured} | {'–' if t.met is None else 'yes' if t.met else 'NO'} |"
        for t in targets(result)
    ]
    if largest:
        lines += [
            "",
            f"## Every step at {largest.n_orders:,} orders "
            f"({_f(largest.rows, '{:,}')} rows, "
            f"{_f((largest.csv_bytes or 0) / 1e6, '{:,.0f}')} MB of CSV)",
            "",
        ]
        lines += _steps_table(largest) + [""] + _details(largest)
    lines += [
        "",
        "Anchors: (a) DuckDB alone reading the CSVs with the contract's types into a "
        "DuckDB file, bad records skipped; (b) dlt loading the same typed tables as "
        "Arrow batches, no checks; (c) the same GX suite (the warehouse suite without "
        "SQL-only type and query expectations) on the largest table, run by pandas "
        "(frame read from the warehouse first, not timed) and pushed down as DuckDB SQL "
        "through contractbook's shim; (d) the check engines, DuckDB and Spark, every "
        "check and no load; (e) the peer, datacontract-cli's `test` (its own venv) with "
        "the contract and one local CSV server on the same files, then on a clean copy "
        "of the same size, since it stops at the first malformed line; it checks and "
        "counts per check, it does not split rows or load.",
        "",
    ]
    if largest:
        gx_p, gx_s = largest.step("gx_pandas"), largest.step("gx_sql")
        if gx_p and gx_s:
            lines += [
                f"GX on pandas / GX on DuckDB SQL: {gx_p.seconds / gx_s.seconds:.1f}× "
                f"({gx_p.seconds:.2f} s vs {gx_s.seconds:.2f} s).",
                "",
            ]
    lines += ["## How cost grows with size", "", "![seconds per step by size](bench.png)", ""]
    lines += _growth_table(result)
    for size in sorted(result.sizes, key=lambda s: s.n_orders)[:-1]:
        lines += (
            ["", f"### {size.n_orders:,} orders", ""] + _steps_table(size) + [""] + _details(size)
        )
    lines += ["", "## `make build` and a no-op build", ""] + _build_lines(result)
    lines += ["", "## Profile of the slowest step", ""] + _profile_lines(result.profile)
    lines += [
        "",
        "Raw figures (every run): `bench.json`. Reproduce: `make bench` "
        "(`make bench N=100000` for a quick run).",
        "",
    ]
    return "\n".join(lines)


def write(result: BenchResult, out_dir, plot: bool = True) -> list[Path]:
    """Write bench.json, bench.md and (with plot) bench.png into out_dir; the paths written."""
    from .plot import draw

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / "bench.json", out / "bench.md", out / "bench.png"]
    data = {**to_json(result), "targets": to_json(targets(result))}
    paths[0].write_text(json.dumps(data, indent=2, default=str) + "\n", encoding="utf-8")
    paths[1].write_text(render(result), encoding="utf-8")
    if not plot:
        return paths[:2]
    draw(result, paths[2])
    return paths
