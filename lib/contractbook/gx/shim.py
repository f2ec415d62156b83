"""DuckDB compatibility shim for Great Expectations 1.24 (GX has no DuckDB data source).

Three changes to GX's SQLAlchemy execution engine, all by adding "duckdb" where GX lists dialects:
1. duckdb joins GX's persisted-connection dialects (as sqlite): GX otherwise fetches results after
   closing the connection and DuckDB drops them (`MetricResolutionError: list index out of range`).
2. The engine gets PostgreSQL's dialect module, so regex compiles to `~` (a regex search in DuckDB
   as in PostgreSQL and pandas' str.contains; a test checks it).
3. duckdb joins the dialects whose column types GX compares as type text (as PostgreSQL), so a
   type check sees `NUMERIC(10, 2)`, not only "some Numeric" (duckdb-engine compiles types the
   PostgreSQL way: VARCHAR, BIGINT, NUMERIC(p, s), FLOAT, TIMESTAMP WITHOUT TIME ZONE).
GX is pinned (requirements.in); tests/unit/test_gx_checks.py fails when an upgrade breaks this.
"""

from __future__ import annotations

import functools
import importlib

TESTED_GX = "1.24.1"
DIALECT = "duckdb"


class ShimError(RuntimeError):
    """The installed GX no longer has what the shim patches."""


class _Dialect(str):
    """A dialect name usable both as `name in dialects` and as `dialect.value`."""

    @property
    def value(self) -> str:
        return str(self)


def _require(module, names: tuple[str, ...]) -> None:
    import great_expectations as gx

    missing = [n for n in names if not hasattr(module, n)]
    if missing:
        raise ShimError(
            f"great_expectations {gx.__version__} has no {', '.join(missing)} in "
            f"{module.__name__}; the DuckDB shim was written for {TESTED_GX}: "
            f"pin great-expectations=={TESTED_GX} or update contractbook/gx/shim.py"
        )


def install() -> None:
    """Patch GX's SQLAlchemy engine for DuckDB; idempotent."""
    from great_expectations.execution_engine import sqlalchemy_execution_engine as sae
    from great_expectations.expectations import type_comparison as tc

    if getattr(sae, "_contractbook_duckdb_shim", False):
        return
    _require(sae, ("_PERSISTED_CONNECTION_DIALECTS", "SqlAlchemyExecutionEngine"))
    _require(tc, ("CASE_INSENSITIVE_DIALECTS",))
    # GX's private dialect tables are typed for its own enum; the shim adds a stand-in member
    sae._PERSISTED_CONNECTION_DIALECTS = (  # type: ignore[assignment]
        *sae._PERSISTED_CONNECTION_DIALECTS,
        _Dialect(DIALECT),
    )
    tc.CASE_INSENSITIVE_DIALECTS = frozenset({*tc.CASE_INSENSITIVE_DIALECTS, _Dialect(DIALECT)})  # type: ignore[arg-type]
    original = sae.SqlAlchemyExecutionEngine.__init__
    postgresql = importlib.import_module("sqlalchemy.dialects.postgresql")

    @functools.wraps(original)
    def __init__(self, *args, **kwargs):
        original(self, *args, **kwargs)
        if self.dialect_name == DIALECT:
            self.dialect_module = postgresql

    # the patch itself: GX's engine __init__ wrapped, and the module marked as patched
    sae.SqlAlchemyExecutionEngine.__init__ = __init__  # type: ignore[method-assign]
    sae._contractbook_duckdb_shim = True  # type: ignore[attr-defined]
