"""Ploomber DAG-level hooks: check the run configuration, rerun tasks whose input folders changed,
and keep the run history and the reports index after every build.

pipeline.yaml passes every env.yaml parameter to `on_render`, so the configuration is checked
against its schema after the DAG renders and before any task runs.
"""

from __future__ import annotations

import inspect
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from contractbook import runhistory as history

from . import inputs, markdown, runconfig

# What this build was started with; on_render runs first, in the same process as the others.
_BUILD: dict[str, Any] = {}

STATUS = {
    "Executed": "completed",
    "Skipped": "skipped",
    "Errored": "failed",
    "Aborted": "not run",
    "BrokenProcessPool": "failed",
}


def on_render(dag, **config) -> None:
    """Check the configuration (ConfigError stops the build), force changed-input tasks, and
    keep a markdown-only change from rerunning what follows (orchestrate.markdown)."""
    values = runconfig.check(config)
    _BUILD.update(config=values, run_id=history.new_run_id(), started=datetime.now(UTC))
    changed = inputs.changed(dag)
    inputs.force(dag, changed)
    _BUILD["texts"] = markdown.quiet(dag, changed)


# Ploomber passes a hook only the parameters its signature names: name every run parameter.
on_render.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
    [inspect.Parameter("dag", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
    + [inspect.Parameter(p.name, inspect.Parameter.KEYWORD_ONLY) for p in runconfig.PARAMS]
)


def _elapsed(report) -> dict[str, float]:
    """task -> seconds from Ploomber's build report (empty when there is none)."""
    columns = report.to_dict() if report is not None else {}
    names, ran = columns.get("name", []), columns.get("Ran?", [])
    seconds = columns.get("Elapsed (s)", [])
    return {n: float(s or 0) for n, r, s in zip(names, ran, seconds, strict=False) if r}


def _contract(config: dict) -> tuple[str | None, str | None]:
    """(id, version) of the run's contract as written (validate-contract validates it)."""
    return history.contract_of(config["contract"])


def rows(dag, report=None) -> list[history.RunRow]:
    """One RunRow per task of a built (or failed) DAG."""
    config = dict(_BUILD.get("config") or {})
    run_id = str(_BUILD.get("run_id") or history.new_run_id())
    started = _BUILD.get("started")
    elapsed, now = _elapsed(report), datetime.now(UTC)
    cid, version = _contract(config) if config else (None, None)
    commit = history.git_commit()
    store = _store()
    out = []
    for name in dag._iter():
        task = dag[name]
        status = STATUS.get(task.exec_status.name, task.exec_status.name.lower())
        seconds = elapsed.get(name)
        ended = now if status in ("completed", "failed") else None
        begun = ended - timedelta(seconds=seconds) if ended and seconds is not None else None
        # the ingest run this task made (it records itself in the same history)
        acc = (
            history.ingest_accounting(store, started)
            if name == "ingest" and status == "completed"
            else None
        )
        out.append(
            history.RunRow(
                run_id,
                name,
                status,
                begun or (started if ended else None),
                ended,
                seconds,
                json.dumps(config, sort_keys=True),
                acc,
                commit,
                cid,
                version,
                "dag",
            )
        )
    return out


def _store() -> Path:
    """The run history of this build: `runs.duckdb` in its data folder."""
    config = _BUILD.get("config") or {}
    return history.store_for(Path(config.get("data_dir", "data")))


def _record(dag, report=None) -> None:
    history.write(_store(), rows(dag, report))


def _history_html() -> str:
    """The index's run-history sections: the last runs, and the rejects per table run by run."""
    from . import history_view

    store = _store()
    return (
        "<h2>Last runs</h2>"
        + history_view.last_runs_table(history.last_runs(store))
        + "<h2>Rejects per table, run by run</h2>"
        + history_view.reject_trend_table(history.reject_trend(store))
    )


def on_finish(dag, report=None) -> None:
    """After a successful build: remember input digests, record the run, write the index."""
    from contractbook.reporting import index

    inputs.remember(dag)
    markdown.keep_timestamps(dag, _BUILD.get("texts") or {})
    markdown.remember(dag)
    _record(dag, report)
    index.on_finish(dag, history=_history_html())


def on_failure(dag, traceback=None) -> None:
    """After a failed build: record the run (failed tasks included), write the index."""
    from contractbook.reporting import index

    markdown.keep_timestamps(dag, _BUILD.get("texts") or {})
    markdown.remember(dag)
    _record(dag)
    index.on_failure(dag, traceback, history=_history_html())
