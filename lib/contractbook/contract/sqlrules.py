"""ODCS `type: sql` rules: parse them and recover the query that returns the failing rows."""

from __future__ import annotations

import sqlglot
from sqlglot import exp

DIALECT = "duckdb"


def parse(query: str) -> exp.Expression:
    """Parse a rule's SQL (DuckDB dialect); raises sqlglot.errors.ParseError."""
    return sqlglot.parse_one(query, read=DIALECT)


def rows_query(query: str) -> str | None:
    """For `SELECT COUNT(*) FROM (<rows>)` return <rows>; None for any other shape."""
    try:
        tree = parse(query)
    except sqlglot.errors.ParseError:
        return None
    if not isinstance(tree, exp.Select) or len(tree.expressions) != 1:
        return None
    if not isinstance(tree.expressions[0], exp.Count) or tree.args.get("where") or tree.args.get("joins"):
        return None
    source = tree.args.get("from_") or tree.args.get("from")
    sub = source.this if source else None
    if not isinstance(sub, exp.Subquery):
        return None
    return sub.this.sql(dialect=DIALECT, pretty=True)


def tables(query: str) -> set[str]:
    """Names of the tables a rule reads (CTE names excluded)."""
    tree = parse(query)
    ctes = {c.alias for c in tree.find_all(exp.CTE)}
    return {t.name for t in tree.find_all(exp.Table)} - ctes
