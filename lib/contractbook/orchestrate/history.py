"""The run history: a `_runs` table with one row per task of every build and per CLI run.

Written by the DAG's on_finish/on_failure hooks and by the CLI. It lives in the DuckDB warehouse
when the destination is DuckDB, else in `<data_dir>/runs.duckdb` beside the data, so the history
of a run is never on a server the run may not reach.
"""

from __future__ import annotations

import json
import subprocess
import uuid
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

COLUMNS = {
    "run_id": "VARCHAR", "task": "VARCHAR", "status": "VARCHAR", "started_at": "TIMESTAMP",
    "ended_at": "TIMESTAMP", "seconds": "DOUBLE", "parameters": "JSON", "accounting": "JSON",
    "git_commit": "VARCHAR", "contract_id": "VARCHAR", "contract_version": "VARCHAR",
    "origin": "VARCHAR",
}


@dataclass(frozen=True)
class RunRow:
    """One row of `_runs`: a task of a build, or one CLI command."""

    run_id: str
    task: str
    status: str                   # completed, failed, skipped, not run
    started_at: datetime | None
    ended_at: datetime | None
    seconds: float | None
    parameters: str               # JSON object
    accounting: str | None        # JSON: {table: {read, loaded, rejected}} for ingest tasks
    git_commit: str | None
    contract_id: str | None
    contract_version: str | None
    origin: str                   # "dag" or "cli"


def new_run_id() -> str:
    """A sortable run id: UTC time plus 8 random hex digits."""
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ-") + uuid.uuid4().hex[:8]


def git_commit(folder: Path = Path(".")) -> str | None:
    """HEAD's commit of the checkout holding folder (with -dirty when it has changes), or None."""
    try:
        out = subprocess.run(["git", "-C", str(folder), "describe", "--always", "--dirty",
                              "--abbrev=12"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def store_for(data_dir: Path, destination: str) -> Path:
    """The DuckDB file that holds `_runs` for a run with this data folder and destination."""
    name = "warehouse.duckdb" if destination == "duckdb" else "runs.duckdb"
    return Path(data_dir) / name


def write(store: Path, rows: Iterable[RunRow]) -> int:
    """Append rows to `_runs` in the DuckDB file store (created when missing); returns the count."""
    import duckdb

    rows = list(rows)
    if not rows:
        return 0
    store.parent.mkdir(parents=True, exist_ok=True)
    cols = list(COLUMNS)
    with duckdb.connect(str(store)) as con:
        con.execute("CREATE TABLE IF NOT EXISTS main._runs ("
                    + ", ".join(f"{c} {t}" for c, t in COLUMNS.items()) + ")")
        con.executemany(f"INSERT INTO main._runs ({', '.join(cols)}) VALUES "
                        f"({', '.join('?' for _ in cols)})",
                        [[asdict(r)[c] for c in cols] for r in rows])
    return len(rows)


def _metrics_table(con) -> str | None:
    """The quoted schema-qualified name of the ingest's `_run_metrics` table, or None."""
    from contractbook.ingest.plan import qi

    found = con.execute("SELECT table_schema FROM information_schema.tables "
                        "WHERE table_name = '_run_metrics' ORDER BY table_schema LIMIT 1").fetchone()
    return f"{qi(found[0])}._run_metrics" if found else None


def accounting(store: Path, run_id: str | None = None) -> str | None:
    """JSON {table: {read, loaded, rejected}} of an ingest run (default: the latest) from
    `_run_metrics`, or None when the store has none."""
    import duckdb

    if not store.is_file():
        return None
    with duckdb.connect(str(store), read_only=True) as con:
        metrics = _metrics_table(con)
        if metrics is None:
            return None
        where = "run_id = ?" if run_id else \
            f"run_id = (SELECT max(run_id) FROM {metrics})"
        rows = con.execute(f"SELECT table_name, rows_read, rows_loaded, rows_rejected "
                           f"FROM {metrics} WHERE {where} ORDER BY table_name",
                           [run_id] if run_id else []).fetchall()
    return json.dumps({t: {"read": r, "loaded": lo, "rejected": rj} for t, r, lo, rj in rows})


@dataclass(frozen=True)
class LastRun:
    """A build or CLI run as the index lists it."""

    run_id: str
    started_at: datetime | None
    ended_at: datetime | None
    status: str
    tasks: int
    failed: int


def last_runs(store: Path, limit: int = 10) -> list[LastRun]:
    """The latest runs in `_runs`, newest first (one entry per run id)."""
    import duckdb

    if not store.is_file():
        return []
    with duckdb.connect(str(store), read_only=True) as con:
        if not con.execute("SELECT count(*) FROM information_schema.tables "
                           "WHERE table_schema = 'main' AND table_name = '_runs'"
                           ).fetchone()[0]:  # type: ignore[index]  # count(*): always one row
            return []
        rows = con.execute(
            "SELECT run_id, min(started_at), max(ended_at), "
            "CASE WHEN bool_or(status = 'failed') THEN 'failed' ELSE 'completed' END, "
            "count(*), count(*) FILTER (WHERE status = 'failed') "
            "FROM main._runs GROUP BY run_id ORDER BY run_id DESC LIMIT ?", [limit]).fetchall()
    return [LastRun(*r) for r in rows]


def reject_trend(store: Path, limit: int = 20) -> dict[str, list[tuple[str, int]]]:
    """table -> [(run_id, rows rejected)] over the latest ingest runs, oldest first."""
    import duckdb

    if not store.is_file():
        return {}
    with duckdb.connect(str(store), read_only=True) as con:
        metrics = _metrics_table(con)
        if metrics is None:
            return {}
        columns = {r[0] for r in con.execute(f"DESCRIBE {metrics}").fetchall()}
        done = "WHERE run_status = 'completed'" if "run_status" in columns else ""  # not killed
        rows = con.execute(
            f"WITH runs AS (SELECT DISTINCT run_id FROM {metrics} {done} ORDER BY run_id DESC "
            f"LIMIT ?) SELECT table_name, run_id, sum(rows_rejected)::BIGINT FROM {metrics} "
            "WHERE run_id IN (SELECT run_id FROM runs) GROUP BY ALL ORDER BY table_name, run_id",
            [limit]).fetchall()
    out: dict[str, list[tuple[str, int]]] = {}
    for table, run_id, rejected in rows:
        out.setdefault(table, []).append((run_id, rejected))
    return out
