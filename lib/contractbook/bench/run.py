"""`make bench`: every size, the build timing and the profile, then reports/bench.{md,json,png}."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

from . import machine, pipeline, report

DEFAULT_SIZES = (10_000, 100_000)
PROFILE_MAX_ORDERS = 100_000  # the profiler doubles a step's time: profile at most at this size


def sizes_for(n_orders: int, extra=DEFAULT_SIZES) -> list[int]:
    """The sizes measured: the defaults below N, and N itself, ascending."""
    return sorted({*(s for s in extra if s < n_orders), n_orders})


def run(contract: str, n_orders: int, work, out_dir, *, seed: int = 42, repeats: int = 3,
        sizes: list[int] | None = None, build: bool = True, profile: bool = True,
        gx_max_orders: int | None = pipeline.GX_MAX_ORDERS,
        project_root=".", command: str = "make bench", progress=print) -> dict:
    """Measure everything, write the reports; the result dict (also in bench.json)."""
    from contractbook.contract import load

    model = load(contract)
    work = Path(work)
    started = time.perf_counter()
    result = {"command": command, "contract_id": model.id, "contract_version": model.version,
              "contract": contract, "seed": seed, "repeats": repeats, "machine": machine.describe(),
              "sizes": []}
    progress(f"bench: cores {result['machine']['cores']}, load {result['machine']['load_start']}")
    for n in sizes or sizes_for(n_orders):
        result["sizes"].append(pipeline.run_size(contract, n, work / f"n{n}", seed, repeats,
                                                 progress=progress, limits={"gx": gx_max_orders}))
    if build:
        from .build import measure

        result["build"] = measure(project_root, progress=progress)
    if profile:
        result["profile"] = _profile(contract, result["sizes"], work, seed, progress)
    result["load_end"] = machine.load()
    result["finished"] = datetime.now(UTC).isoformat(timespec="seconds")
    result["bench_seconds"] = time.perf_counter() - started
    paths = report.write(result, out_dir)
    progress(f"bench: {result['bench_seconds']:.0f} s; wrote " + ", ".join(map(str, paths)))
    return result


def _profile(contract: str, sizes: list[dict], work: Path, seed: int, progress) -> dict:
    """cProfile the slowest DAG step at the largest size up to PROFILE_MAX_ORDERS, at that size."""
    from .profile import profile_step, slowest

    top, n = slowest(sizes, max_orders=PROFILE_MAX_ORDERS)
    name = top["step"]
    step = next(s for s in pipeline.PLAN if s.name == name)
    r = pipeline.Run(contract, n, seed, work / f"n{n}", 1)
    progress(f"  profiling {name} at {n:,} orders (cProfile)")
    prof = profile_step(step.fn, step.kwargs(r), work / "profile" / f"{name}-{n}.pstats")
    return {"step": name, "n_orders": n, **prof}
