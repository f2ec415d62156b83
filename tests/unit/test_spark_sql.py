"""The rule plan's DuckDB SQL compiles to Spark SQL (no Spark needed); engines are a registry."""

from __future__ import annotations

import pytest
import sqlglot

from contractbook.cli import main
from contractbook.ingest import engines, plan
from contractbook.spark.sql import transpile

DUCKDB_ONLY = ("REGEXP_FULL_MATCH", "TRY_STRPTIME", "STRUCT_PACK", "LIST_FILTER", "UNNEST(")


def test_duckdb_only_functions_are_rewritten():
    sql = transpile(
        "SELECT regexp_full_match(r, '^[0-9]+$') AS a, "
        "try_strptime(r, '%Y-%m-%d %H:%M:%S') AS b FROM raw"
    )
    assert "r RLIKE '^(?:^[0-9]+$)\\\\z'" in sql
    assert "TRY_TO_TIMESTAMP(r, 'yyyy-MM-dd HH:mm:ss')" in sql


def test_schema_tables_become_views_and_names_map_with_their_alias():
    assert "FROM `ok__customers` AS p" in transpile('SELECT 1 FROM ok."customers" AS p')
    sql = transpile(
        "SELECT o.order_id FROM orders AS o JOIN items USING (order_id)",
        {"orders": "cand__orders", "items": "ok__items"},
    )
    assert "`cand__orders` AS o" in sql and "`ok__items` AS items" in sql


def test_every_plan_query_of_every_table_compiles_to_spark(contract):
    for t in contract.tables:
        queries = [
            plan.typed_query(contract, t.name, t.column_names, "raw", row="_row"),
            *plan.pair_queries(contract, t.name, 'work."chk"', "_row"),
        ]
        for q in queries:
            sql = transpile(q)
            assert not [f for f in DUCKDB_ONLY if f in sql.upper()], (t.name, sql[:200])
            sqlglot.parse_one(sql, read="spark")  # valid Spark SQL for sqlglot
        for r in (r for r in contract.rules_for(t.name) if r.kind == "sql"):
            sqlglot.parse_one(transpile(r.params["rows_query"], {t.name: "cand__x"}), read="spark")


def test_unknown_engine_is_a_clear_error(contract_path, tmp_path, capsys):
    with pytest.raises(
        ValueError, match="unknown ingest engine 'flink'; choose one of duckdb, spark"
    ):
        engines.get("flink")
    assert main(["ingest", str(contract_path), "--data", str(tmp_path), "--engine", "flink"]) == 2
    assert "unknown ingest engine 'flink'" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("orders", "orders"),
        ("Shop Customers (v1), Ü", "Shop Customers (v1)%2C Ü"),
        ("../etc", "%2E.%2Fetc"),
        ("_hidden", "%5Fhidden"),
        ('a/b\\c:*?"q"{x}[y]', "a%2Fb%5Cc%3A%2A%3F%22q%22%7Bx%7D%5By%5D"),
        ("100%", "100%25"),
        ("tab\there", "tab%09here"),
    ],
)
def test_folder_names_escape_what_a_path_or_glob_would_read(name, expected):
    from contractbook.spark.sql import folder

    assert folder(name) == expected
    assert "/" not in folder(name) and not folder(name).startswith((".", "_"))


def test_cascade_links_are_the_foreign_keys_to_other_tables(contract):
    from contractbook.ingest.cascade import links

    for t in contract.tables:
        got = links(contract, t.name)
        fks = [r for r in contract.rules_for(t.name) if r.kind == "foreign_key"]
        assert [(k.rule, k.parent) for k in got] == [
            (r.id, r.params["to_table"]) for r in fks if r.params["to_table"] != t.name
        ]
        by_id = {r.id: r for r in fks}
        for k in got:
            r = by_id[k.rule]
            assert k.pairs == tuple(zip(r.columns, r.params["to_columns"], strict=True))
    assert any(links(contract, t.name) for t in contract.tables)
