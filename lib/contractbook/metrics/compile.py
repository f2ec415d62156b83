"""Pure: a model's DuckDB-dialect SELECT -> the statement for one engine, through sqlglot.

Table references `olist.<table>` and `curated.<model>` are rewritten on the syntax tree to the
warehouse's schemas (never by string formatting); the output is wrapped in one cast per declared
column, so the table has exactly the declared columns, order and types on every engine.
"""

from __future__ import annotations

import sqlglot
from sqlglot import exp

from contractbook.contract.types import resolve as resolve_type
from contractbook.ddl import get as dialect

from .declare import CURATED, RAW, Model, ModelError

SOURCE_DIALECT = "duckdb"  # the dialect the model files are written in


def parse(model: Model) -> exp.Expression:
    """The model's SELECT as a sqlglot tree; ModelError naming the file when it does not parse."""
    try:
        return sqlglot.parse_one(model.sql, read=SOURCE_DIALECT)
    except sqlglot.errors.ParseError as e:
        raise ModelError(f"{model.path}: SQL does not parse: {e}") from None


def referenced(model: Model) -> set[str]:
    """`schema.table` of every warehouse table the SQL reads (CTE names excluded)."""
    return {f"{t.db}.{t.name}" for t in parse(model).find_all(exp.Table) if t.db}


def sql_type(column, engine: str, where: str) -> str:
    """The engine's SQL type of a declared column (the DDL registry's type map)."""
    ctype = resolve_type(column.logical_type, column.physical_type or None, column.options)
    return dialect(engine).render_type(ctype, where)


def select(model: Model, engine: str, schemas: dict[str, str] | None = None) -> str:
    """The model as one SELECT in engine's dialect, reading schemas {olist: .., curated: ..}."""
    schemas = {RAW: RAW, CURATED: CURATED, **(schemas or {})}
    tree = parse(model)
    unknown = {f"{t.db}.{t.name}" for t in tree.find_all(exp.Table) if t.db and t.db not in schemas}
    if unknown:
        raise ModelError(f"{model.path}: reads {sorted(unknown)}; only {RAW}.* and {CURATED}.*")
    for t in tree.find_all(exp.Table):
        if t.db:
            t.set("db", exp.to_identifier(schemas[t.db], quoted=True))
            t.set("this", exp.to_identifier(t.name, quoted=True))
    casts = [
        exp.cast(
            exp.column(c.name, table="m", quoted=True),
            exp.DataType.build(
                sql_type(c, engine, f"{model.name}.{c.name}"), dialect=dialect(engine).sqlglot
            ),
        ).as_(exp.to_identifier(c.name, quoted=True))
        for c in model.columns
    ]
    assert isinstance(tree, exp.Query), model.path  # parse() read a SELECT
    outer = exp.select(*casts).from_(tree.subquery("m"))
    return outer.sql(dialect=dialect(engine).sqlglot)
