"""The latest run's result per rule, from the ingest's `_run_metrics` (pure + one reader)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from contractbook.contract import Contract
from contractbook.sqltext import ident


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


def _counts(value) -> dict[str, int]:
    return json.loads(value) if isinstance(value, str) else dict(value or {})


@dataclass(frozen=True)
class MetricsRow:
    """The columns of one `_run_metrics` row that the catalog and the lineage read back."""

    run_id: str
    table_name: str
    rows_read: int
    rows_loaded: int
    rows_rejected: int
    rejected_by_reason: dict[str, int]
    warnings_by_rule: dict[str, int]

    @classmethod
    def from_dict(cls, d: dict) -> MetricsRow:
        """From a row as the warehouse returns it (reason counts as JSON text or a map)."""
        return cls(
            d["run_id"],
            d["table_name"],
            int(d["rows_read"]),
            int(d["rows_loaded"]),
            int(d["rows_rejected"]),
            _counts(d.get("rejected_by_reason")),
            _counts(d.get("warnings_by_rule")),
        )


def latest(metrics: list[MetricsRow]) -> list[MetricsRow]:
    """The rows of the most recent run_id (run ids sort by time)."""
    if not metrics:
        return []
    last = max(m.run_id for m in metrics)
    return [m for m in metrics if m.run_id == last]


def rule_results(contract: Contract, metrics: list[MetricsRow]) -> dict[str, RuleResult]:
    """rule id -> result of the latest run, for every rule of a table that run checked."""
    rows = {m.table_name: m for m in latest(metrics)}
    out = {}
    for rule in contract.rules:
        m = rows.get(rule.table)
        if m is None:
            continue
        failing = m.rejected_by_reason.get(rule.id, 0) + m.warnings_by_rule.get(rule.id, 0)
        out[rule.id] = RuleResult(
            rule.id, rule.table, rule.kind, failing == 0, int(failing), m.rows_read, m.run_id
        )
    return out


def table_runs(metrics: list[MetricsRow]) -> dict[str, TableRun]:
    """table -> accounting of the latest run."""
    return {
        m.table_name: TableRun(m.table_name, m.run_id, m.rows_read, m.rows_loaded, m.rows_rejected)
        for m in latest(metrics)
    }


def _duckdb_rows(warehouse: str | Path, schema: str) -> list[dict]:
    """Every `_run_metrics` row of a DuckDB warehouse file."""
    import duckdb

    path = Path(warehouse)
    if not path.is_file():
        return []
    con = duckdb.connect(str(path), read_only=True)
    try:
        found = con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? "
            "AND table_name = '_run_metrics'",
            [schema],
        ).fetchone()[0]  # type: ignore[index]
        if not found:
            return []
        cur = con.execute(f"SELECT * FROM {ident(schema)}._run_metrics")
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
    finally:
        con.close()


def _postgres_rows(warehouse: str | Path, schema: str) -> list[dict]:
    """Every `_run_metrics` row of the PostgreSQL server ingest loaded (credentials from the
    environment, as the ingest read them; warehouse is only the server's shown identity)."""
    import psycopg2

    from contractbook.ingest import destinations

    dsn = destinations.get("postgres")._credentials().to_native_representation()
    table = f"{ident(schema, 'postgres')}._run_metrics"
    with psycopg2.connect(dsn) as pg, pg.cursor() as cur:
        cur.execute("SELECT to_regclass(%s)", [table])
        if cur.fetchone()[0] is None:
            return []
        cur.execute(f"SELECT * FROM {table}")
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def _delta_rows(warehouse: str | Path, schema: str) -> list[dict]:
    """Every `_run_metrics` row of the Delta tables under the warehouse folder."""
    path = Path(warehouse) / schema / "_run_metrics"
    if not (path / "_delta_log").is_dir():
        return []
    from deltalake import DeltaTable

    return DeltaTable(str(path)).to_pyarrow_table().to_pylist()


# destination -> reader of its `_run_metrics`; destinations not run here have none (no results)
READERS = {"duckdb": _duckdb_rows, "postgres": _postgres_rows, "filesystem": _delta_rows}


def read_metrics(
    warehouse: str | Path, schema: str = "olist", destination: str = "duckdb"
) -> list[MetricsRow]:
    """Every row of `<schema>._run_metrics` where destination loaded; [] when there is none yet."""
    from contractbook.ingest import destinations

    destinations.get(destination)  # an unknown destination: the registry's clear error
    reader = READERS.get(destination)
    return [MetricsRow.from_dict(d) for d in reader(warehouse, schema)] if reader else []
