"""CLI commands that do runs write the run history too: one `_runs` row per command (origin `cli`).

`ingest` is not listed: every ingest run records itself (contractbook.ingest.status), whoever
started it. The row lands beside the command's `--warehouse` when it names a local file, else in
`data/runs.duckdb`. Parameters are the command's options without anything that may hold a
secret (tokens, passwords, URLs with credentials).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from contractbook import runhistory as history

# command -> the `task` its row names, for the arguments that make it a run (else None)
RECORDED: dict[str, Callable[[object], str | None]] = {
    "gx": lambda a: "gx check" if getattr(a, "gx_command", None) == "check" else None,
    "metrics": lambda a: "metrics",
    "catalog": lambda a: "catalog",
    "synth": lambda a: "synth",
}
_SECRET_NAME = re.compile(r"token|password|secret|credential|dsn|url|key", re.I)
_USERINFO = re.compile(r"(://)[^/@\s]+@")


def parameters(args) -> str:
    """The command's options as JSON, without secrets."""
    out = {}
    for name, value in sorted(vars(args).items()):
        if name.startswith("_") or _SECRET_NAME.search(name):
            continue
        text = value if isinstance(value, (bool, int, float, type(None))) else str(value)
        out[name] = _USERINFO.sub(r"\1***@", text) if isinstance(text, str) else text
    return json.dumps(out, sort_keys=True)


def store(args, default: Path = Path("data")) -> Path:
    """Where the command's row goes: beside its local --warehouse file or its --out folder (the
    run's data folder: data/raw -> data), else in default/."""
    warehouse, out = getattr(args, "warehouse", None), getattr(args, "out", None)
    if warehouse and Path(warehouse).suffix == ".duckdb":
        return history.store_for(Path(warehouse).parent)
    if out:
        return history.store_for(Path(out).resolve().parent)
    return history.store_for(default)


def _contract_path(args) -> str | None:
    found = getattr(args, "contract", None) or (getattr(args, "contracts", None) or [None])[0]
    return str(found) if found else None


def around(args, run: Callable[[], int]) -> int:
    """Run a recorded command: a `started` row, then `completed` (exit 0) or `failed`."""
    task = RECORDED.get(args.command, lambda _: None)(args)
    if task is None:
        return run()
    path = _contract_path(args)
    cid, version = history.contract_of(path) if path else (None, None)
    where, begun = store(args), datetime.now(UTC)
    base = dict(
        run_id=history.new_run_id(),
        task=task,
        parameters=parameters(args),
        accounting=None,
        git_commit=history.git_commit(),
        contract_id=cid,
        contract_version=version,
        origin="cli",
    )

    def row(status: str, ended: datetime | None = None, error: str | None = None):
        seconds = (ended - begun).total_seconds() if ended else None
        return history.RunRow(
            status=status, started_at=begun, ended_at=ended, seconds=seconds, error=error, **base
        )

    history.write(where, [row("started")])
    try:
        code = run()
    except BaseException as e:
        from contractbook.errors import one_line

        history.write(where, [row("failed", datetime.now(UTC), one_line(e)[:500])])
        raise
    history.write(
        where,
        [
            row(
                "completed" if code == 0 else "failed",
                datetime.now(UTC),
                None if code == 0 else f"exit {code}",
            )
        ],
    )
    return code
