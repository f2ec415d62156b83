"""reports/bench.md and reports/bench.json from one bench result (render is pure; write does I/O)."""

from __future__ import annotations

import json
from pathlib import Path

GENERATOR = "contractbook.bench"
SYNTH_TARGET_SECONDS = 15.0  # issue 7, at 1M orders
INGEST_TARGET_RATIO = 3.0


def _f(x, fmt: str = "{:.2f}", none: str = "–") -> str:
    return none if x is None else fmt.format(x)


def step(size: dict, name: str) -> dict | None:
    """The summary of one step at one size, or None."""
    return next((s for s in size["steps"] if s["step"] == name), None)


def targets(result: dict) -> list[dict]:
    """The issue's targets, each with the measured figure and whether it is met."""
    out = []
    sizes = result["sizes"]
    at_1m = next((s for s in sizes if s["n_orders"] == 1_000_000), None)
    gen = step(at_1m, "generate") if at_1m else None
    out.append({"target": "synth at 1M orders <= 15 s",
                "measured": f"{gen['seconds']:.1f} s" if gen else "not measured (N < 1M)",
                "met": gen["seconds"] <= SYNTH_TARGET_SECONDS if gen else None})
    largest = max(sizes, key=lambda s: s["n_orders"]) if sizes else None
    ing = step(largest, "ingest") if largest else None
    out.append({"target": f"ingest (checks, rejects, load) <= 3x anchor (a), at "
                          f"{largest['n_orders']:,} orders" if largest else "ingest <= 3x (a)",
                "measured": f"{ing['ratio']:.2f}x" if ing and ing["ratio"] else "not measured",
                "met": ing["ratio"] <= INGEST_TARGET_RATIO if ing and ing["ratio"] else None})
    for key, label in (("build", "default `make build` after setup <= 45 s"),
                       ("noop", "no-op rebuild <= 15 s")):
        b = (result.get("build") or {}).get(key)
        out.append({"target": label,
                    "measured": (f"{b['seconds']:.1f} s" + ("" if b["ok"] else " (FAILED)"))
                    if b else "not measured",
                    "met": b["target_met"] if b else None})
    return out


def _steps_table(size: dict) -> list[str]:
    lines = ["| step | what | seconds (median) | runs | first run s | rows/s | peak MB | "
             "× anchor (a) | imports s |", "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for s in size["steps"]:
        lines.append(f"| {s['step']} | {s['label']} | {_f(s['seconds'])} | {len(s['runs'])} | "
                     f"{_f(s['runs'][0])} | "
                     f"{_f(s['rows_per_second'], '{:,.0f}')} | {_f(s['peak_rss_mb'], '{:,.0f}')} | "
                     f"{_f(s['ratio'], '{:.2f}×')} | {_f(s['import_seconds'], '{:.1f}')} |")
    for s in size.get("skipped", []):
        lines.append(f"| {s['step']} | {s['label']} | **not measured**: {s['reason']} "
                     "| | | | | | |")
    return lines


def _details(size: dict) -> list[str]:
    """Where ingest and GX spend their time (from the step's own timers, last run)."""
    raw, out = size.get("raw", {}), []
    ing = raw.get("ingest")
    if ing:
        out.append(f"- ingest: checks {ing['check_seconds'][-1]:.2f} s, rejects to Parquet + dlt "
                   f"load {ing['load_seconds'][-1]:.2f} s; {ing['rows_loaded']:,} rows loaded, "
                   f"{ing['rows_rejected']:,} rejected, accounting "
                   f"{'OK' if ing['accounting_ok'] else 'FAILED'}.")
    m = raw.get("metrics")
    if m:
        out.append(f"- metrics: {len(m['curated_rows'])} models {m['models_seconds']:.2f} s, "
                   f"curated check {m['check_seconds']:.2f} s (last run); "
                   f"{sum(m['curated_rows'].values()):,} curated rows, check "
                   f"{'OK' if m['check_ok'] else 'FAILED'}.")
    g = raw.get("gx")
    if g and g.get("parts"):
        p = g["parts"][-1]
        out.append(f"- gx: context {p['context']:.2f} s, pre-load (pandas, all tables) "
                   f"{p['preload']:.2f} s, post-load (DuckDB SQL, all tables) {p['postload']:.2f} s, "
                   f"Data Docs {p['docs']:.2f} s.")
    if size.get("spark_over_duckdb_checks"):
        sp = raw["checks_spark"]
        out.append(f"- engines: Spark checks / DuckDB checks = "
                   f"**{size['spark_over_duckdb_checks']:.2f}×** (Spark session start-up "
                   f"{sp['session_seconds']:.1f} s not included; accounting "
                   f"{'OK' if sp['accounting_ok'] else 'FAILED'}).")
    for name in ("gx_pandas", "gx_sql"):
        x = raw.get(name)
        if x:
            out.append(f"- {name}: {x['expectations']} expectations on `{x['table']}` "
                       f"({x['rows']:,} rows), all passed: {x['success']}"
                       + (f"; reading the frame took {x['read_seconds']:.2f} s (not timed)"
                          if x.get("read_seconds") else "") + ".")
    return out


def _growth_table(result: dict) -> list[str]:
    sizes = sorted(result["sizes"], key=lambda s: s["n_orders"])
    names = list(dict.fromkeys(s["step"] for size in sizes for s in size["steps"]))
    lines = ["| step | " + " | ".join(f"{s['n_orders']:,} orders" for s in sizes) + " |",
             "|---|" + "---:|" * len(sizes)]
    for n in names:
        cells = [_f((step(s, n) or {}).get("seconds"), "{:.2f} s") for s in sizes]
        lines.append(f"| {n} | " + " | ".join(cells) + " |")
    lines.append("| rows (all tables) | " + " | ".join(_f(s["rows"], "{:,}") for s in sizes) + " |")
    return lines


def _profile_lines(prof: dict | None) -> list[str]:
    if not prof:
        return ["Not profiled in this run (`--no-profile`)."]
    lines = [f"Step `{prof['step']}` (function `{prof['step_fn']}`), profiled with cProfile at "
             f"{prof['n_orders']:,} orders: {prof['seconds']:.1f} s under the profiler.", "",
             "Top functions by cumulative time:", "",
             "| function | calls | own s | cumulative s |", "|---|---:|---:|---:|"]
    lines += [f"| `{r['function']}` | {r['ncalls']:,} | {r['tottime']:.2f} | {r['cumtime']:.2f} |"
              for r in prof["cumulative"]]
    lines += ["", "Own time by package (where the time is actually spent):", "",
              "| package | own s | share |", "|---|---:|---:|"]
    lines += [f"| {r['package']} | {r['own_seconds']:.2f} | {r['share']:.0%} |"
              for r in prof.get("packages", [])]
    lines += ["", "Top functions by own time:", "", "| function | calls | own s |", "|---|---:|---:|"]
    lines += [f"| `{r['function']}` | {r['ncalls']:,} | {r['tottime']:.2f} |" for r in prof["tottime"]]
    if prof.get("imports"):
        lines += ["", f"`python -X importtime -c 'import {prof['import_module']}'`: the "
                      f"heaviest packages it pulls in (cumulative; nested, so shares overlap):", "",
                  "| package | cumulative s | share of the import |", "|---|---:|---:|"]
        lines += [f"| `{r['module']}` | {r['cumulative_s']:.2f} | {_f(r['share'], '{:.0%}')} |"
                  for r in prof["imports"][:10]]
    if prof.get("findings"):
        lines += ["", "**What the profile shows.**", ""] + [f"- {f}" for f in prof["findings"]]
    return lines


def render(result: dict) -> str:
    """The Markdown report of one bench result."""
    m = result["machine"]
    largest = max(result["sizes"], key=lambda s: s["n_orders"])
    pk = m["packages"]
    lines = [f"<!-- generated by {GENERATOR} from contract {result['contract_id']} "
             f"v{result['contract_version']}; do not edit -->",
             "# Benchmark: the pipeline against DuckDB alone", "",
             f"Measured {m['started']} → {result['finished']} with `{result['command']}`.", "",
             f"**Machine**: {m['cores']} cores ({m['cpu']}), {_f(m['memory_gb'], '{:.0f}')} GB, "
             f"{m['platform']}. **Load average** (1/5/15 min) at start {m['load_start']}, at end "
             f"{result['load_end']}: the machine was shared, so absolute seconds vary; the ratios "
             f"to anchor (a), measured in the same run, are the figures to compare.", "",
             f"**Software**: Python {m['python']}; " +
             ", ".join(f"{k} {v}" for k, v in pk.items()) + ".", "",
             "Every step runs in its own process (peak memory = that process's max RSS, imports "
             "included). Seconds exclude the step's heavy imports (shown apart, paid once per "
             "process); a step under 5 s is run up to "
             f"{result['repeats']} times in that process and its median is reported. rows/s counts "
             "the records of every table the step handles.", "",
             "## Targets (issue 7)", "", "| target | measured | met |", "|---|---|---|"]
    lines += [f"| {t['target']} | {t['measured']} | "
              f"{'–' if t['met'] is None else 'yes' if t['met'] else 'NO'} |"
              for t in targets(result)]
    lines += ["", f"## Every step at {largest['n_orders']:,} orders "
                  f"({_f(largest['rows'], '{:,}')} rows, "
                  f"{_f((largest['csv_bytes'] or 0) / 1e6, '{:,.0f}')} MB of CSV)", ""]
    lines += _steps_table(largest) + [""] + _details(largest)
    lines += ["", "Anchors: (a) DuckDB alone reading the CSVs with the contract's types into a "
                  "DuckDB file, bad records skipped; (b) dlt loading the same typed tables as "
                  "Arrow batches, no checks; (c) the same GX suite (the warehouse suite without "
                  "SQL-only type and query expectations) on the largest table, run by pandas "
                  "(frame read from the warehouse first, not timed) and pushed down as DuckDB SQL "
                  "through contractbook's shim.", ""]
    gx_p, gx_s = step(largest, "gx_pandas"), step(largest, "gx_sql")
    if gx_p and gx_s:
        lines += [f"GX on pandas / GX on DuckDB SQL: {gx_p['seconds'] / gx_s['seconds']:.1f}× "
                  f"({gx_p['seconds']:.2f} s vs {gx_s['seconds']:.2f} s).", ""]
    lines += ["## How cost grows with size", "", "![seconds per step by size](bench.png)", ""]
    lines += _growth_table(result)
    for size in sorted(result["sizes"], key=lambda s: s["n_orders"])[:-1]:
        lines += ["", f"### {size['n_orders']:,} orders", ""] + _steps_table(size) + [""] + \
            _details(size)
    lines += ["", "## `make build` and a no-op rebuild", ""]
    b = result.get("build")
    if b:
        for key, label in (("build", "`ploomber build`, default env, fresh copy after setup"),
                           ("noop", "the same again (no-op rebuild)")):
            x = b[key]
            lines.append(f"- {label}: **{x['seconds']:.1f} s** (target ≤ {x['target_seconds']:.0f} s, "
                         f"{'met' if x['target_met'] else 'NOT met'})"
                         + ("" if x["ok"] else f"; FAILED (exit {x['exit_code']})")
                         + ("; tasks that ran: " + ", ".join(f"{k} {v:.1f} s"
                                                            for k, v in x["tasks"].items())
                            if x.get("tasks") else ""))
    else:
        lines.append("Not measured in this run (`--no-build`).")
    lines += ["", "## Profile of the slowest step", ""] + _profile_lines(result.get("profile"))
    lines += ["", "Raw figures (every run): `bench.json`. Reproduce: `make bench` "
                  "(`make bench N=100000` for a quick run).", ""]
    return "\n".join(lines)


def write(result: dict, out_dir) -> list[Path]:
    """Write bench.json, bench.md and bench.png into out_dir; the paths written."""
    from .plot import draw

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    result = {**result, "targets": targets(result)}
    paths = [out / "bench.json", out / "bench.md", out / "bench.png"]
    paths[0].write_text(json.dumps(result, indent=2, default=str) + "\n", encoding="utf-8")
    paths[1].write_text(render(result), encoding="utf-8")
    draw(result, paths[2])
    return paths
