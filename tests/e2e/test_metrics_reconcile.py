"""Reconciliation on generated data: synth (with planted defects) + ingest + models; the curated
totals equal the sums over the accepted raw rows, and each model's left-out count is the
ingest's."""

from __future__ import annotations

import pytest

from contractbook.ingest.run import ingest
from contractbook.metrics import engines
from contractbook.metrics.refresh import refresh
from contractbook.synth import generate


@pytest.fixture(scope="module")
def built(contract, tmp_path_factory):
    base = tmp_path_factory.mktemp("reconcile")
    generate(contract, 400, 11, base / "raw", defects="all=2", progress=None)
    result = ingest(
        contract,
        base / "raw",
        "duckdb",
        base / "wh.duckdb",
        rejects_dir=base / "rej",
        state_dir=base / "state",
        progress=lambda *_: None,
    )
    assert result.ok
    run = refresh(contract, "duckdb", str(base / "wh.duckdb"), progress=None)
    s = engines.get("duckdb").connect(str(base / "wh.duckdb"))
    yield s, result, run
    s.close()


PAIRS = {  # curated total -> the same total over the accepted raw rows
    "orders": ("SELECT count(*) FROM curated.order_totals", "SELECT count(*) FROM olist.orders"),
    "items": (
        "SELECT sum(items) FROM curated.order_totals",
        "SELECT count(*) FROM olist.order_items",
    ),
    "items value": (
        "SELECT sum(items_value) FROM curated.order_totals",
        "SELECT sum(price) FROM olist.order_items",
    ),
    "freight": (
        "SELECT sum(freight_value) FROM curated.order_totals",
        "SELECT sum(freight_value) FROM olist.order_items",
    ),
    "payments": (
        "SELECT sum(payments_value) FROM curated.order_totals",
        "SELECT sum(payment_value) FROM olist.order_payments",
    ),
    "vouchers": (
        "SELECT sum(voucher_value) FROM curated.order_totals",
        "SELECT sum(payment_value) FROM olist.order_payments WHERE payment_type = 'voucher'",
    ),
    "revenue": (
        "SELECT sum(revenue) FROM curated.seller_scorecard",
        "SELECT sum(price) FROM olist.order_items",
    ),
    "sellers": (
        "SELECT count(*) FROM curated.seller_scorecard",
        "SELECT count(*) FROM olist.sellers",
    ),
    "reviews": (
        "SELECT sum(reviews) FROM curated.review_scores",
        "SELECT count(*) FROM olist.order_reviews",
    ),
    "sla orders": (
        "SELECT orders FROM curated.delivery_sla WHERE dimension = 'all'",
        "SELECT count(*) FROM olist.orders",
    ),
    "sla delivered": (
        "SELECT delivered_orders FROM curated.delivery_sla WHERE dimension = 'all'",
        "SELECT count(*) FROM olist.orders WHERE order_delivered_customer_date IS NOT NULL",
    ),
    "orders by state": (
        "SELECT sum(orders) FROM curated.delivery_sla WHERE dimension = 'customer_state'",
        "SELECT count(*) FROM olist.orders",
    ),
    "orders by month": (
        "SELECT sum(orders) FROM curated.delivery_sla WHERE dimension = 'purchase_month'",
        "SELECT count(*) FROM olist.orders",
    ),
    "mismatches": (
        "SELECT count(*) FROM curated.order_totals WHERE payment_mismatch",
        "SELECT count(*) FROM olist.orders AS o WHERE abs("
        "coalesce((SELECT sum(payment_value) FROM olist.order_payments AS p "
        "WHERE p.order_id = o.order_id), 0)"
        " - coalesce((SELECT sum(price + freight_value) FROM olist.order_items AS i "
        "WHERE i.order_id = o.order_id), 0)"
        ") > 0.01",
    ),
}


@pytest.mark.parametrize("name", list(PAIRS))
def test_curated_totals_equal_sums_over_accepted_rows(built, name):
    s, _, _ = built
    curated, raw = PAIRS[name]
    assert s.value(curated) == s.value(raw)


def test_the_data_has_rejects_and_the_totals_are_not_trivial(built):
    s, result, _ = built
    assert sum(c.rejected for c in result.checks.values()) > 0
    assert s.value("SELECT sum(items_value) FROM curated.order_totals") > 0


def test_left_out_counts_are_the_ingest_rejects(built):
    _, result, run = built
    rejected = {t: c.rejected for t, c in result.checks.items()}
    for m in run.models:
        assert m.left_out == {t: rejected[t] for t in m.left_out}, m.model
    totals = next(m for m in run.models if m.model == "order_totals")
    assert set(totals.left_out) == {"orders", "customers", "order_items", "order_payments"}


def test_curated_tables_on_generated_data_pass_their_contract(built):
    _, _, run = built
    assert run.ok, run.check.rows()
