"""The one harness: a step runs in its own process, its peak memory and seconds are its own.

`child(name, **kwargs)` starts a fresh interpreter that runs the registered step `name`
(`benchmarks.registry.STEPS`) and prints its StepRun as JSON; the parent reads it back.
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib
import json
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

from .records import StepRun, to_json

SHORT_SECONDS = 5.0  # a step faster than this is repeated and reported as a median
ROOT = Path(__file__).resolve().parents[1]  # the project root, which holds benchmarks/
MARKER = "benchmarks-step-result: "  # the child's result line; libraries may print after it


class StepFailed(RuntimeError):
    """A bench step's process failed; its stderr is in the message."""


class StepTimedOut(StepFailed):
    """A bench step ran past its time limit and was stopped."""


def peak_mb() -> float:
    """This process's peak resident memory (max RSS), MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def children_peak_mb() -> float:
    """The largest finished child process's peak resident memory (max RSS), MB."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def timed_imports(*modules: str) -> float:
    """Import modules (heavy ones, paid once per process); seconds it took."""
    started = time.perf_counter()
    for m in modules:
        importlib.import_module(m)
    return time.perf_counter() - started


def repeat(body, repeats: int, short: float = SHORT_SECONDS) -> tuple[list[float], object]:
    """Run body() once, then again while runs are short, up to repeats runs; (seconds, last)."""
    seconds, value = [], None
    for _ in range(max(repeats, 1)):
        started = time.perf_counter()
        value = body()
        seconds.append(time.perf_counter() - started)
        if seconds[0] >= short:
            break
    return seconds, value


def quiet(fn):
    """fn() with its prints sent to stderr, keeping stdout for the result."""
    with contextlib.redirect_stdout(sys.stderr):
        return fn()


def child_env() -> dict[str, str]:
    """os.environ with the project root importable (for `benchmarks`) and warnings off."""
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONWARNINGS": "ignore", "PYTHONPATH": path}


def child(step: str, profile: str | None = None, timeout: float | None = None, **kwargs) -> StepRun:
    """Run one registered step in a fresh interpreter; its StepRun, plus the process's wall time.

    profile: a path; the step then runs under cProfile, its stats written there.
    timeout: seconds; past it the process group is killed and StepTimedOut raised.
    """
    code = "import sys; from benchmarks.harness import main; main(sys.argv[1:])"
    argv = [sys.executable, "-c", code, step, json.dumps(kwargs)] + ([profile] if profile else [])
    started = time.perf_counter()
    proc = subprocess.Popen(
        argv,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=child_env(),
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)  # Spark's JVM too, not only the interpreter
        proc.communicate()
        raise StepTimedOut(
            f"bench step {step} stopped after {timeout:,.0f} s (--step-timeout)"
        ) from None
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise StepFailed(f"bench step {step} failed (exit {proc.returncode}):\n{err[-3000:]}")
    run = result_of(out)
    if run is None:
        raise StepFailed(
            f"bench step {step} failed: no result line in its output:\n{(out + err)[-3000:]}"
        )
    return dataclasses.replace(run, process_seconds=wall)


def result_of(out: str) -> StepRun | None:
    """The StepRun after the last marker in a child's stdout (whatever a library printed)."""
    line = next((x for x in reversed(out.splitlines()) if MARKER in x), None)
    return StepRun.from_json(json.loads(line.partition(MARKER)[2])) if line else None


def main(argv: list[str]) -> None:
    """Child entry point: `step kwargs-json [profile-path]`; prints the step's StepRun as JSON."""
    from .registry import get

    step, kwargs = argv[0], json.loads(argv[1])
    fn = get(step).fn
    if len(argv) > 2:
        import cProfile

        prof = cProfile.Profile()
        result = prof.runcall(fn, **kwargs)
        prof.dump_stats(argv[2])
    else:
        result = fn(**kwargs)
    sys.stdout.flush()
    print("\n" + MARKER + json.dumps(to_json(result), default=str), flush=True)
