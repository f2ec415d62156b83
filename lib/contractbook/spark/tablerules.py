"""Runner: table-level SQL rules (one number each) on the accepted rows, in Spark SQL.

The same rules, threshold comparison and result records as the DuckDB engine
(ingest/tablerules.py); the query is the contract's, parsed and re-rendered (comments
dropped) and transpiled to Spark SQL with the contract's tables read as the accepted rows.
"""

from __future__ import annotations

from contractbook.contract import Contract
from contractbook.contract.sqlrules import sql
from contractbook.contract.thresholds import table_rules
from contractbook.ingest.tablerules import TableRuleResult, judge, one_value

from .sql import transpile, view_name


def evaluate(spark, contract: Contract, table: str) -> list[TableRuleResult]:
    """Each table-level rule of table, run over the accepted rows (views ok.<t>), judged."""
    rules = table_rules(contract, table)
    if not rules:
        return []
    views = {n: view_name("ok", n) for n in contract.table_names}
    out = []
    for r in rules:
        frame = spark.sql(transpile(sql(r.params["tree"]), views))
        out.append(judge(r, one_value(r, frame.columns, [tuple(x) for x in frame.take(2)])))
    return out
