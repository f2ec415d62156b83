"""Runner: each ingest run's status in the run history `_runs` (started, then completed or failed).

`started` is written before any data; `completed` or `failed`, with the accounting, after the
data, and the run's `_run_metrics` rows are loaded with dlt beside the data. A killed run stays
`started` and has no metrics rows: only completed runs count. The history is the one the DAG
hooks and the CLI write (contractbook.runhistory), beside the run's local files.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from contractbook import runhistory as history

from .accounts import Account, TableMetrics
from .destinations import Destination

TASK = "ingest"  # the `task` of an ingest run's row


@dataclass
class RunRecord:
    """An ingest run as the history holds it."""

    run_id: str
    contract_id: str
    contract_version: str
    destination: str
    location: str
    started_at: str
    store: Path  # the history file (history.store_near)
    parameters: dict = field(default_factory=dict)  # input folder, server, destination, location
    status: str = "started"
    finished_at: str | None = None
    error: str | None = None
    accounting: list[Account] | None = None
    commit: str | None = None

    def finish(
        self, ok: bool, error: str | None = None, accounting: list[Account] | None = None
    ) -> RunRecord:
        """This record, completed (ok) or failed, stamped now."""
        self.status = "completed" if ok and error is None else "failed"
        self.finished_at, self.error = datetime.now(UTC).isoformat(), error
        self.accounting = accounting if accounting is not None else self.accounting
        return self

    def row(self) -> history.RunRow:
        """The record as a `_runs` row."""
        started = datetime.fromisoformat(self.started_at)
        ended = datetime.fromisoformat(self.finished_at) if self.finished_at else None
        acc = (
            None
            if self.accounting is None
            else json.dumps(
                {
                    a.table: {"read": a.read, "loaded": a.loaded, "rejected": a.rejected}
                    for a in self.accounting
                },
                sort_keys=True,
            )
        )
        params = {"destination": self.destination, "location": self.location, **self.parameters}
        return history.RunRow(
            self.run_id,
            TASK,
            self.status,
            started,
            ended,
            (ended - started).total_seconds() if ended else None,
            json.dumps(params, sort_keys=True, default=str),
            acc,
            self.commit,
            self.contract_id,
            self.contract_version,
            "ingest",
            self.error,
        )


def record(
    pipe, dest: Destination, rec: RunRecord, metrics: list[TableMetrics] | None = None
) -> None:
    """Write the run's status to the history; once it finished, load its metrics with dlt."""
    import pyarrow as pa

    from .hints import METRICS_HINTS
    from .load import resource

    if metrics:
        rows = [{**m.to_dict(), "run_status": rec.status} for m in metrics]
        pipe.run([resource(pa.Table.from_pylist(rows), METRICS_HINTS, dest)])
    history.write(rec.store, [rec.row()])
