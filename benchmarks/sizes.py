"""The whole bench at one size: every registered step, in order, on the same CSVs.

Each step runs in its own process (`harness.child`); `summarize` turns its StepRun into the
reported figures. A step that fails or runs past its time limit is reported as not measured,
with the reason, and the bench goes on.
"""

from __future__ import annotations

import statistics
from pathlib import Path

from . import harness, registry
from .records import SizeResult, Skipped, StepRun, StepSummary
from .registry import ANCHOR, ENGINE_RATIO, STEPS, Run


def summarize(
    name: str,
    role: str,
    label: str,
    raw: StepRun,
    anchor_seconds: float | None,
    compared_to: str | None = None,
    compared_seconds: float | None = None,
) -> StepSummary:
    """The reported figures of one step: median seconds, rows/s, peak MB, ratios."""
    runs = list(raw.seconds)
    median = statistics.median(runs)
    rows = raw.rows
    return StepSummary(
        step=name,
        role=role,
        label=label,
        seconds=median,
        runs=runs,
        import_seconds=raw.import_seconds,
        rows=rows,
        rows_per_second=rows / median if rows and median else None,
        peak_rss_mb=raw.peak_rss_mb,
        ratio=median / anchor_seconds if anchor_seconds else None,
        process_seconds=raw.process_seconds,
        compared_to=compared_to,
        compared_ratio=median / compared_seconds if compared_to and compared_seconds else None,
    )


def _median(raw: dict[str, StepRun], name: str | None) -> float | None:
    return statistics.median(raw[name].seconds) if name in raw else None


def _skip_reason(step: registry.Step, r: Run, limits: dict[str, int | None]) -> str | None:
    cap = limits.get(step.name, step.max_orders)
    if cap is not None and r.n_orders > cap:
        return f"not run above {cap:,} orders"
    return step.missing(r) if step.missing else None


def run_size(
    contract: str,
    n_orders: int,
    work,
    seed: int = 42,
    repeats: int = 3,
    only: tuple[str, ...] | None = None,
    progress=print,
    child=harness.child,
    limits: dict[str, int | None] | None = None,
    timeout: float | None = None,
    datacontract: str | None = None,
    on_step=None,
    timeouts: dict[str, float] | None = None,
) -> SizeResult:
    """Every registered step at one size, in order.

    limits: step -> max orders, overriding Step.max_orders (None: no limit).
    timeout: seconds a step's process may run before it is stopped (None: no limit);
    timeouts: step -> seconds, overriding it for that step.
    on_step: called with the SizeResult so far after each step (for checkpoints).
    """
    for name in only or ():
        registry.get(name)  # an unknown name is an error, not an empty run
    r = Run(
        contract,
        n_orders,
        seed,
        Path(work),
        repeats,
        **({"datacontract": datacontract} if datacontract else {}),
    )
    r.work.mkdir(parents=True, exist_ok=True)
    raw: dict[str, StepRun] = {}
    skipped: list[Skipped] = []
    for step in STEPS.values():
        if only and step.name not in only:
            continue
        why = _skip_reason(step, r, limits or {})
        if why is None:
            try:
                limit = (timeouts or {}).get(step.name, timeout)
                raw[step.name] = child(step.name, timeout=limit, **step.kwargs(r))
            except harness.StepFailed as e:
                why = str(e)
        if why:
            skipped.append(Skipped(step.name, step.label, why))
            progress(
                f"  {n_orders:>9,} orders  {step.name:<18} not measured: {why.splitlines()[0]}"
            )
        else:
            s = raw[step.name]
            progress(
                f"  {n_orders:>9,} orders  {step.name:<18} "
                f"{statistics.median(s.seconds):8.2f} s (runs {len(s.seconds)}, imports "
                f"{s.import_seconds or 0:.1f} s) peak {s.peak_rss_mb or 0:,.0f} MB"
            )
        if on_step:
            on_step(size_result(n_orders, seed, raw, skipped))
    return size_result(n_orders, seed, raw, skipped)


def size_result(
    n_orders: int, seed: int, raw: dict[str, StepRun], skipped: list[Skipped]
) -> SizeResult:
    """The SizeResult of the steps measured so far: summaries and ratios."""
    anchor = _median(raw, ANCHOR)
    summary = [
        summarize(
            s.name, s.role, s.label, raw[s.name], anchor, s.compared_to, _median(raw, s.compared_to)
        )
        for s in STEPS.values()
        if s.name in raw
    ]
    gen = raw.get("generate")
    spark, duck = (_median(raw, n) for n in ENGINE_RATIO)
    return SizeResult(
        n_orders=n_orders,
        seed=seed,
        rows=gen.rows if gen else None,
        csv_bytes=gen.detail.csv_bytes if gen and gen.detail else None,
        anchor_seconds=anchor,
        steps=summary,
        skipped=list(skipped),
        raw=dict(raw),
        spark_over_duckdb_checks=spark / duck if spark and duck else None,
    )
