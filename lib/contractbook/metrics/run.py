"""Runner: materialize every model as a table of the `curated` schema, in dependency order.

Models read only accepted rows (the ingest's `olist.<table>`); for each model the run reports
how many input rows it never saw because the ingest kept them as rejects (`<table>__rejects`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from contractbook.contract import Contract

from . import compile as sql
from .declare import CURATED, RAW, Model, models
from .engines import Session

if TYPE_CHECKING:
    from .check import CuratedCheck


@dataclass(frozen=True)
class ModelRun:
    """One model materialized: its rows, time, and the rejects left out per raw input table."""

    model: str
    table: str
    rows: int
    seconds: float
    left_out: dict[str, int] = field(hash=False)  # raw table -> rows kept as rejects

    @property
    def rejected_inputs(self) -> int:
        """Input rows left out as rejects, over every raw table the model reads."""
        return sum(self.left_out.values())


@dataclass
class MetricsRun:
    """Every model of one run: where it wrote, per-model results and (optional) the check."""

    engine: str
    schema: str
    models: list[ModelRun] = field(default_factory=list)
    check: CuratedCheck | None = None

    @property
    def ok(self) -> bool:
        """True when the curated tables were checked and break no rule."""
        return self.check is not None and self.check.ok

    def rows(self) -> list[dict]:
        """One summary row per model (for tables and the CLI)."""
        return [
            {
                "model": r.model,
                "table": r.table,
                "rows": r.rows,
                "seconds": round(r.seconds, 3),
                "rejects_left_out": r.rejected_inputs,
                "left_out_by_table": ", ".join(f"{t} {n}" for t, n in r.left_out.items() if n)
                or "none",
            }
            for r in self.models
        ]

    def _repr_html_(self) -> str:
        from .report import run_html

        return run_html(self)


def raw_tables(model: Model, by_name: dict[str, Model]) -> list[str]:
    """Raw contract tables a model reads, directly or through the models it reads (sorted)."""
    found = set(model.raw_inputs)
    for dep in model.depends_on:
        found |= set(raw_tables(by_name[dep], by_name))
    return sorted(found)


def rejects(s: Session, tables: list[str], raw_schema: str = RAW) -> dict[str, int]:
    """Rows kept as rejects per raw table (0 where the ingest wrote no rejects table)."""
    out = {}
    for t in tables:
        name = f"{t}__rejects"
        out[t] = (
            s.value(f"SELECT count(*) FROM {s.ident(raw_schema, name)}")
            if s.has_table(raw_schema, name)
            else 0
        )
    return out


def materialize(s: Session, model: Model, schemas: dict[str, str]) -> int:
    """(Re)create the model's table from its SELECT; rows written."""
    table = s.ident(schemas[CURATED], model.name)
    s.execute(f"DROP TABLE IF EXISTS {table}")
    s.execute(f"CREATE TABLE {table} AS {sql.select(model, s.engine.name, schemas)}")
    return s.value(f"SELECT count(*) FROM {table}")


def run(
    s: Session,
    contract: Contract,
    selected: tuple[Model, ...] | None = None,
    raw_schema: str = RAW,
    curated_schema: str = CURATED,
    progress=print,
) -> MetricsRun:
    """Materialize the models (default: all, in dependency order) in one transaction."""
    todo = selected or models(contract)
    by_name = {m.name: m for m in models(contract)}
    schemas = {RAW: raw_schema, CURATED: curated_schema}
    result = MetricsRun(s.engine.name, curated_schema)
    s.execute("BEGIN")
    try:
        s.execute(f"CREATE SCHEMA IF NOT EXISTS {s.ident(curated_schema)}")
        for m in todo:
            started = time.perf_counter()
            n = materialize(s, m, schemas)
            left = rejects(s, raw_tables(m, by_name), raw_schema)
            result.models.append(
                ModelRun(
                    m.name, f"{curated_schema}.{m.name}", n, time.perf_counter() - started, left
                )
            )
            if progress:
                progress(
                    f"  {m.name:<20} {n:>9,} rows  {time.perf_counter() - started:6.2f}s  "
                    f"left out as rejects: {sum(left.values()):,}"
                )
        s.execute("COMMIT")
    except BaseException:
        s.execute("ROLLBACK")
        raise
    return result
