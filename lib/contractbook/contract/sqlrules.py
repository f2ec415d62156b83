"""ODCS `type: sql` rules: parsed once, refused unless a read-only query on the contract's tables.

A rule is accepted when it is exactly one SELECT (CTEs and set operations allowed) that reads
only contract tables (and its own CTE names): no table functions or file paths in FROM
(`read_csv`, `read_text`, `glob`, `FROM 'file.csv'`), no COPY, ATTACH, INSTALL/LOAD, PRAGMA, SET,
DDL or DML, one statement only. It then runs from its parsed tree, re-rendered without comments
(`sql()`), so nothing hidden in a comment can become live SQL.
"""

from __future__ import annotations

import logging
import re
from contextlib import contextmanager
from dataclasses import dataclass

import sqlglot
from sqlglot import exp

DIALECT = "duckdb"
# Statement nodes that change or reach outside the database, wherever they appear in a tree.
_STATEMENTS = (
    exp.DML,
    exp.DDL,
    exp.Drop,
    exp.Alter,
    exp.Copy,
    exp.Attach,
    exp.Detach,
    exp.Install,
    exp.Pragma,
    exp.Set,
    exp.Command,
    exp.Use,
    exp.Transaction,
    exp.Commit,
    exp.Rollback,
    exp.Describe,
    exp.Summarize,
    exp.Show,
)
# Functions that read files or the environment or run SQL text, refused anywhere in a rule.
_OUTSIDE = re.compile(
    r"^(read_\w+|\w+_scan|glob|getenv|sniff_csv|query|query_table|"
    r"current_setting|duckdb_\w+|pragma_\w+|which_secret|load_\w+)$",
    re.I,
)
# A FROM source that names a file rather than a table.
_PATHLIKE = re.compile(r"[./\\*~:]")


class RuleRefused(ValueError):
    """A SQL rule that is not a read-only query on the contract's tables; names the construct."""

    def __init__(self, construct: str):
        super().__init__(construct)
        self.construct = construct


@dataclass(frozen=True)
class ParsedRule:
    """A checked rule: its tree, the failing-rows tree (None if not COUNT(*) FROM (...))."""

    tree: exp.Expression
    rows: exp.Expression | None
    tables: frozenset[str]


@contextmanager
def _quiet():
    """sqlglot logs a warning when it falls back to a Command; the caller reports it instead."""
    log = logging.getLogger("sqlglot")
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        yield
    finally:
        log.setLevel(level)


def statements(query: str) -> list[exp.Expression]:
    """Every statement of query (DuckDB dialect); raises sqlglot.errors.ParseError."""
    with _quiet():
        return [s for s in sqlglot.parse(query, read=DIALECT) if s is not None]


def parse(query: str) -> exp.Expression:
    """The one statement of query; ParseError, or RuleRefused for none or several."""
    found = statements(query)
    if len(found) != 1:
        raise RuleRefused(
            "an empty query"
            if not found
            else f"{len(found)} statements (only one SELECT is allowed)"
        )
    return found[0]


def _statement_name(node: exp.Expression) -> str:
    if isinstance(node, exp.Command):
        return str(node.this).upper()
    return node.key.upper()


def _func_name(fn: exp.Expression) -> str:
    if isinstance(fn, exp.Anonymous):
        return str(fn.name).lower()
    return (fn.sql_name() if isinstance(fn, exp.Func) else fn.key).lower()


def _source(node: exp.Expression) -> str:
    """Why a FROM/JOIN source is refused, or '' when it is a plain table name or a subquery."""
    if isinstance(node, exp.Subquery):
        return ""
    if isinstance(node, exp.Table):
        if not isinstance(node.this, exp.Identifier):
            return f"table function {_func_name(node.this)}() in FROM"
        if node.args.get("db") or node.args.get("catalog"):
            return (
                f"qualified table name {node.sql(dialect=DIALECT)} (use the contract's table names)"
            )
        return ""
    return f"{node.key.upper()} in FROM"


def _refusal(tree: exp.Expression, names: set[str]) -> str:
    """The first forbidden construct of tree, or '' when it is a read-only contract query."""
    if not isinstance(tree, exp.Query):
        return f"{_statement_name(tree)} statement (only SELECT is allowed)"
    for node in tree.walk():
        if isinstance(node, _STATEMENTS):
            return f"{_statement_name(node)} inside the query"
        if isinstance(node, exp.Func) and _OUTSIDE.match(_func_name(node)):
            return f"function {_func_name(node)}() (reads outside the contract's tables)"
        if isinstance(node, exp.From | exp.Join):
            if why := _source(node.this):
                return why
        if isinstance(node, exp.Lateral):
            return "LATERAL in FROM"
    ctes = {c.alias for c in tree.find_all(exp.CTE)}
    for t in tree.find_all(exp.Table):
        if why := _source(t):
            return why
        if t.name not in names and t.name not in ctes:
            kind = "file path" if _PATHLIKE.search(t.name) else "table"
            return f"{kind} {t.name!r}, which is not a contract table"
    return ""


def check(query: str, names: set[str]) -> ParsedRule:
    """Parse a rule once, check it reads only tables in names; raises RuleRefused or ParseError."""
    tree = parse(query)
    if why := _refusal(tree, set(names)):
        raise RuleRefused(why)
    return ParsedRule(tree, rows_tree(tree), frozenset(tables_of(tree)))


def rows_tree(tree: exp.Expression) -> exp.Expression | None:
    """For `SELECT COUNT(*) FROM (<rows>)` the <rows> tree; None for any other shape."""
    if not isinstance(tree, exp.Select) or len(tree.expressions) != 1:
        return None
    if (
        not isinstance(tree.expressions[0], exp.Count)
        or tree.args.get("where")
        or tree.args.get("joins")
    ):
        return None
    if tree.args.get("with") or tree.args.get("group") or tree.args.get("having"):
        return None
    source = tree.args.get("from_") or tree.args.get("from")
    sub = source.this if source else None
    if not isinstance(sub, exp.Subquery):
        return None
    return sub.this


def sql(tree: exp.Expression, dialect: str = DIALECT, pretty: bool = True) -> str:
    """A parsed rule as SQL text of dialect, comments dropped (what is executed)."""
    return tree.sql(dialect=dialect, pretty=pretty, comments=False)


def rows_query(query: str) -> str | None:
    """The failing-rows query of a rule as comment-free SQL; None if unparsable or another shape."""
    try:
        tree = parse(query)
    except (sqlglot.errors.ParseError, RuleRefused):
        return None
    rows = rows_tree(tree)
    return None if rows is None else sql(rows)


def tables_of(tree: exp.Expression) -> set[str]:
    """Names of the tables a parsed rule reads (CTE names excluded)."""
    ctes = {c.alias for c in tree.find_all(exp.CTE)}
    return {t.name for t in tree.find_all(exp.Table)} - ctes


def tables(query: str) -> set[str]:
    """Names of the tables a rule reads (CTE names excluded); raises ParseError."""
    return tables_of(parse(query))
