"""Notebook views of an ingest run: accounting, metrics, reasons, samples and a chart."""

from __future__ import annotations

import html
import json

from .accounts import TableMetrics


def _table(rows: list[dict]) -> str:
    if not rows:
        return "<p><em>none</em></p>"
    head = "".join(f"<th>{html.escape(str(k))}</th>" for k in rows[0])
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in r.values()) + "</tr>"
        for r in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def accounting_rows(result) -> list[dict]:
    """read = loaded + rejected per table, with the verdict."""
    return [{**a.to_dict(), "ok": "yes" if a.ok else "NO"} for a in result.accounting()]


def totals(result) -> dict[str, int | str]:
    """Rows read, loaded and rejected over every table, and the run id (the checkpoint's facts)."""
    acc = result.accounting()
    return {
        "rows read": sum(a.read for a in acc),
        "rows loaded": sum(a.loaded for a in acc),
        "rows rejected": sum(a.rejected for a in acc),
        "run id": result.run_id,
    }


def reason_rows(result) -> list[dict]:
    """Rejected and warned rows per rule id (a row with several reasons counts under each); a
    foreign key's rejects are split by cause: a true orphan, or a parent that was rejected."""
    rows = []
    for m in result.metrics():
        c = result.checks.get(m.table_name)
        cascaded = getattr(c, "cascaded", None) or {}
        for rule, n in json.loads(m.rejected_by_reason).items():
            row = {"table": m.table_name, "rule": rule, "policy": "reject", "cause": "", "rows": n}
            if rule in cascaded:
                rows.append({**row, "cause": "parent rejected", "rows": cascaded[rule]})
                row = {**row, "cause": "orphan", "rows": n - cascaded[rule]}
            if row["rows"]:
                rows.append(row)
        for rule, n in json.loads(m.warnings_by_rule).items():
            rows.append(
                {"table": m.table_name, "rule": rule, "policy": "warn", "cause": "", "rows": n}
            )
    return rows


def table_check_rows(result) -> list[dict]:
    """One row per table-level SQL check (a rule returning one number): value, bound, verdict."""
    return [
        {
            "table": r.table,
            "rule": r.rule,
            "value": "NULL" if r.value is None else r.value,
            "operator": r.operator,
            "threshold": r.threshold,
            "passed": "yes" if r.passed else f"NO ({r.severity})",
            "note": r.message,
        }
        for c in result.checks.values()
        for r in getattr(c, "table_rules", ())
    ]


def render(result) -> str:
    """HTML summary of a run."""
    verdict = "accounting holds for every table" if result.ok else "ACCOUNTING FAILED"
    metric_cols = (
        "table_name",
        "rows_read",
        "rows_loaded",
        "rows_rejected",
        "rows_malformed",
        "duration_seconds",
        "rows_per_second",
    )
    warned = {a.table: a.warned for a in result.accounting()}
    checks = table_check_rows(result)
    metrics = [
        {**{k: getattr(m, k) for k in metric_cols}, "rows_warned": warned.get(m.table_name)}
        for m in result.metrics()
    ]
    return (
        f"<p>run <code>{result.run_id}</code> ({html.escape(result.status)}) → "
        f"<b>{result.destination}</b>: {verdict}</p>"
        f"{_table(metrics)}<h4>Reject and warning reasons</h4>{_table(reason_rows(result))}"
        + (f"<h4>Table-level SQL checks</h4>{_table(checks)}" if checks else "")
    )


def metrics_chart(metrics: list[TableMetrics]):
    """A matplotlib figure: rows loaded and rejected per table, and rows per second."""
    import matplotlib.pyplot as plt

    names = [m.table_name for m in metrics]
    fig, (a, b) = plt.subplots(1, 2, figsize=(12, 4))
    a.barh(names, [m.rows_loaded for m in metrics], label="loaded")
    a.barh(
        names,
        [m.rows_rejected for m in metrics],
        left=[m.rows_loaded for m in metrics],
        label="rejected",
    )
    a.set_xlabel("rows")
    a.legend()
    b.barh(names, [m.rows_per_second or 0 for m in metrics])
    b.set_xlabel("rows per second (check + share of load)")
    fig.tight_layout()
    return fig


def samples(rejects_dir, run_id: str, per_reason: int = 3) -> dict:
    """{table: DataFrame} of up to per_reason rejected rows of this run per reason (Parquet)."""
    from pathlib import Path

    import duckdb

    by_table: dict[str, list[str]] = {}
    for p in sorted(Path(rejects_dir).glob(f"reason=*/date=*/*-{run_id}-*.parquet")):
        by_table.setdefault(p.name.split(f"-{run_id}-")[0], []).append(p.as_posix())
    con = duckdb.connect()
    out = {}
    for table, files in by_table.items():
        out[table] = con.sql(
            "SELECT reason, source_line, * EXCLUDE (reason, date, source_file, source_line, "
            "contract_id, contract_version, run_id, ingested_at) "
            "FROM read_parquet($files, hive_partitioning=true) "
            "QUALIFY row_number() OVER (PARTITION BY reason ORDER BY source_line) <= $n "
            "ORDER BY reason, source_line",
            params={"files": files, "n": int(per_reason)},
        ).df()
    return out
