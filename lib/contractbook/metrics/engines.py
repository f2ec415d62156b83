"""Warehouse engines as data: how to connect, bind a parameter and export a table as CSV.

The models themselves are one copy of SQL, transpiled per engine by sqlglot (compile.py); what
is listed here is only what the DB-API drivers do differently.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from contractbook.ddl import get as dialect
from contractbook.registry import lookup


class Session:
    """One open warehouse connection: execute statements, fetch rows, export CSV."""

    def __init__(self, engine: Engine, con):
        self.engine, self.con = engine, con

    def execute(self, sql: str, params: tuple = ()) -> None:
        """Run one statement (params bound by the driver)."""
        self.rows(sql, params, fetch=False)

    def rows(self, sql: str, params: tuple = (), fetch: bool = True) -> list[tuple]:
        """Run one query and return its rows."""
        return self.engine.query(self.con, sql, tuple(params), fetch)

    def value(self, sql: str, params: tuple = ()):
        """The single value of a one-row, one-column query."""
        return self.rows(sql, params)[0][0]

    def has_table(self, schema: str, table: str) -> bool:
        """True when schema.table exists (information_schema, literals bound)."""
        p = self.engine.param
        return bool(
            self.value(
                "SELECT count(*) FROM information_schema.tables "
                f"WHERE table_schema = {p} AND table_name = {p}",
                (schema, table),
            )
        )

    def ident(self, *parts: str) -> str:
        """A quoted, qualified identifier in this engine's dialect."""
        return dialect(self.engine.name).qualify(*parts)

    def export_csv(self, query: str, path: Path) -> None:
        """Write the rows of query to a CSV file with a header line."""
        self.engine.export(self, query, Path(path))

    def close(self) -> None:
        """Close the connection."""
        self.con.close()


def _duckdb_connect(url: str | None):
    import duckdb

    path = Path(url or "data/warehouse.duckdb")
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no DuckDB warehouse there; run the ingest first")
    con = duckdb.connect(str(path))
    con.execute("SET TimeZone = 'UTC'")  # dates of timestamptz columns read as UTC, as dlt wrote
    return con


def _postgres_connect(url: str | None):
    import psycopg2

    dsn = url or os.environ.get("DESTINATION__POSTGRES__CREDENTIALS")
    if not dsn:
        raise ValueError(
            "postgres: give a postgresql:// URL or set "
            "DESTINATION__POSTGRES__CREDENTIALS (the variable the ingest uses)"
        )
    con = psycopg2.connect(dsn, options="-c TimeZone=UTC")  # as in DuckDB: dates in UTC
    con.autocommit = True
    return con


def _duckdb_query(con, sql: str, params: tuple, fetch: bool) -> list[tuple]:
    # on the connection itself: a DuckDB cursor is a separate transaction context
    rel = con.execute(sql, params) if params else con.execute(sql)
    return rel.fetchall() if fetch else []


def _postgres_query(con, sql: str, params: tuple, fetch: bool) -> list[tuple]:
    with con.cursor() as cur:
        cur.execute(sql, params) if params else cur.execute(sql)
        return cur.fetchall() if fetch else []


def _duckdb_export(s: Session, query: str, path: Path) -> None:
    s.execute(f"COPY ({query}) TO {dialect('duckdb').literal(str(path))} (FORMAT csv, HEADER)")


def _postgres_export(s: Session, query: str, path: Path) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f, s.con.cursor() as cur:
        cur.copy_expert(f"COPY ({query}) TO STDOUT WITH (FORMAT csv, HEADER)", f)


@dataclass(frozen=True)
class Engine:
    """One warehouse engine: its connector, parameter marker and CSV export."""

    name: str
    connector: Callable
    query: Callable  # (connection, sql, params, fetch) -> rows
    param: str
    export: Callable
    url_help: str

    def connect(self, url: str | None = None) -> Session:
        """An open Session on the warehouse at url (a file for DuckDB, a DSN for PostgreSQL)."""
        return Session(self, self.connector(url))


ENGINES: dict[str, Engine] = {
    e.name: e
    for e in (
        Engine(
            "duckdb", _duckdb_connect, _duckdb_query, "?", _duckdb_export, "path of the DuckDB file"
        ),
        Engine(
            "postgres",
            _postgres_connect,
            _postgres_query,
            "%s",
            _postgres_export,
            "postgresql:// URL (default $DESTINATION__POSTGRES__CREDENTIALS)",
        ),
    )
}


def get(name: str) -> Engine:
    """The engine called name; a clear error listing the known ones otherwise."""
    return lookup(ENGINES, name, "metrics engine")
