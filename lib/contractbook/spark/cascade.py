"""Runner: rejects caused by a rejected parent, as Spark SQL (the plan is `ingest/cascade.py`).

View work__cause_<table> (_row, detail JSON text, rules): the child rows whose foreign-key reject
has a rejected parent row, with the same detail JSON as the DuckDB engine writes.

A parent rejected as a malformed record (a `_csv IS NOT NULL` row of work__src_<table>) has its
key read back where that is certain, as the DuckDB engine does (view work__mkey_<table>):
- `column_count` (Spark's own malformed record, `_text` its raw text): only the first field,
  with the DuckDB engine's FIELD regex from the record's start (`field_regex`, Java syntax
  alike); a missing or extra separator may lie anywhere after it.
- `encoding` and `quoting`: `_text` is not the raw text (parsed fields joined by commas, empty
  ones left out), so nothing is read from it; the key is the field Spark parsed, if it lies
  before the record's first quoting field (`_parsed`). U+FFFD stands for invalid bytes only,
  never for a separator or a quote, so the fields of an encoding record stand where they are.
The key is cast as the typed pass casts that column (the plan's cast, transpiled).
"""

from __future__ import annotations

from contractbook.contract import Contract
from contractbook.ingest.cascade import DETAIL_PREFIX, ParentLink, field_regex, links, referenced
from contractbook.ingest.castmap import cast_expr
from contractbook.ingest.plan import qi

from .sql import ident, lit, transpile, view_name


def _work(kind: str, table: str) -> str:
    return ident(view_name("work", f"{kind}_{table}"))


# kinds whose JSON text differs between the engines: written as DuckDB's json_object writes
# them (`2017-10-02 10:56:33`, where Spark's to_json writes `2017-10-02T10:56:33.000`)
AS_TEXT = ("timestamp",)


def _key_value(contract: Contract, table: str, column: str) -> str:
    """A child key column as it goes into the detail's parent_key."""
    value = f"c.{ident(column)}"
    kind = contract.table(table).column(column).type.kind
    return f"CAST({value} AS STRING)" if kind in AS_TEXT else value


def field_sql(text: str, position: int) -> str:
    """Spark SQL: the 0-based field `position` of a CSV record's text, read strictly from its
    start; NULL when it or a field before it is not well formed, or it is empty."""
    regex = lit(field_regex(position))
    v = f"regexp_extract({text}, {regex}, 1)"
    unquoted = (
        f"CASE WHEN substring({v}, 1, 1) = '\"' "
        f"THEN replace(substring({v}, 2, length({v}) - 2), '\"\"', '\"') ELSE {v} END"
    )
    return f"CASE WHEN {text} RLIKE {regex} THEN nullif({unquoted}, '') END"


def _raw_key(column: str, position: int | None) -> str:
    """Spark SQL: a malformed record's text of one key column where it is certain, else NULL."""
    if position is None:  # not in the file
        return "CAST(NULL AS STRING)"
    parsed = f"CASE WHEN _parsed > {int(position)} THEN {ident(column)} END"
    if position:
        return parsed
    return f"CASE WHEN _csv = 'column_count' THEN {field_sql('_text', 0)} ELSE {parsed} END"


def malformed_keys(spark, contract: Contract, table: str, position: dict[str, int]) -> None:
    """Register work__mkey_<table> (referenced columns typed, `rules`): the keys of the table's
    malformed records, read back where that is certain. position: column -> header position."""
    cols = referenced(contract, table)
    if not cols:
        return
    t = contract.table(table)
    raw = ", ".join(f"{_raw_key(c, position.get(c))} AS {ident(c)}" for c in cols)
    spark.sql(
        f"SELECT {raw}, array(concat({lit(table + '.csv.')}, _csv)) AS rules "
        f"FROM {_work('src', table)} WHERE _csv IS NOT NULL"
    ).createOrReplaceTempView(ident(view_name("work", "mraw_" + table)))
    typed = ", ".join(f"{cast_expr(t.column(c), qi(c), table)} AS {qi(c)}" for c in cols)
    spark.sql(
        transpile(f"SELECT {typed}, rules FROM work.{qi('mraw_' + table)}")
    ).createOrReplaceTempView(ident(view_name("work", "mkey_" + table)))


def _one(contract: Contract, link: ParentLink, table: str) -> str:
    """(_row, rule, parent JSON) of the rows this foreign key rejected whose parent was rejected
    (by a rule, or as a malformed record whose key was read back)."""
    pcols = ", ".join(f"p.{ident(pc)}" for _, pc in link.pairs)
    mcols = ", ".join(f"m.{ident(pc)}" for _, pc in link.pairs)
    keyed = " AND ".join(f"m.{ident(pc)} IS NOT NULL" for _, pc in link.pairs)
    reasons = (
        f"SELECT {pcols}, b._reasons AS rules "
        f"FROM {_work('chk', link.parent)} AS p JOIN {_work('bad', link.parent)} AS b "
        f"ON p._row = b._row WHERE b._reasons IS NOT NULL "
        f"UNION ALL SELECT {mcols}, m.rules FROM {_work('mkey', link.parent)} AS m WHERE {keyed}"
    )
    rejected = (
        f"SELECT {pcols}, array_sort(collect_set(u.reason)) AS rules "
        f"FROM ({reasons}) AS p LATERAL VIEW explode(p.rules) u AS reason GROUP BY {pcols}"
    )
    on = " AND ".join(f"c.{ident(c)} = r.{ident(pc)}" for c, pc in link.pairs)
    key = ", ".join(f"{lit(pc)}, {_key_value(contract, table, c)}" for c, pc in link.pairs)
    parent = (
        f"named_struct('rule', {lit(link.rule)}, 'parent_table', {lit(link.parent)}, "
        f"'parent_key', named_struct({key}), 'parent_rules', r.rules)"
    )
    return (
        f"SELECT b._row, {lit(link.rule)} AS rule, to_json({parent}) AS parent "
        f"FROM {_work('bad', table)} AS b JOIN {_work('chk', table)} AS c ON c._row = b._row "
        f"JOIN ({rejected}) AS r ON {on} WHERE array_contains(b._reasons, {lit(link.rule)})"
    )


def causes(spark, contract: Contract, table: str):
    """Register work__cause_<table> (cached: the rejects and the counts read it)."""
    parts = [_one(contract, link, table) for link in links(contract, table)]
    if not parts:
        frame = spark.sql(
            "SELECT CAST(NULL AS BIGINT) AS _row, CAST(NULL AS STRING) AS detail, "
            "CAST(NULL AS ARRAY<STRING>) AS rules WHERE false"
        )
    else:
        frame = spark.sql(
            f"SELECT _row, concat({lit(DETAIL_PREFIX)}, array_join(transform(array_sort("
            "collect_list(named_struct('p', parent, 'r', rule))), x -> x.p), ','), ']}') "
            "AS detail, transform(array_sort(collect_list(named_struct('p', parent, 'r', rule))),"
            f" x -> x.r) AS rules FROM ({' UNION ALL '.join(parts)}) GROUP BY _row"
        )
    frame = frame.persist()
    frame.createOrReplaceTempView(ident(view_name("work", "cause_" + table)))
    return frame
