"""Contract columns -> generated values: a registry keyed by `table.column`, cast by kind."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyarrow as pa

from .arrays import Fixed, Money, Stamps, decimal_array, ints, timestamp_text
from .world import World


def _t(name: str, key: str) -> Callable[[World], object]:
    return lambda w: w.t[name][key]


def _ref(name: str, key: str, parent: str, parent_key: str = "id") -> Callable[[World], object]:
    """A column holding the parent's id for the row's parent index (a foreign key)."""
    return lambda w: w.t[parent][parent_key].take(w.t[name][key])


def _stamp(name: str, key: str) -> Callable[[World], object]:
    return lambda w: Stamps(w.t[name][key])


def _int(name: str, key: str) -> Callable[[World], object]:
    def get(w: World):
        v = w.t[name][key]
        return ints(*v) if isinstance(v, tuple) else ints(v)

    return get


def _money(name: str, key: str) -> Callable[[World], object]:
    return lambda w: w.t[name][key] if isinstance(w.t[name][key], Money) else Money(w.t[name][key])


def _translation(index: int) -> Callable[[World], object]:
    from .pools import CATEGORIES

    return lambda w: pa.array([c[index] for c in CATEGORIES])


# Every contract column must have exactly one entry here (a test checks it).
COLUMNS: dict[str, Callable[[World], object]] = {
    "customers.customer_id": _t("customers", "id"),
    "customers.customer_unique_id": _t("customers", "unique_id"),
    "customers.customer_zip_code_prefix": _t("customers", "zip"),
    "customers.customer_city": _t("customers", "city"),
    "customers.customer_state": _t("customers", "state"),
    "geolocation.geolocation_zip_code_prefix": _t("geolocation", "zip"),
    "geolocation.geolocation_lat": _t("geolocation", "lat"),
    "geolocation.geolocation_lng": _t("geolocation", "lng"),
    "geolocation.geolocation_city": _t("geolocation", "city"),
    "geolocation.geolocation_state": _t("geolocation", "state"),
    "product_category_name_translation.product_category_name": _translation(0),
    "product_category_name_translation.product_category_name_english": _translation(1),
    "products.product_id": _t("products", "id"),
    "products.product_category_name": _t("products", "category"),
    "products.product_name_lenght": _int("products", "name_len"),
    "products.product_description_lenght": _int("products", "description_len"),
    "products.product_photos_qty": _int("products", "photos"),
    "products.product_weight_g": _int("products", "weight"),
    "products.product_length_cm": _int("products", "length"),
    "products.product_height_cm": _int("products", "height"),
    "products.product_width_cm": _int("products", "width"),
    "sellers.seller_id": _t("sellers", "id"),
    "sellers.seller_zip_code_prefix": _t("sellers", "zip"),
    "sellers.seller_city": _t("sellers", "city"),
    "sellers.seller_state": _t("sellers", "state"),
    "orders.order_id": _t("orders", "id"),
    "orders.customer_id": _t("orders", "customer"),
    "orders.order_status": _t("orders", "status"),
    "orders.order_purchase_timestamp": _stamp("orders", "purchase"),
    "orders.order_approved_at": _stamp("orders", "approved"),
    "orders.order_delivered_carrier_date": _stamp("orders", "carrier"),
    "orders.order_delivered_customer_date": _stamp("orders", "delivered"),
    "orders.order_estimated_delivery_date": _stamp("orders", "estimated"),
    "order_items.order_id": _ref("order_items", "order", "orders"),
    "order_items.order_item_id": _int("order_items", "seq"),
    "order_items.product_id": _ref("order_items", "product", "products"),
    "order_items.seller_id": _ref("order_items", "seller", "sellers"),
    "order_items.shipping_limit_date": _stamp("order_items", "limit"),
    "order_items.price": _money("order_items", "price"),
    "order_items.freight_value": _money("order_items", "freight"),
    "order_payments.order_id": _ref("order_payments", "order", "orders"),
    "order_payments.payment_sequential": _int("order_payments", "seq"),
    "order_payments.payment_type": _t("order_payments", "type"),
    "order_payments.payment_installments": _int("order_payments", "installments"),
    "order_payments.payment_value": _money("order_payments", "value"),
    "order_reviews.review_id": _t("order_reviews", "id"),
    "order_reviews.order_id": _ref("order_reviews", "order", "orders"),
    "order_reviews.review_score": _int("order_reviews", "score"),
    "order_reviews.review_comment_title": _t("order_reviews", "title"),
    "order_reviews.review_comment_message": _t("order_reviews", "message"),
    "order_reviews.review_creation_date": _stamp("order_reviews", "created"),
    "order_reviews.review_answer_timestamp": _stamp("order_reviews", "answered"),
}


def _as_string(v, col):
    if isinstance(v, Fixed):
        return v.arrow()
    if isinstance(v, pa.Array) and (
        pa.types.is_dictionary(v.type)
        or pa.types.is_string(v.type)
        or pa.types.is_large_string(v.type)
    ):
        return v
    raise TypeError(f"column {col.name!r}: expected text values for type {col.type}, got {type(v)}")


def _as_int(arrow_type):
    def convert(v, col):
        if isinstance(v, np.ndarray):
            v = pa.array(v)
        if isinstance(v, pa.Array) and pa.types.is_integer(v.type):
            return v.cast(arrow_type)
        raise TypeError(
            f"column {col.name!r}: expected integers for type {col.type}, got {type(v)}"
        )

    return convert


def _as_decimal(v, col):
    if isinstance(v, Money):
        return decimal_array(v, col.type.precision, col.type.scale)
    raise TypeError(f"column {col.name!r}: expected Money for type {col.type}, got {type(v)}")


def _as_double(v, col):
    if isinstance(v, np.ndarray) and v.dtype.kind == "f":
        return pa.array(v)
    if isinstance(v, Money):
        return pa.array(v.cents / 100.0, mask=None if v.valid is None else ~v.valid)
    raise TypeError(f"column {col.name!r}: expected floats for type {col.type}, got {type(v)}")


def _as_timestamp(v, col):
    if isinstance(v, Stamps):  # written as text here: numpy formats it faster than any CSV writer
        return timestamp_text(v.seconds).arrow()
    raise TypeError(f"column {col.name!r}: expected timestamps for type {col.type}, got {type(v)}")


# Column kind -> converter from generated values to the Arrow array written for that kind.
CONVERTERS = {
    "string": _as_string,
    "integer": _as_int(pa.int32()),
    "bigint": _as_int(pa.int64()),
    "decimal": _as_decimal,
    "double": _as_double,
    "timestamp": _as_timestamp,
}


def table(world: World, contract_table) -> pa.Table:
    """The Arrow table of one contract table: columns in contract order, typed by column kind."""
    arrays = {}
    for col in contract_table.columns:
        key = f"{contract_table.name}.{col.name}"
        if key not in COLUMNS:
            raise KeyError(
                f"no generator for column {key!r}: add it to contractbook.synth.columns.COLUMNS"
            )
        if col.type.kind not in CONVERTERS:
            raise TypeError(
                f"column {key!r}: the generator cannot write type {col.type}; "
                f"supported kinds: {', '.join(CONVERTERS)}"
            )
        arrays[col.name] = CONVERTERS[col.type.kind](COLUMNS[key](world), col)
    return pa.table(arrays)
