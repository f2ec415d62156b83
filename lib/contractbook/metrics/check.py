"""Runner: check the curated tables against their generated contract with the ingest's engine.

Each curated table is exported as CSV (from DuckDB or PostgreSQL alike) and checked exactly as a
raw table is: `contractbook.ingest.check.check_table` casts every value with the contract's
type and lists every broken rule (type, required, primary key, range, pattern, ...).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from contractbook.contract import Contract
from contractbook.ingest.check import TableCheck, check_table, setup
from contractbook.ingest.run import new_run

from .engines import Session


@dataclass
class CuratedCheck:
    """Per curated table: rows read, rows breaking a rule, and the broken rules with counts."""

    contract_id: str
    version: str
    tables: dict[str, TableCheck] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when no curated row breaks a rule of the curated contract."""
        return all(c.rejected == 0 for c in self.tables.values())

    def rows(self) -> list[dict]:
        """One row per table: read, passing, failing, reasons."""
        return [
            {
                "table": name,
                "rows": c.read,
                "pass": c.accepted,
                "fail": c.rejected,
                "broken_rules": ", ".join(f"{k} {v}" for k, v in sorted(c.reasons.items()))
                or "none",
            }
            for name, c in self.tables.items()
        ]

    def _repr_html_(self) -> str:
        from .report import check_html

        return check_html(self)


def check(s: Session, curated: Contract, schema: str = "curated") -> CuratedCheck:
    """Check every table of the curated contract as it sits in the warehouse."""
    import duckdb

    out = CuratedCheck(curated.id, curated.version)
    run = new_run()
    with (
        tempfile.TemporaryDirectory(prefix="contractbook-curated-") as tmp,
        duckdb.connect() as con,
    ):
        setup(con)
        for name in curated.dependency_order:
            cols = ", ".join(s.ident(c) for c in curated.table(name).column_names)
            s.export_csv(f"SELECT {cols} FROM {s.ident(schema, name)}", Path(tmp) / f"{name}.csv")
            out.tables[name] = check_table(con, curated, name, Path(tmp), run)
    return out
