"""`make bench`: every size, the build timing and the profile, then reports/bench.{md,json,png}."""

from __future__ import annotations

import dataclasses
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from . import machine, registry, report, sizes
from .records import BenchResult, Profile, SizeResult

DEFAULT_SIZES = (10_000, 100_000)
PROFILE_MAX_ORDERS = 100_000  # the profiler doubles a step's time: profile at most at this size


def sizes_for(n_orders: int, extra=DEFAULT_SIZES) -> list[int]:
    """The sizes measured: the defaults below N, and N itself, ascending."""
    return sorted({*(s for s in extra if s < n_orders), n_orders})


def run(
    contract: str,
    n_orders: int,
    work,
    out_dir,
    *,
    seed: int = 42,
    repeats: int = 3,
    sizes_: list[int] | None = None,
    build: bool = True,
    profile: bool = True,
    only: tuple[str, ...] | None = None,
    limits: dict[str, int | None] | None = None,
    timeout: float | None = None,
    datacontract: str | None = None,
    largest_first: bool = False,
    timeouts: dict[str, float] | None = None,
    merge: BenchResult | None = None,
    project_root=".",
    command: str = "make bench",
    progress=print,
) -> BenchResult:
    """Measure everything, write the reports; the BenchResult (also in bench.json)."""
    from contractbook.contract import load

    model = load(contract)
    work = Path(work)
    started = time.perf_counter()
    result = BenchResult(
        command=command,
        contract_id=model.id,
        contract_version=str(model.version),
        contract=contract,
        seed=seed,
        repeats=repeats,
        machine=machine.describe(),
    )
    progress(f"bench: cores {result.machine.cores}, load {result.machine.load_start}")
    if build:  # first: a small size, and its figure does not wait for the large sizes
        from .build import measure

        result.build = measure(project_root, progress=progress)
    order = sorted(sizes_ or sizes_for(n_orders), reverse=largest_first)
    for n in order:
        done = list(result.sizes)

        def checkpoint(partial: SizeResult, done=done) -> None:
            result.sizes = [*done, partial]
            _checkpoint(merged(merge, result) if merge else result, out_dir)

        result.sizes = [
            *done,
            sizes.run_size(
                contract,
                n,
                work / f"n{n}",
                seed,
                repeats,
                only=only,
                progress=progress,
                limits=limits,
                timeout=timeout,
                datacontract=datacontract,
                on_step=checkpoint,
                timeouts=timeouts,
            ),
        ]
    if merge:
        result = merged(merge, result)
    if profile:
        result.profile = _profile(contract, result.sizes, work, seed, progress)
    result.load_end = machine.load()
    result.finished = datetime.now(UTC).isoformat(timespec="seconds")
    result.bench_seconds = time.perf_counter() - started
    paths = report.write(result, out_dir)
    progress(f"bench: {result.bench_seconds:.0f} s; wrote " + ", ".join(map(str, paths)))
    return result


def merged(old: BenchResult, new: BenchResult) -> BenchResult:
    """old with the steps new measured again: per size, new's runs replace old's."""
    out = dataclasses.replace(
        old,
        command=f"{old.command}; then {new.command}",
        build=new.build or old.build,
        profile=new.profile or old.profile,
    )
    by_n = {s.n_orders: s for s in old.sizes}
    for size in new.sizes:
        prev = by_n.get(size.n_orders)
        if prev is None:
            by_n[size.n_orders] = size
            continue
        raw = {**prev.raw, **size.raw}
        redone = {*size.raw, *(s.step for s in size.skipped)}
        skipped = [s for s in prev.skipped if s.step not in redone] + size.skipped
        by_n[size.n_orders] = sizes.size_result(size.n_orders, size.seed, raw, skipped)
    out.sizes = [by_n[n] for n in sorted(by_n)]
    return out


def _checkpoint(result: BenchResult, out_dir) -> None:
    """The reports so far, after each step (a stopped bench still leaves what it measured)."""
    result.load_end = machine.load()
    result.finished = "(not finished: the steps measured so far)"
    try:
        report.write(result, out_dir, plot=False)
    except Exception as e:  # noqa: BLE001 - a checkpoint must not stop the bench; the end writes
        print(f"bench: checkpoint report not written: {type(e).__name__}: {e}", file=sys.stderr)


def _profile(
    contract: str, measured: list[SizeResult], work: Path, seed: int, progress
) -> Profile | None:
    """cProfile the slowest DAG step at the largest size up to PROFILE_MAX_ORDERS, at that size."""
    from .profile import profile_step, slowest

    if not any(s.role == "dag" for size in measured for s in size.steps):
        return None
    top, n = slowest(measured, max_orders=PROFILE_MAX_ORDERS)
    step = registry.get(top.step)
    r = registry.Run(contract, n, seed, work / f"n{n}", 1)
    progress(f"  profiling {step.name} at {n:,} orders (cProfile)")
    return profile_step(step.name, step.kwargs(r), work / "profile" / f"{step.name}-{n}.pstats", n)
