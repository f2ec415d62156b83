"""The dialect registry: name -> module defining DIALECT, imported on first use."""

from __future__ import annotations

import importlib

from contractbook.registry import lookup

from .dialect import Dialect
from .types import DdlError

DIALECTS = {
    name: f"contractbook.ddl.dialects.{name}"
    for name in ("duckdb", "postgres", "bigquery", "snowflake", "databricks")
}


def get(name: str | Dialect) -> Dialect:
    """The Dialect called name; DdlError listing the known dialects otherwise."""
    if isinstance(name, Dialect):
        return name
    return importlib.import_module(lookup(DIALECTS, name, "SQL dialect", DdlError)).DIALECT


def column_type(dialect: str, column, table: str = "") -> str:
    """SQL type text of a contract column in dialect, e.g. DECIMAL(10,2); DdlError naming it."""
    return get(dialect).render_type(column.type, f"{table}.{column.name}" if table else column.name)
