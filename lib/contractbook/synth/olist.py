"""The Olist plug-in (contract olist_mini): the simulated marketplace and its SQL-rule defects.

Cities, causal timestamps and payments that add up come from world.py/columns.py; the planters
here break the two cross-table SQL rules only Olist declares.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from . import columns, pools, world
from .plugins import Plugin
from .records import TS_FORMAT, line, set_value

_set = set_value

# Orphans the public data really has (two categories without a translation); else a fresh value.
ORPHANS = {"products.product_category_name":
           ("pc_gamer", "portateis_cozinha_e_preparadores_de_alimentos")}


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


SQL_PLANTERS = {
    "orders.sql.order_timestamps_ordered": _timestamps_out_of_order,
    "order_payments.sql.payments_match_items": _payment_total,
}

# Eligible source rows: SQL over the clean tables (each has a `_row` column: its position).
ELIGIBLE = {
    "orders.sql.order_timestamps_ordered": (
        "SELECT _row FROM orders "
        "WHERE order_approved_at IS NOT NULL"),
    "order_payments.sql.payments_match_items":  # an order with items: the rule compares both
        "SELECT p._row FROM order_payments AS p SEMI JOIN order_items AS i "
        "ON p.order_id = i.order_id WHERE p.payment_sequential = 1",
}


def tables(contract, n_orders: int, seed: int) -> dict:
    """The clean Arrow table of every contract table, from the simulated marketplace."""
    w = world.build(n_orders, seed, pools.build(seed))
    return {t.name: columns.table(w, t) for t in contract.tables}


PLUGIN = Plugin("olist", tables, sql_planters=SQL_PLANTERS, eligible=ELIGIBLE, orphans=ORPHANS)
