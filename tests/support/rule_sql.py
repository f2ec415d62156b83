"""Test oracle: contract rule -> DuckDB query selecting the rows that break it, one per rule kind.

Written independently of the ingest's one-pass checks (`contractbook.ingest.plan`), so the
synthetic-data tests check the defect manifest against a second implementation of every rule.

Pure text generators. Column rules read a table whose columns may be raw text (VARCHAR, as read
from CSV) or already typed: every cast is a TRY_CAST, so the same query serves both. SQL rules
(`kind == "sql"`) are the contract's own queries; they need *typed* relations under the plain
table names (`typed_select` builds them from raw text).

    q = violation_query(contract, rule, relation=lambda t: f"raw_{t}", ordinal="_line")

`relation(table)` names the relation holding each table; `ordinal` is a column giving file order
(the later occurrence of a duplicate key is the violating one); DuckDB's `rowid` by default.
"""

from __future__ import annotations

from collections.abc import Callable


def q(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def lit(value) -> str:
    """A SQL literal (strings quoted, numbers as written)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def duckdb_type(column) -> str:
    """The DuckDB type of a column (the DDL registry's map); DdlError for unmappable kinds."""
    from contractbook.ddl.registry import column_type

    return column_type("duckdb", column)


def _select(rel: str, where: str) -> str:
    return f"SELECT * FROM {rel} WHERE {where}"


def _type(contract, rule, relation, ordinal) -> str:
    col = contract.table(rule.table).column(rule.columns[0])
    c = q(col.name)
    cond = f"{c} IS NOT NULL AND TRY_CAST({c} AS {duckdb_type(col)}) IS NULL"
    if col.type.kind == "string" and col.type.length:
        cond = f"{c} IS NOT NULL AND length(CAST({c} AS VARCHAR)) > {col.type.length}"
    return _select(relation(rule.table), cond)


def _required(contract, rule, relation, ordinal) -> str:
    c = q(rule.columns[0])
    return _select(relation(rule.table), f"{c} IS NULL OR CAST({c} AS VARCHAR) = ''")


def _duplicates(rule, relation, ordinal, missing: bool) -> str:
    """Key rows seen before (file order), and for primary keys also rows with an empty key part."""
    cols = ", ".join(q(c) for c in rule.columns)
    nulls = " OR ".join(f"{q(c)} IS NULL" for c in rule.columns)
    order = "rowid" if ordinal == "rowid" else q(ordinal)
    inner = (
        f"SELECT *, row_number() OVER (PARTITION BY {cols} ORDER BY {order}) AS _occurrence "
        f"FROM {relation(rule.table)}"
    )
    where = f"({nulls}) OR _occurrence > 1" if missing else f"NOT ({nulls}) AND _occurrence > 1"
    return f"SELECT * EXCLUDE (_occurrence) FROM ({inner}) WHERE {where}"


def _primary_key(contract, rule, relation, ordinal) -> str:
    return _duplicates(rule, relation, ordinal, missing=True)


def _unique(contract, rule, relation, ordinal) -> str:
    return _duplicates(rule, relation, ordinal, missing=False)


def _allowed_values(contract, rule, relation, ordinal) -> str:
    c = q(rule.columns[0])
    values = ", ".join(lit(str(v)) for v in rule.params["values"])
    return _select(
        relation(rule.table), f"{c} IS NOT NULL AND CAST({c} AS VARCHAR) NOT IN ({values})"
    )


def _pattern(contract, rule, relation, ordinal) -> str:
    c = q(rule.columns[0])
    return _select(
        relation(rule.table),
        f"{c} IS NOT NULL AND NOT "
        f"regexp_matches(CAST({c} AS VARCHAR), {lit(rule.params['pattern'])})",
    )


_BOUNDS = {"minimum": "<", "maximum": ">", "exclusive_minimum": "<=", "exclusive_maximum": ">="}


def _range(contract, rule, relation, ordinal) -> str:
    col = contract.table(rule.table).column(rule.columns[0])
    v = f"TRY_CAST({q(col.name)} AS {duckdb_type(col)})"
    tests = [f"{v} {op} {lit(rule.params[k])}" for k, op in _BOUNDS.items() if k in rule.params]
    return _select(relation(rule.table), " OR ".join(tests))


def _length(contract, rule, relation, ordinal) -> str:
    c = f"length(CAST({q(rule.columns[0])} AS VARCHAR))"
    tests = ([f"{c} < {rule.params['min_length']}"] if "min_length" in rule.params else []) + (
        [f"{c} > {rule.params['max_length']}"] if "max_length" in rule.params else []
    )
    return _select(relation(rule.table), " OR ".join(tests))


def _foreign_key(contract, rule, relation, ordinal) -> str:
    child = relation(rule.table)
    parent = relation(rule.params["to_table"])
    present = " AND ".join(f"c.{q(a)} IS NOT NULL" for a in rule.columns)
    match = " AND ".join(
        f"p.{q(b)} = c.{q(a)}" for a, b in zip(rule.columns, rule.params["to_columns"], strict=True)
    )
    return (
        f"SELECT c.* FROM {child} AS c WHERE {present} "
        f"AND NOT EXISTS (SELECT 1 FROM {parent} AS p WHERE {match})"
    )


def _sql(contract, rule, relation, ordinal) -> str:
    if not rule.params.get("rows_query"):
        raise ValueError(
            f"rule {rule.id}: its query is not `SELECT COUNT(*) FROM (<rows>)`, "
            "so the failing rows cannot be selected"
        )
    return rule.params["rows_query"]


# Rule kind -> function(contract, rule, relation, ordinal) -> violating-rows query.
QUERIES = {
    "type": _type,
    "required": _required,
    "primary_key": _primary_key,
    "unique": _unique,
    "allowed_values": _allowed_values,
    "pattern": _pattern,
    "range": _range,
    "length": _length,
    "foreign_key": _foreign_key,
    "sql": _sql,
}


def violation_query(
    contract, rule, relation: Callable[[str], str] = q, ordinal: str = "rowid"
) -> str:
    """The DuckDB query of the rows of rule.table (or the SQL rule's rows) that break rule."""
    if rule.kind not in QUERIES:
        raise ValueError(
            f"rule {rule.id}: no DuckDB check for rule kind {rule.kind!r}; "
            f"known kinds: {', '.join(QUERIES)}"
        )
    return QUERIES[rule.kind](contract, rule, relation, ordinal)


def typed_select(table, source: str, keep: tuple[str, ...] = ()) -> str:
    """SELECT casting each column of a raw-text relation to its contract type (bad -> NULL)."""
    cols = [f"TRY_CAST({q(c.name)} AS {duckdb_type(c)}) AS {q(c.name)}" for c in table.columns]
    return "SELECT " + ", ".join(cols + [q(k) for k in keep]) + f" FROM {source}"
