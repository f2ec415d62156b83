"""The typed casting map: column type -> DuckDB type and a strict cast of the raw string."""

from __future__ import annotations

from contractbook import sqltext
from contractbook.contract import Column
from contractbook.contract.kinds import TYPE_KINDS, by_field

# Java-style (ODCS `format`) tokens -> strptime tokens, longest first.
_FORMAT_TOKENS = (
    ("yyyy", "%Y"),
    ("MM", "%m"),
    ("dd", "%d"),
    ("HH", "%H"),
    ("mm", "%M"),
    ("ss", "%S"),
    ("SSSSSS", "%f"),
    ("XXX", "%z"),
    ("Z", "%z"),
)
_DEFAULT_FORMATS = {k: f for k, f in by_field("datetime_format").items() if f}


def _q(text: str) -> str:
    """A DuckDB string literal (contractbook.sqltext.literal)."""
    return sqltext.literal(text, "duckdb")


def strptime_format(col: Column) -> str:
    """The strptime format of a date/timestamp column: the contract's `format`, else ISO."""
    if not col.format:
        return _DEFAULT_FORMATS[col.type.kind]
    out = col.format
    for java, c in _FORMAT_TOKENS:
        out = out.replace(java, c)
    return out


def _decimal(col: Column, raw: str) -> str:
    p, s = col.type.precision, col.type.scale
    assert p is not None and s is not None  # resolve sets both for decimals
    frac = rf"([.][0-9]{{1,{s}}})?" if s else ""
    regex = rf"^[+-]?[0-9]{{1,{max(p - s, 1)}}}{frac}$"
    return (
        f"CASE WHEN regexp_full_match({raw}, {_q(regex)}) "
        f"THEN TRY_CAST({raw} AS {sql_type(col)}) END"
    )


def _regex_cast(regex: str):
    return lambda col, raw: (
        f"CASE WHEN regexp_full_match({raw}, {_q(regex)}) "
        f"THEN TRY_CAST({raw} AS {sql_type(col)}) END"
    )


def _strptime(col: Column, raw: str) -> str:
    return f"TRY_CAST(try_strptime({raw}, {_q(strptime_format(col))}) AS {sql_type(col)})"


def _string(col: Column, raw: str) -> str:
    n = col.type.length
    return f"CASE WHEN length({raw}) <= {n} THEN {raw} END" if n else raw


def _boolean(col: Column, raw: str) -> str:
    return (
        f"CASE lower({raw}) WHEN 'true' THEN true WHEN 't' THEN true WHEN '1' THEN true "
        f"WHEN 'false' THEN false WHEN 'f' THEN false WHEN '0' THEN false END"
    )


def _json(col: Column, raw: str) -> str:
    shape = TYPE_KINDS[col.type.kind].json_type
    assert shape is not None  # every JSON kind names its json_type
    return (
        f"CASE WHEN json_valid({raw}) AND json_type(CAST({raw} AS JSON)) = {_q(shape)} "
        f"THEN CAST({raw} AS JSON) END"
    )


def _regex(col: Column, raw: str) -> str:
    k = TYPE_KINDS[col.type.kind]
    regex = k.cast_regex or k.text_regex
    assert regex is not None, k.name  # kinds cast by regex have one
    return _regex_cast(regex)(col, raw)


# cast recipe (a kind's `cast` in TYPE_KINDS) -> strict cast of the raw VARCHAR to the column's
# DuckDB type, NULL when the value does not fit. Strict on purpose: DuckDB's own casts round '1.5'
# to 2 and '12.345' to 12.35; nothing is guessed. The type names come from the DDL registry.
RECIPES = {
    "string": _string,
    "regex": _regex,
    "decimal": _decimal,
    "boolean": _boolean,
    "strptime": _strptime,
    "json": _json,
}
# kind -> its cast (a view of TYPE_KINDS).
CASTS = {k: RECIPES[recipe] for k, recipe in by_field("cast").items()}


def sql_type(col: Column, table: str = "") -> str:
    """The DuckDB type of a contract column, e.g. DECIMAL(10,2)."""
    from contractbook.ddl.registry import column_type

    return column_type("duckdb", col, table)


def cast_expr(col: Column, raw: str, table: str = "") -> str:
    """SQL casting the raw VARCHAR expression raw to the column type; NULL when it does not fit."""
    if col.type.kind not in CASTS:
        where = f"{table}.{col.name}" if table else col.name
        raise ValueError(
            f"column {where}: type {col.type} has no DuckDB cast; known kinds: {', '.join(CASTS)}"
        )
    return CASTS[col.type.kind](col, raw)
