"""The run history: one `_runs` table with a row per task of every build and per run of a command.

Written by the DAG's on_finish/on_failure hooks (origin `dag`), by every ingest run itself,
whoever started it: `contractbook ingest`, the DAG's ingest task, the file sensor (origin
`ingest`, status `started` first, then `completed` or `failed`: a killed run stays `started`),
and by the other CLI commands that do runs (origin `cli`). It lives in `runs.duckdb` beside the
run's data (`<data_dir>/runs.duckdb`, the folder of a local warehouse), never on a server the run
may not reach, and never in the warehouse itself, which a no-op build leaves untouched.
"""

from __future__ import annotations

import subprocess
import time
import uuid
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

STORE = "runs.duckdb"
COLUMNS = {
    "run_id": "VARCHAR",
    "task": "VARCHAR",
    "status": "VARCHAR",
    "started_at": "TIMESTAMP",
    "ended_at": "TIMESTAMP",
    "seconds": "DOUBLE",
    "parameters": "JSON",
    "accounting": "JSON",
    "git_commit": "VARCHAR",
    "contract_id": "VARCHAR",
    "contract_version": "VARCHAR",
    "origin": "VARCHAR",
    "error": "VARCHAR",
}
LOCK_WAIT = 30.0  # seconds a writer waits for another process's short write


@dataclass(frozen=True)
class RunRow:
    """One row of `_runs`: a task of a build, an ingest run, or one CLI command."""

    run_id: str
    task: str  # DAG task name, or the command (ingest, gx, ...)
    status: str  # started, completed, failed, skipped, not run
    started_at: datetime | None
    ended_at: datetime | None
    seconds: float | None
    parameters: str  # JSON object
    accounting: str | None  # JSON: {table: {read, loaded, rejected}} for ingest runs
    git_commit: str | None
    contract_id: str | None
    contract_version: str | None
    origin: str  # "dag", "ingest" or "cli"
    error: str | None = None  # one line: why the run failed


def new_run_id() -> str:
    """A sortable run id: UTC time plus 8 random hex digits."""
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ-") + uuid.uuid4().hex[:8]


def git_commit(folder: Path = Path(".")) -> str | None:
    """HEAD's commit of the checkout holding folder (with -dirty when it has changes), or None."""
    try:
        out = subprocess.run(
            ["git", "-C", str(folder), "describe", "--always", "--dirty", "--abbrev=12"],
            capture_output=True,
            text=True,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def contract_of(path: str | Path) -> tuple[str | None, str | None]:
    """(id, version) of a contract file as written (not validated), or Nones when unreadable."""
    import yaml

    try:
        doc = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        return str(doc.get("id")), str(doc.get("version"))
    except (OSError, ValueError, AttributeError, yaml.YAMLError):
        return None, None


def store_for(data_dir: Path) -> Path:
    """The DuckDB file that holds `_runs` for a run whose data folder is data_dir."""
    return Path(data_dir) / STORE


def store_near(warehouse: Path | None, rejects_dir: Path) -> Path:
    """The history of an ingest run: beside its local warehouse, else beside its rejects."""
    return store_for(Path(warehouse).parent if warehouse else Path(rejects_dir).parent)


def _utc(value):
    """value as a naive UTC datetime (the TIMESTAMP columns hold UTC), others unchanged."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def _connect(store: Path, read_only: bool = False):
    """A connection to store, waiting up to LOCK_WAIT s while another process writes it."""
    import duckdb

    end = time.monotonic() + LOCK_WAIT
    while True:
        try:
            return duckdb.connect(str(store), read_only=read_only)
        except duckdb.IOException as e:
            if "lock" not in str(e).lower() or time.monotonic() > end:
                raise
            time.sleep(0.1)


def _has_runs(con) -> bool:
    return bool(
        con.execute(
            "SELECT count(*) FROM information_schema.tables "
            "WHERE table_schema = 'main' AND table_name = '_runs'"
        ).fetchone()[0]
    )


def write(store: Path, rows: Iterable[RunRow]) -> int:
    """Upsert rows into `_runs` of store (created when missing), keyed by run id and task."""
    rows = list(rows)
    if not rows:
        return 0
    store.parent.mkdir(parents=True, exist_ok=True)
    cols = list(COLUMNS)
    with _connect(store) as con:
        con.execute(
            "CREATE TABLE IF NOT EXISTS main._runs ("
            + ", ".join(f"{c} {t}" for c, t in COLUMNS.items())
            + ", PRIMARY KEY (run_id, task))"
        )
        con.executemany(
            f"INSERT OR REPLACE INTO main._runs ({', '.join(cols)}) VALUES "
            f"({', '.join('?' for _ in cols)})",
            [[_utc(asdict(r)[c]) for c in cols] for r in rows],
        )
    return len(rows)


def ingest_accounting(store: Path, since: datetime | None = None) -> str | None:
    """The accounting of the latest completed ingest run (started at or after since), or None."""
    if not store.is_file():
        return None
    with _connect(store, read_only=True) as con:
        if not _has_runs(con):
            return None
        found = con.execute(
            "SELECT accounting FROM main._runs WHERE origin = 'ingest' AND status = 'completed' "
            "AND (?::TIMESTAMP IS NULL OR started_at >= ?) ORDER BY started_at DESC LIMIT 1",
            [_utc(since), _utc(since)],
        ).fetchone()
    return found[0] if found else None


@dataclass(frozen=True)
class LastRun:
    """A build, an ingest or a CLI run as the index lists it."""

    run_id: str
    started_at: datetime | None
    ended_at: datetime | None
    status: str
    tasks: int
    failed: int
    what: str = ""  # "build", or the command: ingest, gx, ...


def last_runs(store: Path, limit: int = 10) -> list[LastRun]:
    """The latest runs in `_runs`, newest first (one entry per run id)."""
    if not store.is_file():
        return []
    with _connect(store, read_only=True) as con:
        if not _has_runs(con):
            return []
        rows = con.execute(
            "SELECT run_id, min(started_at), max(ended_at), "
            "CASE WHEN bool_or(status = 'failed') THEN 'failed' "
            "WHEN bool_or(status = 'started') THEN 'started' ELSE 'completed' END, "
            "count(*), count(*) FILTER (WHERE status = 'failed'), "
            "CASE WHEN bool_or(origin = 'dag') THEN 'build' ELSE min(task) END "
            "FROM main._runs GROUP BY run_id ORDER BY run_id DESC LIMIT ?",
            [limit],
        ).fetchall()
    return [LastRun(*r) for r in rows]


def reject_trend(store: Path, limit: int = 20) -> dict[str, list[tuple[str, int]]]:
    """table -> [(run_id, rows rejected)] over the latest completed ingest runs, oldest first."""
    if not store.is_file():
        return {}
    with _connect(store, read_only=True) as con:
        if not _has_runs(con):
            return {}
        rows = con.execute(
            "WITH runs AS (SELECT run_id, accounting FROM main._runs WHERE origin = 'ingest' "
            "AND status = 'completed' AND accounting IS NOT NULL ORDER BY run_id DESC LIMIT ?) "
            "SELECT t.key, run_id, (t.value ->> 'rejected')::BIGINT FROM runs, "
            "json_each(accounting) AS t ORDER BY t.key, run_id",
            [limit],
        ).fetchall()
    out: dict[str, list[tuple[str, int]]] = {}
    for table, run_id, rejected in rows:
        out.setdefault(table, []).append((run_id, rejected))
    return out
