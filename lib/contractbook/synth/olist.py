"""The Olist plug-in (contract olist_mini): the simulated marketplace and its SQL-rule defects.

Cities, causal timestamps and payments that add up come from world.py/columns.py; the planters
here break the two cross-table SQL rules only Olist declares.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from . import columns, olist_quirks, pools, world
from .layout import FileStyle, Layout
from .plugins import Plugin
from .records import TS_FORMAT, line, set_value

_set = set_value

# Orphans the public data really has (two categories without a translation); else a fresh value.
ORPHANS = {"products.product_category_name": tuple(olist_quirks.UNTRANSLATED)}


def _timestamps_out_of_order(ctx, t, v, k):
    purchase = datetime.strptime(v[ctx.i("order_purchase_timestamp")], TS_FORMAT)
    approved = purchase - timedelta(hours=int(ctx.rng.integers(1, 48)))
    new = _set(ctx, v, "order_approved_at", approved.strftime(TS_FORMAT))
    return "replace", line(new), ctx.key(new)


def _payment_total(ctx, t, v, k):
    col = ctx.table.column("payment_value")
    value = Decimal(v[ctx.i("payment_value")]) + Decimal(10 + int(ctx.rng.integers(0, 90)))
    new = _set(ctx, v, "payment_value", f"{value:.{col.type.scale}f}")
    return "replace", line(new), ctx.key(new)


def _carrier_before_approval(ctx, t, v, k):
    purchase = datetime.strptime(v[ctx.i("order_purchase_timestamp")], TS_FORMAT)
    approved = datetime.strptime(v[ctx.i("order_approved_at")], TS_FORMAT)
    new = _set(
        ctx,
        v,
        "order_delivered_carrier_date",
        (purchase + (approved - purchase) / 2).strftime(TS_FORMAT),
    )
    return "replace", line(new), ctx.key(new)


def _paid_less(ctx, t, v, k):
    col = ctx.table.column("payment_value")
    value = Decimal(v[ctx.i("payment_value")]) - Decimal(10 + int(ctx.rng.integers(0, 90)))
    new = _set(ctx, v, "payment_value", f"{value:.{col.type.scale}f}")
    return "replace", line(new), ctx.key(new)


SQL_PLANTERS = {
    "orders.sql.order_timestamps_ordered": _timestamps_out_of_order,
    "orders.sql.order_handover_sequence": _carrier_before_approval,
    "order_payments.sql.payments_match_items": _payment_total,
    "order_payments.sql.payments_below_items": _paid_less,
}

# Orders whose payments add up to items + freight exactly, with one payment (so a warning on the
# order marks one row) or without instalments (so added interest is not tolerated).
_PAID_EXACTLY = (
    "WITH due AS (SELECT order_id, sum(price + freight_value) AS due FROM order_items "
    "GROUP BY order_id), paid AS (SELECT order_id, sum(payment_value) AS paid, count(*) AS n, "
    "max(payment_installments) AS inst FROM order_payments GROUP BY order_id) "
    "SELECT p._row FROM order_payments AS p JOIN paid AS s ON p.order_id = s.order_id "
    "JOIN due AS d ON p.order_id = d.order_id "
    "WHERE p.payment_sequential = 1 AND abs(s.paid - d.due) <= 0.01 AND "
)

# Eligible source rows: SQL over the clean tables (each has a `_row` column: its position).
ELIGIBLE = {
    "orders.sql.order_timestamps_ordered": "SELECT _row FROM orders "
    "WHERE order_approved_at IS NOT NULL",
    # an order with items (the rule compares both), paid exactly, without instalments (their
    # interest is tolerated): then the extra amount breaks the rule and only it
    "order_payments.sql.payments_match_items": _PAID_EXACTLY + "s.inst <= 1",
    # a single payment large enough to stay positive when 10..99 BRL are taken off
    "order_payments.sql.payments_below_items": _PAID_EXACTLY + "s.n = 1 AND p.payment_value >= 100",
    # an order handed to the carrier after approval, delivered after that (or not yet)
    "orders.sql.order_handover_sequence": "SELECT _row FROM orders "
    "WHERE order_delivered_carrier_date >= order_approved_at "
    "AND coalesce(order_delivered_customer_date, order_delivered_carrier_date) "
    ">= order_delivered_carrier_date "
    "AND CAST(order_approved_at AS TIMESTAMP) "
    ">= CAST(order_purchase_timestamp AS TIMESTAMP) + INTERVAL 2 SECOND",
}

# The public download as published: file names from the contract's `kaggle` server,
# the header row quoted in every file but the translation table, which has a BOM and CRLF;
# zip-code prefixes always quoted; the data's quirks at their published rates.
KAGGLE = Layout(
    "kaggle",
    server="kaggle",
    default=FileStyle(quote_header=True),
    styles={"product_category_name_translation": FileStyle(bom=True, newline="\r\n")},
    quoted=frozenset(
        {
            "customers.customer_zip_code_prefix",
            "sellers.seller_zip_code_prefix",
            "geolocation.geolocation_zip_code_prefix",
        }
    ),
    quirks=olist_quirks.apply,
)


def tables(contract, n_orders: int, seed: int) -> dict:
    """The clean Arrow table of every contract table, from the simulated marketplace."""
    w = world.build(n_orders, seed, pools.build(seed))
    return {t.name: columns.table(w, t) for t in contract.tables}


PLUGIN = Plugin(
    "olist",
    tables,
    sql_planters=SQL_PLANTERS,
    eligible=ELIGIBLE,
    orphans=ORPHANS,
    layouts={KAGGLE.name: KAGGLE},
)
