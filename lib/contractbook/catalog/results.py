"""The latest run's result per rule, from the ingest's `_run_metrics` (pure + one reader)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from contractbook.contract import Contract


@dataclass(frozen=True)
class RuleResult:
    """One rule's outcome in one run: passed or failed, and how many rows broke it."""

    rule_id: str
    table: str
    kind: str
    passed: bool
    failing_rows: int
    rows_checked: int
    run_id: str
    source: str = "ingest"


@dataclass(frozen=True)
class TableRun:
    """One table's accounting in one run: rows read, loaded and rejected."""

    table: str
    run_id: str
    rows_read: int
    rows_loaded: int
    rows_rejected: int


def latest(metrics: list[dict]) -> list[dict]:
    """The rows of the most recent run_id (run ids sort by time)."""
    if not metrics:
        return []
    last = max(m["run_id"] for m in metrics)
    return [m for m in metrics if m["run_id"] == last]


def _counts(value) -> dict:
    return json.loads(value) if isinstance(value, str) else dict(value or {})


def rule_results(contract: Contract, metrics: list[dict]) -> dict[str, RuleResult]:
    """rule id -> result of the latest run, for every rule of a table that run checked."""
    rows = {m["table_name"]: m for m in latest(metrics)}
    out = {}
    for rule in contract.rules:
        m = rows.get(rule.table)
        if m is None:
            continue
        failing = (_counts(m.get("rejected_by_reason")).get(rule.id, 0)
                   + _counts(m.get("warnings_by_rule")).get(rule.id, 0))
        out[rule.id] = RuleResult(rule.id, rule.table, rule.kind, failing == 0, int(failing),
                                  int(m["rows_read"]), m["run_id"])
    return out


def table_runs(metrics: list[dict]) -> dict[str, TableRun]:
    """table -> accounting of the latest run."""
    return {m["table_name"]: TableRun(m["table_name"], m["run_id"], int(m["rows_read"]),
                                      int(m["rows_loaded"]), int(m["rows_rejected"]))
            for m in latest(metrics)}


def read_metrics(warehouse: str | Path, schema: str = "olist") -> list[dict]:
    """Every row of `<schema>._run_metrics` in a DuckDB warehouse; [] when there is none yet."""
    import duckdb

    path = Path(warehouse)
    if not path.is_file():
        return []
    con = duckdb.connect(str(path), read_only=True)
    try:
        found = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = ? "
                            "AND table_name = '_run_metrics'", [schema]).fetchone()[0]  # type: ignore[index]
        if not found:
            return []
        cur = con.execute(f'SELECT * FROM "{schema}"."_run_metrics"')
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
    finally:
        con.close()
