"""DuckDB SQL of the rule plan -> Spark SQL through sqlglot, with the few rewrites it needs.

The rewrites work on the parsed tree (never on text): functions DuckDB has and Spark lacks are
replaced by their Spark equivalents, and schema-qualified work tables (`ok.orders`) become the
temporary views the Spark engine registers (`ok__orders`).
"""

from __future__ import annotations

import sqlglot
from sqlglot import exp
from sqlglot.dialects.spark import Spark
from sqlglot.time import format_time

from contractbook import sqltext

READ, WRITE = "duckdb", "spark"


def view_name(schema: str, table: str) -> str:
    """The temporary view standing for schema.table (Spark temp views have no schema)."""
    return f"{schema}__{table}"


# Characters a folder name cannot hold as they are (Hive's escapePathName set, as Spark escapes
# partition values, plus `}` and `,`: Hadoop globs read them), written as %XX.
_PATH_UNSAFE = frozenset("\"#%'*/:=?\\{}[]^,") | {chr(i) for i in range(32)} | {"\x7f"}


def folder(name: str) -> str:
    """The folder a table named name is written to: name with unsafe characters as %XX.

    A leading `.` or `_` is escaped too (Spark skips such files and folders as hidden), so
    contract text never becomes a path of its own (`..`, `/`) or a glob.
    """
    out = "".join(f"%{ord(ch):02X}" if ch in _PATH_UNSAFE else ch for ch in name)
    return f"%{ord(out[0]):02X}{out[1:]}" if out[:1] in (".", "_") else out


def ident(name: str) -> str:
    """A quoted Spark identifier (the one place the Spark engine quotes names; sqltext)."""
    return sqltext.ident(name, WRITE)


def _full_match(node: exp.RegexpFullMatch) -> exp.Expression:
    """regexp_full_match(x, 'p') -> x RLIKE '^(?:p)\\z' (Java's $ matches before a final \\n)."""
    value, pattern = node.this, node.expression
    return exp.RegexpLike(this=value, expression=exp.Literal.string(f"^(?:{pattern.name})\\z"))


def _try_strptime(node: exp.Anonymous) -> exp.Expression:
    """try_strptime(x, '%Y-%m-%d') -> try_to_timestamp(x, 'yyyy-MM-dd') (format via sqlglot)."""
    value, fmt = node.expressions
    java = format_time(fmt.name, Spark.INVERSE_TIME_MAPPING)
    return exp.Anonymous(this="try_to_timestamp", expressions=[value, exp.Literal.string(java)])


# DuckDB function (lower case) -> rewrite of its call for Spark; sqlglot translates the rest.
# (regexp_full_match, which sqlglot parses into its own node, is rewritten in _rewrite.)
FUNCTIONS = {"try_strptime": _try_strptime}


def _rewrite(node: exp.Expression, views: dict[str, str] | None) -> exp.Expression:
    if isinstance(node, exp.RegexpFullMatch):
        return _full_match(node)
    if isinstance(node, exp.Anonymous) and str(node.this).lower() in FUNCTIONS:
        return FUNCTIONS[str(node.this).lower()](node)
    if isinstance(node, exp.Table) and isinstance(node.this, exp.Identifier):
        db, name = node.db, node.name
        target = view_name(db, name) if db else (views or {}).get(name)
        if target:
            alias = node.args.get("alias") or (
                exp.TableAlias(this=exp.to_identifier(name)) if not db and views else None
            )
            return exp.Table(this=exp.to_identifier(target, quoted=True), alias=alias)
    return node


def transpile(sql: str, views: dict[str, str] | None = None) -> str:
    """Spark SQL for one DuckDB statement; views maps unqualified table names to view names."""
    tree = sqlglot.parse_one(sql, read=READ)
    ctes = {c.alias for c in tree.find_all(exp.CTE)}
    views = {k: v for k, v in (views or {}).items() if k not in ctes}
    return tree.transform(lambda n: _rewrite(n, views)).sql(WRITE)


def lit(text: str) -> str:
    """A Spark string literal (contractbook.sqltext's Spark rules: backslash escapes)."""
    return sqltext.literal(text, WRITE)
