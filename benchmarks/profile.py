"""Where the slowest step spends its time: cProfile of the step, `-X importtime` of its imports."""

from __future__ import annotations

import dataclasses
import pstats
import re
import subprocess
import sys
from pathlib import Path

from . import harness
from .records import FunctionRow, ImportRow, PackageRow, Profile, SizeResult, StepSummary

TOP = 15
# Heavy imports per step (what `-X importtime` is run on).
STEP_IMPORTS = {
    "gx": "great_expectations",
    "gx_pandas": "great_expectations",
    "gx_sql": "great_expectations",
    "ingest": "dlt",
    "dlt_merge": "dlt",
    "dlt_replace": "dlt",
    "generate": "contractbook.synth",
}
# What a hot spot means, for the ones this project has met (matched against function / module).
KNOWN = {
    "expectation.py:1508(configuration)": "GX rebuilds an expectation's configuration "
    "(a pydantic v1 .dict() of every kwarg, the "
    "resolved value_set included) each time it reads it, thousands of times per checkpoint: "
    "a value_set holding every parent key makes the cost rows x parent keys.",
    "rfc3987_syntax": "jsonschema's optional IRI format checker builds a grammar at import "
    "(2-4 s); "
    "contractbook.fastimport.jsonschema() imports jsonschema without it.",
    "altair": "GX imports altair (charts for Data Docs) at import time.",
    "scipy": "GX imports scipy at import time (statistics expectations).",
}
_IMPORTTIME = re.compile(r"import time:\s+(\d+)\s+\|\s+(\d+)\s+\|(\s*)(\S+)")


def slowest(
    sizes: list[SizeResult], role: str = "dag", max_orders: int | None = None
) -> tuple[StepSummary, int]:
    """(step, size): the DAG step with the largest median seconds at the largest size measured
    up to max_orders (every step ran there, so they compare)."""
    eligible = [s for s in sizes if max_orders is None or s.n_orders <= max_orders] or [
        min(sizes, key=lambda s: s.n_orders)
    ]
    size = max(eligible, key=lambda s: s.n_orders)
    step = max((s for s in size.steps if s.role == role), key=lambda s: s.seconds)
    return step, size.n_orders


def _where(func: tuple) -> str:
    file, line, name = func
    parts = Path(file).parts
    short = (
        "/".join(parts[parts.index("site-packages") + 1 :])
        if "site-packages" in parts
        else "/".join(parts[-3:])
        if len(parts) > 2
        else file
    )
    return f"{short}:{line}({name})" if line else name


# Frames that say nothing about the step: the bench harness itself and the import machinery.
_NOISE = (
    "benchmarks/",
    "<frozen importlib",
    "importlib/__init__.py",
    "builtins.exec>",
    "contextlib.py",
)


def top_functions(stats_path, key: str = "cumulative", top: int = TOP) -> list[FunctionRow]:
    """The top functions of a cProfile dump by key (cumulative or tottime), harness left out."""
    st = pstats.Stats(str(stats_path))
    rows = [
        FunctionRow(_where(func), nc, tt, ct)
        for func, (_cc, nc, tt, ct, _callers) in st.stats.items()
    ]
    rows = [r for r in rows if not any(n in r.function for n in _NOISE)]
    field = "cumtime" if key == "cumulative" else "tottime"
    return sorted(rows, key=lambda r: getattr(r, field), reverse=True)[:top]


def package_of(file: str) -> str:
    """The package a profiled function belongs to: first folder under site-packages, else a name."""
    parts = Path(file).parts
    if "site-packages" in parts:
        rest = parts[parts.index("site-packages") + 1 :]
        return rest[0].removesuffix(".py") if rest else file
    if "contractbook" in parts:
        return "contractbook." + parts[parts.index("contractbook") + 1].removesuffix(".py")
    if file.startswith("<") or file == "~":
        return "builtins (C code: duckdb, numpy, pyarrow calls land here)"
    return "python stdlib"


def by_package(stats_path, top: int = 10) -> list[PackageRow]:
    """Own time (tottime) summed per package: which library the step's time is actually spent in."""
    st = pstats.Stats(str(stats_path))
    sums: dict[str, float] = {}
    for (file, _line, _name), (_cc, _nc, tt, _ct, _callers) in st.stats.items():
        key = package_of(file)
        sums[key] = sums.get(key, 0.0) + tt
    total = sum(sums.values()) or 1.0
    rows = [PackageRow(k, v, v / total) for k, v in sums.items()]
    return sorted(rows, key=lambda r: r.own_seconds, reverse=True)[:top]


def parse_importtime(stderr: str, top: int = TOP) -> list[ImportRow]:
    """Top-level packages by cumulative import time, from `python -X importtime` stderr (µs).

    A package's figure is its largest cumulative line (its first import pulls in the rest); the
    module asked for is left out, since it holds everything.
    """
    rows = [
        (m.group(4), int(m.group(2)) / 1e6)
        for m in map(_IMPORTTIME.match, stderr.splitlines())
        if m
    ]
    root = rows[-1][0].split(".")[0] if rows else None
    best: dict[str, float] = {}
    for module, cumulative in rows:
        package = module.split(".")[0]
        if package != root and not package.startswith("_"):
            best[package] = max(best.get(package, 0.0), cumulative)
    ranked = sorted(best.items(), key=lambda kv: kv[1], reverse=True)[:top]
    total = rows[-1][1] if rows else 0.0
    return [ImportRow(k, v, v / total if total else None) for k, v in ranked]


def findings(prof: Profile) -> list[str]:
    """Plain statements of what a profile shows: where own time goes, what holds the step."""
    out = []
    pk = prof.packages
    if pk:
        out.append("Own time: " + ", ".join(f"{r.package} {r.share:.0%}" for r in pk[:4]) + ".")
    cum = prof.cumulative
    total = prof.seconds or (cum[0].cumtime if cum else 0)
    holding = [r for r in cum if r.cumtime >= 0.5 * total]
    if holding:
        r = holding[-1]
        out.append(
            f"The narrowest function holding at least half of the step: `{r.function}`"
            f" ({r.cumtime:.1f} of {total:.1f} s, {r.ncalls:,} calls)."
        )
    names = [r.function for r in cum] + [r.module for r in prof.imports]
    for key, why in KNOWN.items():
        hit = next((n for n in names if key in n), None)
        if hit:
            out.append(f"`{hit}`: {why}")
    return out


def importtime(module: str) -> list[ImportRow]:
    """`python -X importtime -c 'import module'` in a fresh process, parsed."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import {module}"],
        capture_output=True,
        text=True,
        env=harness.child_env(),
    )
    return parse_importtime(proc.stderr)


def profile_step(step: str, kwargs: dict, out: Path, n_orders: int) -> Profile:
    """Run one step under cProfile in its own process (repeats=1); its figures and top functions."""
    out.parent.mkdir(parents=True, exist_ok=True)
    raw = harness.child(step, profile=str(out), **{**kwargs, "repeats": 1})
    module = STEP_IMPORTS.get(step)
    prof = Profile(
        step=step,
        step_fn=harness_fn_name(step),
        n_orders=n_orders,
        seconds=raw.seconds[0],
        stats=str(out),
        cumulative=top_functions(out, "cumulative", 20),
        tottime=top_functions(out, "tottime"),
        packages=by_package(out),
        import_module=module,
        imports=importtime(module) if module else [],
    )
    return dataclasses.replace(prof, findings=findings(prof))


def harness_fn_name(step: str) -> str:
    """The function a registered step runs, as module.name."""
    from .registry import get

    fn = get(step).fn
    return f"{fn.__module__}.{fn.__name__}"
