"""SQL for checks GX runs as queries: foreign-key anti-joins, the contract's `type: sql` rules,
and duplicate keys GX cannot express itself (a `"` in a column name)."""

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
            t.replace(
                exp.Table(
                    this=exp.to_identifier(_MARK),
                    alias=exp.TableAlias(this=exp.to_identifier(alias)),
                )
            )
        elif schema:
            t.set("db", exp.to_identifier(schema))
    return tree


def _physical(tree: exp.Expression, tables: dict) -> exp.Expression:
    """Contract names -> warehouse names (physicalName): tables, and columns of those tables
    whose engine name is the same in every table that declares them."""
    used = [tables[t.name] for t in tree.find_all(exp.Table) if t.name in tables]
    cols: dict[str, set] = {}
    for t in used:
        for c in t.columns:
            cols.setdefault(c.name, set()).add(c.physical)
    for t in list(tree.find_all(exp.Table)):
        if t.name in tables and tables[t.name].physical != t.name:
            t.set("this", exp.to_identifier(tables[t.name].physical, quoted=True))
    for c in list(tree.find_all(exp.Column)):
        if len(cols.get(c.name, ())) == 1 and (p := next(iter(cols[c.name]))) != c.name:
            c.set("this", exp.to_identifier(p, quoted=True))
    return tree


def render(
    query: str | exp.Expression,
    own_table: str,
    dialect: str,
    schema: str | None,
    tables: dict | None = None,
) -> str:
    """A rule's rows query (text or parsed tree) for GX: own table -> {batch}, others
    schema-qualified, in dialect, comments dropped; with tables ({name: Table}), contract
    names become the warehouse's (physicalName)."""
    tree = (
        query.copy()
        if isinstance(query, exp.Expression)
        else sqlglot.parse_one(query, read=SOURCE_DIALECT)
    )
    if tables:
        tree = _physical(tree, tables)
        own_table = tables[own_table].physical if own_table in tables else own_table
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
    on = " AND ".join(
        f"c.{q(a)} = p.{q(b)}" for a, b in zip(rel.columns, rel.to_columns, strict=True)
    )
    present = " AND ".join(f"c.{q(a)} IS NOT NULL" for a in rel.columns)
    return (
        f"SELECT c.* FROM {q(rel.table)} AS c LEFT JOIN {q(rel.to_table)} AS p ON {on} "
        f"WHERE {present} AND p.{q(rel.to_columns[0])} IS NULL"
    )


def length_rows_query(table: str, column: str, low: int | None, high: int | None) -> str:
    """DuckDB SQL returning the rows whose non-NULL value of column is shorter than low or
    longer than high characters (GX's value-length check as a query)."""
    c = ident(column)
    outside = " OR ".join(
        f"length({c}) {op} {int(bound)}"
        for op, bound in (("<", low), (">", high))
        if bound is not None
    )
    return f"SELECT {c} FROM {ident(table)} WHERE {c} IS NOT NULL AND ({outside or 'false'})"


def duplicate_rows_query(table: str, columns: tuple[str, ...] | list[str]) -> str:
    """DuckDB SQL returning the key columns of rows whose key is not unique (NULL keys are not
    checked), as GX's unique checks count them: every row of a repeated key."""
    q = ident
    cols = ", ".join(q(c) for c in columns)
    present = " AND ".join(f"{q(c)} IS NOT NULL" for c in columns)
    on = " AND ".join(f"t.{q(c)} = d.{q(c)}" for c in columns)
    return (
        f"SELECT {', '.join(f't.{q(c)}' for c in columns)} FROM {q(table)} AS t JOIN "
        f"(SELECT {cols} FROM {q(table)} WHERE {present} GROUP BY {cols} "
        f"HAVING count(*) > 1) AS d ON {on}"
    )
