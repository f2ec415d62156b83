"""Rule -> DuckDB violation query: a hand-made table per rule kind, flagged rows checked exactly."""

from __future__ import annotations

import duckdb
import pytest

from contractbook.contract.rules import RULE_KINDS
from support.rule_sql import QUERIES, typed_select, violation_query


def test_every_rule_kind_has_a_query():
    assert set(QUERIES) == set(RULE_KINDS)


def test_unknown_kind_is_a_clear_error(contract):
    from contractbook.contract import Rule

    with pytest.raises(ValueError, match="no DuckDB check for rule kind 'bogus'"):
        violation_query(contract, Rule("x.bogus", "bogus", "orders"))


def _rule(contract, rule_id):
    return next(r for r in contract.rules if r.id == rule_id)


@pytest.fixture
def con(contract):
    """Raw text tables (with _line) holding one bad row per rule plus good rows."""
    c = duckdb.connect()
    c.execute("""CREATE TABLE raw_order_payments AS SELECT * FROM (VALUES
        (2, 'o1', '1', 'credit_card', '1', '10.00'),
        (3, 'o1', '1', 'boleto', '1', '5.00'),          -- duplicate key (later occurrence)
        (4, 'o2', '1', 'pix', '25', '-1.00'),           -- allowed values, range x2
        (5, NULL, '2', NULL, 'two', 'abc'),             -- required x2 (+pk), type x2
        (6, 'o3', '1', 'voucher', '0', '7.50'),
        (7, 'o9', '1', 'voucher', '1', '1.00'))         -- orphan order
        AS t(_line, order_id, payment_sequential, payment_type, payment_installments,
             payment_value)""")
    c.execute("""CREATE TABLE raw_orders AS SELECT * FROM (VALUES
        (2, 'o1'), (3, 'o2'), (4, 'o3'), (5, 'O4')) AS t(_line, order_id)""")
    c.execute("""CREATE TABLE raw_product_category_name_translation AS SELECT * FROM (VALUES
        (2, 'a', 'x'), (3, 'b', 'x'), (4, 'c', NULL), (5, 'd', NULL))
        AS t(_line, product_category_name, product_category_name_english)""")
    return c


@pytest.mark.parametrize(
    "rule_id, lines",
    [
        ("order_payments.primary_key", {3, 5}),
        ("order_payments.order_id.required", {5}),
        ("order_payments.payment_type.required", {5}),
        ("order_payments.payment_type.allowed_values", {4}),
        ("order_payments.payment_installments.range", {4}),
        ("order_payments.payment_value.range", {4}),
        ("order_payments.payment_installments.type", {5}),
        ("order_payments.payment_value.type", {5}),
        ("order_payments.foreign_key.order_payments_order", {7}),
        ("order_payments.order_id.pattern", {2, 3, 4, 6, 7}),
        ("orders.order_id.pattern", {2, 3, 4, 5}),
        ("product_category_name_translation.product_category_name_english.unique", {3}),
    ],
)
def test_query_flags_exactly_the_bad_rows(contract, con, rule_id, lines):
    q = violation_query(
        contract, _rule(contract, rule_id), relation=lambda t: f"raw_{t}", ordinal="_line"
    )
    assert {r[0] for r in con.execute(f"SELECT _line FROM ({q})").fetchall()} == lines


def test_string_length_is_part_of_the_type(contract):
    c = duckdb.connect()
    c.execute("CREATE TABLE raw_customers AS SELECT 2 AS _line, 'SPX' AS customer_state")
    q = violation_query(
        contract, _rule(contract, "customers.customer_state.type"), lambda t: f"raw_{t}", "_line"
    )
    assert c.execute(f"SELECT _line FROM ({q})").fetchall() == [(2,)]


def test_sql_rules_run_on_typed_views(contract):
    c = duckdb.connect()
    c.execute("""CREATE TABLE raw_order_items AS SELECT * FROM (VALUES
        ('o1', '1', 'p', 's', '2018-01-01 00:00:00', '10.00', '2.50'))
        AS t(order_id, order_item_id, product_id, seller_id, shipping_limit_date, price,
             freight_value)""")
    c.execute("""CREATE TABLE raw_order_payments AS SELECT * FROM (VALUES
        ('o1', '1', 'boleto', '1', '12.49'))
        AS t(order_id, payment_sequential, payment_type, payment_installments, payment_value)""")
    for name in ("order_items", "order_payments"):
        c.execute(f"CREATE VIEW {name} AS {typed_select(contract.table(name), f'raw_{name}')}")
    over = violation_query(contract, _rule(contract, "order_payments.sql.payments_match_items"))
    under = violation_query(contract, _rule(contract, "order_payments.sql.payments_below_items"))

    def flagged(value: str, installments: str = "1") -> tuple[bool, bool]:
        c.execute(
            "UPDATE raw_order_payments SET payment_value = ?, payment_installments = ?",
            [value, installments],
        )
        return tuple(
            c.execute(f"SELECT order_id FROM ({q})").fetchall() == [("o1",)] for q in (over, under)
        )

    assert flagged("12.49") == (False, False)  # within 0.01 BRL
    assert flagged("12.00") == (False, True)  # paid less: a warning
    assert flagged("13.00") == (True, False)  # paid more without instalments: rejected
    # 3 instalments: up to 2% interest per instalment tolerated (12.50 + 0.01 + 0.75)
    assert flagged("13.26", "3") == (False, False)
    assert flagged("13.27", "3") == (True, False)
