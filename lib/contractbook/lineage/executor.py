"""A Ploomber executor that emits OpenLineage START before each task and COMPLETE/FAIL after it.

Ploomber 0.23 has task hooks only after a task (`on_finish`, `on_failure`; `on_render` runs
when the DAG renders, not when a task starts), so the start is taken where tasks are built: the
executor. pipeline.yaml names it once
(`executor: {dotted_path: contractbook.lineage.executor.Serial}`)
and every task, present or added later, is covered. A lineage problem never fails the build: it
is one warning line.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

from contractbook.paths import project_root
from contractbook.reporting.executor import Serial as _Serial

LINEAGE_DIR = "data/lineage"
BUILD_JOB = "contractbook.build"


def _products(task) -> dict:
    paths = getattr(task.product, "to_json_serializable", None)
    value = paths() if paths else str(task.product)
    return value if isinstance(value, dict) else {"product": value}


def _warn(message: str) -> None:
    print(f"lineage: {message}", file=sys.stderr)


class Serial(_Serial):
    """The project's quiet serial executor, plus lineage events around every task it builds."""

    # build_in_subprocess defaults to False: ploomber pickles a Python-function task to run it in
    # a subprocess, and the traced build cannot be pickled (notebook tasks run in-process anyway).
    def __init__(
        self,
        build_in_subprocess=False,
        catch_exceptions=True,
        catch_warnings=True,
        lineage_dir: str = LINEAGE_DIR,
    ):
        super().__init__(build_in_subprocess, catch_exceptions, catch_warnings)
        self.lineage_dir = lineage_dir

    def __call__(self, dag, show_progress):
        from openlineage.client.uuid import generate_new_uuid

        from . import emit

        root = project_root()
        build_id = datetime.now(UTC).strftime("build-%Y%m%dT%H%M%S%fZ")
        parent = (str(generate_new_uuid()), BUILD_JOB)
        try:
            emitter = emit.Emitter(emit.destination(root / self.lineage_dir, build_id))
        except Exception as e:
            _warn(f"no events this build ({str(e).splitlines()[0][:200]})")
            return super().__call__(dag, show_progress)
        originals = {}
        for name in dag:
            task = dag[name]
            originals[name] = task._build
            task._build = _traced(task, task._build, emitter, parent, root)
        try:
            return super().__call__(dag, show_progress)
        finally:
            for name, original in originals.items():
                dag[name]._build = original


def _traced(task, build, emitter, parent, root: Path):
    """task._build wrapped: START, then COMPLETE on success or FAIL on an exception."""
    from openlineage.client.event_v2 import RunState
    from openlineage.client.uuid import generate_new_uuid

    from .events import TaskRun, event

    def send(run, state, error=None):
        try:
            emitter.emit(event(run, state, error))
        except Exception as e:  # lineage must not break the pipeline
            _warn(f"{state.value} of {task.name} not sent ({str(e).splitlines()[0][:200]})")

    def wrapped(*args, **kwargs):
        params = {k: v for k, v in dict(task.params).items() if k not in ("upstream", "product")}
        run = TaskRun(
            task.name,
            params,
            _products(task),
            str(generate_new_uuid()),
            datetime.now(UTC),
            parent,
            root,
            upstream={n: _products(up) for n, up in task.upstream.items()},
        )
        send(run, RunState.START)
        try:
            out = build(*args, **kwargs)
        except BaseException as e:
            send(run, RunState.FAIL, f"{type(e).__name__}: {e}")
            raise
        send(run, RunState.COMPLETE)
        return out

    return wrapped
