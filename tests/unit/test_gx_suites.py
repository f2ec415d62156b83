"""GX suites generated from the contract: coverage of every rule, shapes, provenance (no GX)."""

from __future__ import annotations

import pytest

from contractbook.gx import TARGETS, coverage, generate


@pytest.mark.parametrize("target", list(TARGETS))
def test_every_rule_is_mapped_or_listed_by_name(contract, target):
    cov = coverage(generate(contract, target))
    assert set(cov) == {r.id for r in contract.rules}
    for rule_id, state in cov.items():
        assert state == "mapped" or len(state) > 20, f"{rule_id}: reason too short: {state!r}"


@pytest.mark.parametrize("target", ["duckdb", "postgres", "spark"])
def test_sql_targets_map_every_rule(contract, target):
    assert {k: v for k, v in coverage(generate(contract, target)).items() if v != "mapped"} == {}


def test_csv_lists_only_cross_table_sql_and_plain_text_types(contract):
    unmapped = {k for k, v in coverage(generate(contract, "csv")).items() if v != "mapped"}
    sql = {r.id for r in contract.rules if r.kind == "sql"}
    plain_text = {r.id for r in contract.rules if r.kind == "type" and r.params["type"] == "string"}
    assert unmapped == sql | plain_text


def _by_rule(suite: dict) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for e in suite.expectations:
        out.setdefault(e["meta"]["rule_id"], []).append(e)
    return out


def test_expectation_shapes(contract):
    items = _by_rule(generate(contract, "duckdb")["order_items"])
    pk = items["order_items.primary_key"][0]
    assert pk["type"] == "expect_compound_columns_to_be_unique"
    assert pk["kwargs"]["column_list"] == ["order_id", "order_item_id"]
    assert (
        items["order_items.order_id.required"][0]["type"] == "expect_column_values_to_not_be_null"
    )
    assert items["order_items.order_id.pattern"][0]["kwargs"]["regex"] == "^[0-9a-f]{32}$"
    assert items["order_items.price.range"][0]["kwargs"] == {"column": "price", "min_value": 0}
    types = [e["type"] for e in items["order_items.order_id.type"]]
    assert types == [
        "expect_column_values_to_be_in_type_list",
        "expect_column_value_lengths_to_be_between",
    ]
    fk = items["order_items.foreign_key.order_items_product"][0]
    assert fk["type"] == "unexpected_rows_expectation"
    assert "{batch}" in fk["kwargs"]["unexpected_rows_query"]
    assert 'olist."products"' in fk["kwargs"]["unexpected_rows_query"]
    orders = _by_rule(generate(contract, "duckdb")["orders"])
    assert orders["orders.order_status.allowed_values"][0]["kwargs"]["value_set"][0] == "delivered"
    sql = orders["orders.sql.order_timestamps_ordered"][0]["kwargs"]["unexpected_rows_query"]
    assert "FROM (SELECT * FROM {batch}) AS orders" in sql  # no JOIN: GX aliases the batch


def test_csv_suite_reads_text_and_typed_helpers(contract):
    items = _by_rule(generate(contract, "csv")["order_items"])
    assert (
        items["order_items.price.type"][0]["kwargs"]["regex"] == r"^[+-]?[0-9]{1,8}(\.[0-9]{1,2})?$"
    )
    assert items["order_items.price.range"][0]["kwargs"]["column"] == "price__typed"
    assert items["order_items.primary_key"][0]["kwargs"]["column_list"] == [
        "order_id",
        "order_item_id__typed",
    ]
    assert (
        items["order_items.shipping_limit_date.type"][0]["kwargs"]["strftime_format"]
        == "%Y-%m-%d %H:%M:%S"
    )
    fk = items["order_items.foreign_key.order_items_order"][0]
    assert fk["kwargs"] == {"column": "order_id__in__orders", "value_set": [True]}


def test_warn_policy_is_a_warning(contract):
    products = _by_rule(generate(contract, "postgres")["products"])
    fk = products["products.foreign_key.products_category"][0]
    assert fk["severity"] == "warning" and fk["meta"]["policy"] == "warn"


def test_postgres_queries_are_transpiled(contract):
    sql = _by_rule(generate(contract, "postgres", schema="wh")["order_payments"])
    q = sql["order_payments.sql.payments_match_items"][0]["kwargs"]["unexpected_rows_query"]
    assert "wh.order_items" in q


def test_unknown_target_is_a_clear_error(contract):
    with pytest.raises(
        ValueError, match="unknown GX target 'oracle'.*csv, duckdb, postgres, spark"
    ):
        generate(contract, "oracle")


@pytest.mark.parametrize("target", list(TARGETS))
def test_suites_name_contract_version_and_generator(contract, target):
    suites = generate(contract, target)
    assert list(suites) == contract.table_names
    for table, suite in suites.items():
        meta = suite.to_dict()["meta"]["contractbook"]
        assert meta["table"] == table and meta["target"] == target
        assert (meta["contract"], meta["version"], meta["generator"]) == (
            contract.id,
            contract.version,
            "contractbook.gx",
        )


SHAPES = """\
apiVersion: v3.1.0
kind: DataContract
id: urn:test:gxshapes
version: 2.0.0
status: draft
schema:
  - name: things
    properties:
      - {name: code, logicalType: string, logicalTypeOptions: {minLength: 2, maxLength: 8},
         primaryKey: true, required: true}
      - {name: weight, logicalType: number, physicalType: double,
         logicalTypeOptions: {exclusiveMinimum: 0, exclusiveMaximum: 10}}
      - {name: born, logicalType: date}
      - {name: flag, logicalType: boolean}
    quality:
      - {id: odd_rule, type: sql, query: "SELECT SUM(weight) FROM things", mustBe: 0}
"""


def test_lengths_exclusive_bounds_dates_and_unshowable_sql(tmp_path):
    from contractbook.contract import parse

    (tmp_path / "c.yaml").write_text(SHAPES)
    shapes, _ = parse(tmp_path / "c.yaml")
    csv, pg = generate(shapes, "csv")["things"], generate(shapes, "postgres")["things"]
    by = _by_rule(csv)
    assert by["things.code.length"][0]["kwargs"] == {
        "column": "code",
        "min_value": 2,
        "max_value": 8,
    }
    assert by["things.weight.range"][0]["kwargs"] == {
        "column": "weight__typed",
        "min_value": 0,
        "max_value": 10,
        "strict_min": True,
        "strict_max": True,
    }
    assert by["things.born.type"][0]["kwargs"]["strftime_format"] == "%Y-%m-%d"
    assert by["things.flag.type"][0]["type"] == "expect_column_values_to_match_regex"
    assert _by_rule(pg)["things.born.type"][0]["kwargs"]["type_list"] == ["DATE"]
    not_mapped = {n.rule_id: n.reason for n in pg.not_mapped}
    assert list(not_mapped) == ["things.sql.odd_rule"]
    assert "SELECT COUNT(*) FROM (<failing rows>)" in not_mapped["things.sql.odd_rule"]


def test_a_length_rule_on_a_name_with_a_quote_is_a_query_that_runs():
    """GX 1.24 cannot parse its own row condition for a `"` in a column name: the length rule is
    the same check as a quoted query, and that query finds exactly the too-long value."""
    from pathlib import Path

    import duckdb

    from contractbook.contract import load
    from contractbook.gx.suites import table_suite

    world = Path(__file__).resolve().parents[1] / "fixtures" / "contracts" / "world"
    c = load(world / "v310_dotted_names.yaml")
    t = c.table("paths")
    (e,) = [
        x for x in table_suite(c, t, "duckdb", None).expectations if x["meta"]["kind"] == "length"
    ]
    assert e["type"] == "unexpected_rows_expectation"
    col = t.column("label").physical
    con = duckdb.connect()
    q = '"' + col.replace('"', '""') + '"'
    con.execute(f"CREATE TABLE batch ({q} VARCHAR)")
    con.execute("INSERT INTO batch VALUES ('short'), (NULL), (?)", ["x" * 21])
    query = e["kwargs"]["unexpected_rows_query"].format(batch="batch")
    assert con.execute(query).fetchall() == [("x" * 21,)]
