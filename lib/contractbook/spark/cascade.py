"""Runner: rejects caused by a rejected parent, as Spark SQL (the plan is `ingest/cascade.py`).

View work__cause_<table> (_row, detail JSON text, rules): the child rows whose foreign-key reject
has a rejected parent row, with the same detail JSON as the DuckDB engine writes.
"""

from __future__ import annotations

from contractbook.contract import Contract
from contractbook.ingest.cascade import DETAIL_PREFIX, ParentLink, links

from .sql import ident, lit, view_name


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


def _one(contract: Contract, link: ParentLink, table: str) -> str:
    """(_row, rule, parent JSON) of the rows this foreign key rejected whose parent was rejected."""
    pcols = ", ".join(f"p.{ident(pc)}" for _, pc in link.pairs)
    rejected = (
        f"SELECT {pcols}, array_sort(collect_set(u.reason)) AS rules "
        f"FROM {_work('chk', link.parent)} AS p JOIN {_work('bad', link.parent)} AS b "
        f"ON p._row = b._row LATERAL VIEW explode(b._reasons) u AS reason "
        f"WHERE b._reasons IS NOT NULL GROUP BY {pcols}"
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
