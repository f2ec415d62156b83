"""SQL for cross-table checks: foreign-key anti-joins and the contract's `type: sql` rules."""

from __future__ import annotations

import sqlglot
from sqlglot import exp

from contractbook.contract import Relationship
from contractbook.sqltext import ident

SOURCE_DIALECT = "duckdb"  # the contract's SQL rules are written in DuckDB SQL
BATCH = "{batch}"  # GX replaces this with the batch's table (a subquery)
_MARK = "__contractbook_batch__"


def _qualify(tree: exp.Expression, schema: str | None, own_table: str) -> exp.Expression:
    """Prefix every table but the batch's own with schema; the own table becomes the batch."""
    ctes = {c.alias for c in tree.find_all(exp.CTE)}
    for t in list(tree.find_all(exp.Table)):
        if t.name in ctes or t.args.get("db"):
            continue
        if t.name == own_table:
            alias = t.alias or own_table
            t.replace(exp.Table(this=exp.to_identifier(_MARK),
                                alias=exp.TableAlias(this=exp.to_identifier(alias))))
        elif schema:
            t.set("db", exp.to_identifier(schema))
    return tree


def render(query: str | exp.Expression, own_table: str, dialect: str, schema: str | None) -> str:
    """A rule's rows query (text or parsed tree) for GX: own table -> {batch}, others
    schema-qualified, in dialect, comments dropped."""
    tree = query.copy() if isinstance(query, exp.Expression) else sqlglot.parse_one(
        query, read=SOURCE_DIALECT)
    tree = _qualify(tree, schema, own_table)
    sql = tree.sql(dialect=dialect, pretty=True, comments=False)
    # GX formats the query with str.format: {batch} is the only placeholder, other braces doubled.
    sql = sql.replace("{", "{{").replace("}", "}}")
    # GX substitutes {batch} as `(<select>)` when the query has a JOIN, else `(<select>) AS
    # subselect`; either way the batch then takes the own table's name as its alias.
    batch = BATCH if tree.find(exp.Join) else f"(SELECT * FROM {BATCH})"
    for quoted in (f'"{_MARK}"', f"`{_MARK}`", _MARK):
        sql = sql.replace(quoted, batch)
    return sql


def foreign_key_rows_query(rel: Relationship) -> str:
    """DuckDB SQL returning the child rows whose key has no parent (NULL keys are not checked)."""
    q = ident
    on = " AND ".join(f"c.{q(a)} = p.{q(b)}" for a, b in zip(rel.columns, rel.to_columns, strict=True))
    present = " AND ".join(f"c.{q(a)} IS NOT NULL" for a in rel.columns)
    return (f"SELECT c.* FROM {q(rel.table)} AS c LEFT JOIN {q(rel.to_table)} AS p ON {on} "
            f"WHERE {present} AND p.{q(rel.to_columns[0])} IS NULL")
