"""Runner: the dashboard's numbers for a date range and a set of states, from a DuckDB warehouse.

The filter is applied to the *inputs* (accepted orders purchased in the range, by customers of
the states, and the rows of the tables that reference those orders); then the very same model
SQL runs on them in an in-memory DuckDB. Every figure of the dashboard is therefore a model
output, filtered consistently, and the warehouse is only read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from contractbook.contract import Contract
from contractbook.registry import lookup

from . import engines
from .declare import CURATED, RAW, models
from .run import MetricsRun, run

SCHEMAS = {RAW: "f_olist", CURATED: "f_curated"}  # in-memory: filtered inputs, model outputs


@dataclass(frozen=True)
class FilterSpec:
    """Where the dashboard's filters apply in the raw contract (Olist's names, kept apart)."""

    table: str = "orders"
    date_column: str = "order_purchase_timestamp"
    state_table: str = "customers"
    state_key: str = "customer_id"
    state_column: str = "customer_state"


@dataclass(frozen=True)
class Filters:
    """A date range (inclusive, either end open) and states (empty: all)."""

    start: date | None = None
    end: date | None = None
    states: tuple[str, ...] = ()

    @classmethod
    def parse(
        cls, start: str | None = "", end: str | None = "", states: str | None = ""
    ) -> Filters:
        """From notebook/env text: ISO dates or empty, states comma-separated or empty."""

        def day(text):
            return date.fromisoformat(str(text).strip()) if text and str(text).strip() else None

        names = tuple(s.strip().upper() for s in str(states or "").split(",") if s.strip())
        return cls(day(start), day(end), names)

    def __str__(self) -> str:
        span = f"{self.start or 'first order'} to {self.end or 'last order'}"
        return f"{span}; states: {', '.join(self.states) or 'all'}"


def _filtered_inputs(s, contract: Contract, spec: FilterSpec, f: Filters) -> None:
    """Tables f_olist.<t>: the filtered orders, rows referencing them, every other table as is."""
    src = lambda t: s.ident("wh", RAW, t)  # noqa: E731
    out = lambda t: s.ident(SCHEMAS[RAW], t)  # noqa: E731
    s.execute(f"CREATE SCHEMA {s.ident(SCHEMAS[RAW])}")
    d, key, st = (s.ident(c) for c in (spec.date_column, spec.state_key, spec.state_column))
    where, params = ["true"], list[object]()
    if f.start:
        where.append(f"o.{d} >= ?")
        params.append(f.start)
    if f.end:
        where.append(f"o.{d} < ?")
        params.append(f.end + timedelta(days=1))
    if f.states:
        where.append(
            f"o.{key} IN (SELECT {key} FROM {src(spec.state_table)} WHERE list_contains(?, {st}))"
        )
        params.append(list(f.states))
    s.execute(
        f"CREATE TABLE {out(spec.table)} AS SELECT o.* FROM {src(spec.table)} AS o "
        f"WHERE {' AND '.join(where)}",
        tuple(params),
    )
    for t in contract.tables:
        if t.name == spec.table:
            continue
        fks = [r for r in t.relationships if r.to_table == spec.table]
        if fks:
            on = " AND ".join(
                f"c.{s.ident(a)} = p.{s.ident(b)}"
                for a, b in zip(fks[0].columns, fks[0].to_columns, strict=True)
            )
            s.execute(
                f"CREATE TABLE {out(t.name)} AS SELECT c.* FROM {src(t.name)} AS c "
                f"SEMI JOIN {out(spec.table)} AS p ON {on}"
            )
        else:
            s.execute(f"CREATE VIEW {out(t.name)} AS SELECT * FROM {src(t.name)}")


@dataclass
class Dashboard:
    """The filtered model outputs as DataFrames, with the warehouse run they come from."""

    filters: Filters
    frames: dict = field(repr=False)  # model name -> pandas DataFrame
    warehouse_run: MetricsRun | None = None
    raw_totals: dict = field(default_factory=dict)  # sums over the filtered accepted rows

    def headline(self):
        """The headline numbers (a record rendering as tiles)."""
        from .figures import headline

        return headline(self)

    def plot(self, name: str):
        """One of the dashboard's figures by name (metrics.plots.PLOTS)."""
        from .plots import PLOTS

        return lookup(PLOTS, name, "plot", KeyError)(self.frames)

    def table(self, name: str):
        """A formatted table (pandas Styler) of one model output."""
        from .figures import styled

        return styled(name, self.frames[name])

    def tables(self, *names: str):
        """Several formatted tables, one after the other (renders in a notebook)."""
        from .figures import Tables, styled

        return Tables(tuple(styled(n, self.frames[n]) for n in names))

    def checkpoint(self):
        """The 'What to check' list, each verified on these numbers."""
        from .figures import checkpoint

        return checkpoint(self)


RAW_TOTALS = {  # name -> SQL over the filtered accepted rows (reconciles the headline)
    "orders": "SELECT count(*) FROM f_olist.orders",
    "items_value": "SELECT coalesce(sum(price), 0) FROM f_olist.order_items",
    "payments_value": "SELECT coalesce(sum(payment_value), 0) FROM f_olist.order_payments",
    "reviews": "SELECT count(*) FROM f_olist.order_reviews",
}


def compute(
    contract: Contract,
    warehouse: str | Path,
    filters: Filters = Filters(),
    warehouse_run: MetricsRun | None = None,
    spec: FilterSpec = FilterSpec(),
) -> Dashboard:
    """Filter the accepted rows of a DuckDB warehouse, run every model on them in memory."""
    import duckdb

    path = Path(warehouse)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no DuckDB warehouse; run the ingest first")
    s = engines.Session(engines.get("duckdb"), duckdb.connect())
    try:
        s.execute("SET TimeZone = 'UTC'")  # as engines.py: dates of timestamptz in UTC
        s.execute(f"ATTACH {engines.dialect('duckdb').literal(str(path))} AS wh (READ_ONLY)")
        _filtered_inputs(s, contract, spec, filters)
        run(s, contract, raw_schema=SCHEMAS[RAW], curated_schema=SCHEMAS[CURATED], progress=None)
        frames = {
            m.name: s.con.sql(f"SELECT * FROM {s.ident(SCHEMAS[CURATED], m.name)}").df()
            for m in models(contract)
        }
        totals = {k: s.value(q) for k, q in RAW_TOTALS.items()}
    finally:
        s.close()
    return Dashboard(filters, frames, warehouse_run, totals)


def export(warehouse: str | Path, out_dir: str | Path, contract: Contract) -> list[Path]:
    """The warehouse's curated tables as Parquet files out_dir/<model>.parquet."""
    import duckdb

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    s = engines.Session(engines.get("duckdb"), duckdb.connect(str(warehouse), read_only=True))
    written = []
    try:
        for m in models(contract):
            p = out / f"{m.name}.parquet"
            s.execute(
                f"COPY (SELECT * FROM {s.ident(CURATED, m.name)}) TO "
                f"{engines.dialect('duckdb').literal(str(p))} (FORMAT parquet)"
            )
            written.append(p)
    finally:
        s.close()
    return written
