"""Typed rows of an ingest run: the accounting per table and the `_run_metrics` row per table."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields


def html_rows(records: list, caption: str | None = None) -> str:
    """An escaped HTML table of records (dataclasses), one column per field."""
    from contractbook.reporting.tables import table

    return table([r.to_dict() for r in records], caption=caption)._repr_html_()


@dataclass(frozen=True)
class Account:
    """One table in one run: rows read, loaded and rejected, and whether read = the two."""

    table: str
    read: int
    loaded: int
    rejected: int
    ok: bool
    error: str | None = None
    warned: int | None = None  # loaded rows with a warning (a known quirk); None: not counted

    def to_dict(self) -> dict:
        """The JSON form (the receipt's `accounting` items)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> Account:
        """The Account of a JSON item written by to_dict()."""
        return cls(**{f.name: d[f.name] for f in fields(cls) if f.name in d})

    def _repr_html_(self) -> str:
        return html_rows([self])


@dataclass(frozen=True)
class TableMetrics:
    """One row of `_run_metrics`: what one run did to one table, and how fast."""

    run_id: str
    contract_id: str
    contract_version: str
    destination: str
    table_name: str
    rows_read: int
    rows_loaded: int
    rows_rejected: int
    rows_malformed: int
    rejected_by_reason: str  # JSON: rule id -> rows
    warnings_by_rule: str  # JSON: rule id -> rows
    check_seconds: float
    load_seconds: float
    duration_seconds: float
    rows_per_second: float | None
    accounting_ok: bool
    notes: str
    # JSON: table-level SQL rule id -> value, operator, threshold, passed, severity
    table_checks: str = "{}"

    def to_dict(self) -> dict:
        """The row as loaded into `_run_metrics` (column -> value)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> TableMetrics:
        """The row of a `_run_metrics` record (extra columns such as run_status ignored; rows
        written before a column existed take its default)."""
        return cls(**{f.name: d[f.name] for f in fields(cls) if f.name in d})

    def _repr_html_(self) -> str:
        return html_rows([self])
