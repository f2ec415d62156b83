"""CREATE/DROP scripts: order, keys, foreign keys, unique, indexes, comments, names per dialect."""

from __future__ import annotations

import re

import pytest

from contractbook.ddl import DIALECTS, create, drop, get


def _created(sql: str) -> list[str]:
    return [
        m.split(".")[-1].strip('"`').lower()
        for m in re.findall(r"^CREATE TABLE IF NOT EXISTS (\S+) \(", sql, re.M)
    ]


@pytest.mark.parametrize("name", list(DIALECTS))
def test_tables_in_dependency_order_and_drops_reversed(contract, name):
    sql = create(contract, name)
    assert _created(sql) == contract.dependency_order
    dropped = [
        m.split(".")[-1].strip('"`;').lower()
        for m in re.findall(r"^DROP TABLE IF EXISTS (\S+);", drop(contract, name), re.M)
    ]
    assert dropped == list(reversed(contract.dependency_order))


@pytest.mark.parametrize("name", list(DIALECTS))
def test_header_names_contract_version_and_generator(contract, name):
    head = create(contract, name).splitlines()[:3]
    assert any(
        contract.id in line and f"v{contract.version}" in line and "contractbook.ddl" in line
        for line in head
    )


@pytest.mark.parametrize("name", list(DIALECTS))
def test_keys_and_foreign_keys(contract, name):
    d, sql = get(name), create(contract, name)
    assert f"PRIMARY KEY ({d.idents(['order_id', 'order_item_id'])})" in sql
    assert f"PRIMARY KEY ({d.idents(['review_id', 'order_id'])})" in sql
    for rel in contract.relationships:
        line = next(
            ln for ln in sql.splitlines() if f"fk_{rel.id}" in ln.lower() and "FOREIGN KEY" in ln
        )
        commented = line.lstrip().startswith("--")
        assert commented == (d.enforces_keys and rel.on_violation == "warn"), (rel.id, line)
    assert ("NOT ENFORCED" in sql) == (name == "bigquery")


def test_warn_foreign_key_is_documented_where_it_would_be_enforced(contract):
    sql = create(contract, "postgres")
    assert "NOT CREATED, onViolation is warn" in sql
    assert 'FOREIGN KEY ("product_category_name")' in sql
    assert '-- CONSTRAINT "fk_products_category"' in sql
    assert "CONSTRAINT `fk_products_category`" in create(contract, "databricks")


@pytest.mark.parametrize("name", list(DIALECTS))
def test_unique_where_supported_else_noted(contract, name):
    sql, d = create(contract, name), get(name)
    col = d.ident("product_category_name_english")
    if d.unique:
        assert f"UNIQUE ({col})" in sql
    else:
        assert "UNIQUE (product_category_name_english): not created" in sql


def test_indexes_on_fk_columns_not_covered_by_the_key(contract):
    sql = create(contract, "postgres")
    assert '"ix_order_items__product_id" ON "olist"."order_items" ("product_id")' in sql
    assert "ix_order_items__order_id" not in sql  # leads the primary key already
    assert "CREATE INDEX" not in create(contract, "snowflake")


def test_comments_from_descriptions(contract):
    assert (
        'COMMENT ON COLUMN "olist"."customers"."customer_zip_code_prefix" IS '
        "'First five digits of the customer''s zip code" in create(contract, "postgres")
    )
    assert "OPTIONS (description = 'First five digits of the customer\\'s" in create(
        contract, "bigquery"
    )
    assert ") COMMENT = 'Sellers that fulfil orders.'" in create(contract, "snowflake")


def test_databricks_unity_catalog_names_are_parameters(contract):
    sql = create(contract, "databricks", catalog="dev", schema="shop")
    assert sql.count("USE CATALOG `dev`;") == 1 and "USE SCHEMA `shop`;" in sql
    assert "CREATE SCHEMA IF NOT EXISTS `dev`.`shop`" in sql
    assert "CREATE TABLE IF NOT EXISTS `dev`.`shop`.`orders`" in sql
    assert "REFERENCES `dev`.`shop`.`customers`" in sql
    assert sql.count("USING DELTA") == len(contract.tables)
    assert "`main`.`olist`.`orders`" in create(contract, "databricks")


def test_generators_are_pure(contract):
    assert create(contract, "duckdb") == create(contract, "duckdb")
