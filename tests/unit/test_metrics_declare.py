"""Model declarations: headers parse, inputs match the SQL, order is derived, errors are clear."""

from __future__ import annotations

import pytest

from contractbook.metrics import ModelError, models
from contractbook.metrics import compile as sql
from contractbook.metrics.declare import order, parse
from contractbook.metrics.engines import get

HEADER = """/*
name: {name}
description: test
inputs: [{inputs}]
columns:
  - {{name: n, logicalType: integer, physicalType: bigint}}
*/
SELECT 1 AS n
"""


def test_declared_inputs_are_exactly_the_tables_the_sql_reads(contract):
    for m in models(contract):
        assert {str(i) for i in m.inputs} == sql.referenced(m), m.path


def test_the_four_required_models_and_their_helpers_exist(contract):
    assert {m.name for m in models(contract)} == {
        "order_totals",
        "order_deliveries",
        "delivery_sla",
        "review_scores",
        "category_reviews",
        "review_delay",
        "seller_scorecard",
    }


def test_order_follows_the_declared_inputs():
    a = parse(HEADER.format(name="a", inputs="curated.b"), "a.sql")
    b = parse(HEADER.format(name="b", inputs="olist.orders"), "b.sql")
    assert [m.name for m in order((a, b))] == ["b", "a"]
    c = parse(HEADER.format(name="b", inputs="curated.a"), "b.sql")
    with pytest.raises(ModelError, match="cycle"):
        order((a, c))


def test_an_input_outside_the_two_schemas_is_refused():
    with pytest.raises(ModelError, match="must be olist.<table> or curated.<model>"):
        parse(HEADER.format(name="a", inputs="public.orders"), "a.sql")


def test_a_column_without_type_or_single_source_is_refused(contract):
    from contractbook.metrics.declare import resolve

    text = HEADER.format(name="a", inputs="olist.orders").replace(
        "logicalType: integer, physicalType: bigint", "from: [orders.order_id, orders.customer_id]"
    )
    with pytest.raises(ModelError, match="declares no logicalType"):
        resolve((parse(text, "a.sql"),), contract)


def test_one_copy_transpiled_per_engine(contract):
    m = next(x for x in models(contract) if x.name == "delivery_sla")
    duck, pg = sql.select(m, "duckdb"), sql.select(m, "postgres")
    assert "QUANTILE_CONT" in duck.upper() and "PERCENTILE_CONT" in pg.upper()
    assert '"olist"."order_items"' in pg and '"curated"."order_deliveries"' in pg
    assert 'FROM "x"."order_items"' in sql.select(m, "duckdb", {"olist": "x"})


def test_unknown_engine_is_a_clear_error():
    with pytest.raises(
        ValueError, match="unknown metrics engine 'oracle'; choose one of duckdb, postgres"
    ):
        get("oracle")


def test_column_lineage_is_schema_qualified(contract):
    by = {m.name: m for m in models(contract)}
    assert ("olist.orders.order_id", "curated.order_totals.order_id") in by[
        "order_totals"
    ].lineage()
    assert ("curated.order_deliveries.is_on_time", "curated.seller_scorecard.on_time_rate") in by[
        "seller_scorecard"
    ].lineage()


def test_a_source_outside_the_declared_inputs_is_refused(contract):
    from contractbook.metrics.declare import resolve

    text = HEADER.format(name="a", inputs="olist.orders").replace(
        "physicalType: bigint", "physicalType: bigint, from: [customers.customer_id]"
    )
    with pytest.raises(ModelError, match="not among the declared inputs"):
        resolve((parse(text, "a.sql"),), contract)
