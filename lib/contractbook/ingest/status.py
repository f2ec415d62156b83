"""Runner: each run's status in `_runs` (started, then completed or failed).

`started` is loaded before any data; `completed` or `failed` and the run's `_run_metrics` rows are
loaded after the data, in one small load. A killed run stays `started` and has no metrics rows:
only completed runs count.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from .accounts import TableMetrics
from .destinations import Destination

RUNS_COLUMNS: dict[str, dict] = {
    "run_id": {"data_type": "text", "nullable": False, "primary_key": True},
    "status": {"data_type": "text", "nullable": False,
               "description": "started, completed or failed; a run that stays started was killed"},
    "contract_id": {"data_type": "text", "nullable": False},
    "contract_version": {"data_type": "text", "nullable": False},
    "destination": {"data_type": "text", "nullable": False},
    "location": {"data_type": "text", "description": "warehouse written (path or host/port/db)"},
    "started_at": {"data_type": "timestamp", "timezone": True, "nullable": False},
    "finished_at": {"data_type": "timestamp", "timezone": True},
    "error": {"data_type": "text", "description": "one line: why the run failed"},
}
RUNS_HINTS = {"name": "_runs", "write_disposition": "merge", "primary_key": ["run_id"],
              "columns": {k: {"name": k, **v} for k, v in RUNS_COLUMNS.items()}}


@dataclass
class RunRecord:
    """One row of `_runs`."""

    run_id: str
    contract_id: str
    contract_version: str
    destination: str
    location: str
    started_at: str
    status: str = "started"
    finished_at: str | None = None
    error: str | None = None

    def finish(self, ok: bool, error: str | None = None) -> RunRecord:
        """This record, completed (ok) or failed, stamped now."""
        self.status = "completed" if ok and error is None else "failed"
        self.finished_at, self.error = datetime.now(UTC).isoformat(), error
        return self

    def arrow(self):
        """The record as a one-row Arrow table with explicit types."""
        import pyarrow as pa

        ts = pa.timestamp("us", tz="UTC")
        schema = pa.schema([(k, ts if k.endswith("_at") else pa.string()) for k in RUNS_COLUMNS])
        row = asdict(self)
        row.update({k: datetime.fromisoformat(row[k]) if row[k] else None
                    for k in ("started_at", "finished_at")})
        return pa.Table.from_pylist([row], schema=schema)


def record(pipe, dest: Destination, rec: RunRecord,
           metrics: list[TableMetrics] | None = None) -> None:
    """Load the run's status (and, once it finished, its metrics) in one small dlt load."""
    import pyarrow as pa

    from .hints import METRICS_HINTS
    from .load import resource

    resources = [resource(rec.arrow(), RUNS_HINTS, dest)]
    if metrics:
        rows = [{**m.to_dict(), "run_status": rec.status} for m in metrics]
        resources.append(resource(pa.Table.from_pylist(rows), METRICS_HINTS, dest))
    pipe.run(resources)
