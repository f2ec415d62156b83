"""CSV text of typed rows: DuckDB SQL (bulk, multi-threaded) and Python (a few planted rows)."""

from __future__ import annotations

import csv
import io
import re

from contractbook import sqltext
from contractbook.contract.kinds import TYPE_KINDS

# Column kind -> DuckDB expression turning a typed value into its CSV text (NULL stays NULL =
# empty).
# Generators hand dates, times, timestamps and JSON over as text already.
TEXT_SQL = dict.fromkeys(TYPE_KINDS, "CAST({c} AS VARCHAR)")
# Kinds whose text can hold a delimiter, a quote or a line break and so may need RFC 4180 quoting.
QUOTABLE = {"string", "object", "array", "map"}


def _q(name: str) -> str:
    return sqltext.ident(name, "duckdb")


def text_expr(col) -> str:
    """The DuckDB expression giving the CSV text of one column (unquoted)."""
    if col.type.kind not in TEXT_SQL:
        raise TypeError(f"column {col.name!r}: no CSV text format for type {col.type}")
    return TEXT_SQL[col.type.kind].format(c=_q(col.name))


def needs_quoting(col) -> bool:
    """False when no value of the column can hold a delimiter, quote or line break."""
    if col.type.kind not in QUOTABLE:
        return False
    if col.type.kind != "string":
        return True
    if col.allowed_values is not None:
        return any(re.search(r'[,"\r\n]', str(v)) for v in col.allowed_values)
    if col.pattern:  # anchored character classes only, e.g. ^[0-9a-f]{32}$
        bare = re.sub(r"\{\d+(,\d*)?\}", "", col.pattern)
        return not re.fullmatch(r"\^[\w\[\]\-+*?]*\$", bare)
    return True


def field_expr(col, always: bool = False) -> str:
    """text_expr plus RFC 4180 quoting where the value needs it (quotes doubled); always: every
    non-empty value quoted (a published layout's style)."""
    t = text_expr(col)
    if always:
        return f"'\"' || replace({t}, '\"', '\"\"') || '\"'"
    if not needs_quoting(col):
        return t
    needs = " OR ".join(f"contains({t}, {ch})" for ch in ("','", "'\"'", "chr(10)", "chr(13)"))
    return f"CASE WHEN {needs} THEN '\"' || replace({t}, '\"', '\"\"') || '\"' ELSE {t} END"


def text_sql(table, source: str) -> str:
    """SELECT of every column's CSV text (unquoted), in contract order."""
    return (
        "SELECT "
        + ", ".join(f"{text_expr(c)} AS {_q(c.name)}" for c in table.columns)
        + f" FROM {source}"
    )


def lines_sql(table, source: str, newline: str = "\n", quoted=frozenset()) -> str:
    """SELECT of one string per row: the complete CSV record including its terminator (LF or
    CRLF); quoted: `table.column` names whose values are always quoted."""
    parts = []
    for i, c in enumerate(table.columns):
        always = f"{table.name}.{c.name}" in quoted
        parts += (["','"] if i else []) + [field_expr(c, always)]
    end = ", ".join(f"chr({ord(ch)})" for ch in newline)
    return f"SELECT concat({', '.join(parts)}, {end}) AS line FROM {source}"


def record(values) -> str:
    """One CSV record (RFC 4180 minimal quoting, LF) from text values; None is written empty."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(["" if v is None else v for v in values])
    return buf.getvalue()


def header(table) -> str:
    """The header record: contract column names in contract order."""
    return record(table.column_names)
