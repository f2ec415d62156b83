"""Quirks of the public Olist download at its rates, for the `kaggle` layout of the Olist plug-in.

Each quirk is a vectorized pass (numpy, pyarrow compute, DuckDB) over the clean Arrow tables,
seeded per quirk, so the same seed gives the same files. What each one reproduces:
- about 1.2% of delivered orders handed to the carrier before their approval, a few delivered
  to the customer before the carrier date;
- credit-card instalment payments carrying interest (payments exceed items + freight), and a few
  orders paid less than items + freight;
- review ids repeating across up to three orders with identical content;
- review texts with CRLF (besides quotes and commas) inside quoted fields;
- two product categories missing from the translation table.
Products without category, name, description and photos (610 in 32,951) come from the world.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .arrays import NAT, Money, decimal_array, timestamp_text

# Share of delivered orders handed to the carrier before approval (published: about 1.2%).
CARRIER_BEFORE_APPROVAL = 0.012
# Share of delivered orders delivered before the carrier date (published: a few, ~23 in 96k).
DELIVERED_BEFORE_CARRIER = 0.00025
# Share of orders paid by card in instalments whose payments carry interest.
INTEREST = 0.25
# Interest per instalment, as a fraction of items + freight (the contract tolerates up to 2%).
INTEREST_PER_INSTALMENT = (0.002, 0.015)
# Share of orders with items paid less than items + freight, and by how much (a fraction).
SHORT_PAID, SHORT_BY = 0.0005, (0.01, 0.10)
# Share of reviews starting a group of three orders sharing one review (pairs come from the world).
SHARED_BY_THREE = 0.0004
# Categories the public products use without a translation, with their share of products.
UNTRANSLATED = {"pc_gamer": 0.0001, "portateis_cozinha_e_preparadores_de_alimentos": 0.0003}
REVIEW_CONTENT = (
    "review_id",
    "review_score",
    "review_comment_title",
    "review_comment_message",
    "review_creation_date",
    "review_answer_timestamp",
)


def _rng(seed: int, stream: int) -> np.random.Generator:
    return np.random.default_rng([seed, 1_700 + stream])


def _some(rng: np.random.Generator, eligible: np.ndarray, share: float) -> np.ndarray:
    """A sorted sample of eligible positions: share of them, at least one when any is eligible."""
    k = min(len(eligible), max(1, round(share * len(eligible)))) if len(eligible) else 0
    return np.sort(rng.choice(eligible, size=k, replace=False)) if k else eligible[:0]


def _seconds(arr) -> np.ndarray:
    """Timestamp text as epoch seconds (NAT where empty)."""
    ts = pc.cast(pc.cast(arr, pa.timestamp("s")), pa.int64())  # ISO text: Arrow's own parser
    return pc.fill_null(ts, NAT).to_numpy(zero_copy_only=False).astype(np.int64)


def _set(table: pa.Table, name: str, values: pa.Array) -> pa.Table:
    return table.set_column(table.schema.get_field_index(name), name, values)


def orders(t: pa.Table, seed: int) -> pa.Table:
    """Carrier dates before approval (about 1.2% of delivered), a few deliveries before them."""
    rng = _rng(seed, 1)
    purchase = _seconds(t["order_purchase_timestamp"])
    approved, carrier = (
        _seconds(t["order_approved_at"]),
        _seconds(t["order_delivered_carrier_date"]),
    )
    delivered = _seconds(t["order_delivered_customer_date"])
    status = pc.cast(t["order_status"].combine_chunks(), pa.string())
    ok = (
        pc.equal(status, "delivered").to_numpy(zero_copy_only=False)
        & (approved != NAT)
        & (carrier != NAT)
        & (delivered != NAT)
    )
    early = _some(rng, np.flatnonzero(ok & (approved - purchase >= 60)), CARRIER_BEFORE_APPROVAL)
    gap = approved[early] - purchase[early]
    carrier[early] = purchase[early] + (gap * rng.uniform(0.05, 0.95, len(early))).astype(np.int64)
    ok[early] = False
    soon = _some(rng, np.flatnonzero(ok), DELIVERED_BEFORE_CARRIER)
    span = carrier[soon] - approved[soon]
    delivered[soon] = approved[soon] + (span * rng.uniform(0.1, 0.9, len(soon))).astype(np.int64)
    t = _set(t, "order_delivered_carrier_date", timestamp_text(carrier).arrow())
    return _set(t, "order_delivered_customer_date", timestamp_text(delivered).arrow())


def payments(p: pa.Table, items: pa.Table, seed: int) -> pa.Table:
    """Interest on card instalment payments (paid above items + freight), a few orders paid less."""
    import duckdb

    rng = _rng(seed, 2)
    con = duckdb.connect()
    con.register("p", p.append_column("_row", pa.array(np.arange(p.num_rows))))
    con.register("i", items)
    value = p["payment_value"].combine_chunks()  # decimal(p,2): exact in a double below 2**53
    cents = np.rint(pc.cast(value, pa.float64()).to_numpy(zero_copy_only=False) * 100).astype(
        np.int64
    )
    main = con.sql("""
        SELECT p._row, p.payment_installments AS inst, p.payment_type = 'credit_card' AS card,
               CAST(round(d.due * 100) AS BIGINT) AS due
        FROM p JOIN (SELECT order_id, sum(price + freight_value) AS due FROM i GROUP BY order_id)
             AS d ON p.order_id = d.order_id
        WHERE p.payment_sequential = 1 ORDER BY p._row""").fetchnumpy()
    con.close()
    row, inst = main["_row"].astype(np.int64), main["inst"].astype(np.int64)
    due, card = main["due"].astype(np.int64), main["card"].astype(bool)
    interest = _some(rng, np.flatnonzero(card & (inst > 1)), INTEREST)
    rate = rng.uniform(*INTEREST_PER_INSTALMENT, len(interest)) * inst[interest]
    cents[row[interest]] += np.maximum(2, np.rint(due[interest] * rate)).astype(np.int64)
    others = np.ones(len(row), dtype=bool)
    others[interest] = False
    short = _some(rng, np.flatnonzero(others), SHORT_PAID)
    cut = np.maximum(2, np.rint(due[short] * rng.uniform(*SHORT_BY, len(short)))).astype(np.int64)
    cents[row[short]] = np.maximum(0, cents[row[short]] - cut)
    kind = p.schema.field("payment_value").type
    return _set(p, "payment_value", decimal_array(Money(cents), kind.precision, kind.scale))


def reviews(r: pa.Table, seed: int) -> pa.Table:
    """Some reviews cover three orders (identical content), texts with CRLF line breaks."""
    rng = _rng(seed, 3)
    m = r.num_rows
    ids = r["review_id"].combine_chunks()
    if m >= 4:  # a group starts where its first row shares its id with no earlier row
        fresh = np.concatenate(
            [[True], ~pc.equal(ids.slice(1), ids.slice(0, m - 1)).to_numpy(zero_copy_only=False)]
        )
        triples = np.arange(0, m - 2, 3)  # groups of three never overlap
        starts = _some(rng, triples[fresh[triples]], SHARED_BY_THREE)
        take = np.arange(m)
        take[starts + 1], take[starts + 2] = starts, starts
        for name in REVIEW_CONTENT:
            r = _set(r, name, r[name].combine_chunks().take(pa.array(take)))
    msg = r["review_comment_message"].combine_chunks()
    if pa.types.is_dictionary(msg.type):
        crlf = pa.DictionaryArray.from_arrays(
            msg.indices, pc.replace_substring(msg.dictionary, "\n", "\r\n")
        )
    else:
        crlf = pc.replace_substring(msg, "\n", "\r\n")
    return _set(r, "review_comment_message", crlf)


def products(t: pa.Table, seed: int) -> pa.Table:
    """A few products in the two categories the translation table lacks."""
    rng = _rng(seed, 4)
    cat = pc.cast(t["product_category_name"].combine_chunks(), pa.string())
    free = pc.is_valid(cat).to_numpy(zero_copy_only=False).copy()
    for name, share in UNTRANSLATED.items():
        chosen = _some(rng, np.flatnonzero(free), share)
        free[chosen] = False
        mask = np.zeros(len(cat), dtype=bool)
        mask[chosen] = True
        cat = pc.if_else(pa.array(mask), pa.scalar(name), cat)
    return _set(t, "product_category_name", cat)


def apply(contract, typed: dict, seed: int) -> dict:
    """The clean tables with the published data's quirks (same seed, same result)."""
    out = dict(typed)
    out["orders"] = orders(typed["orders"], seed)
    out["order_payments"] = payments(typed["order_payments"], typed["order_items"], seed)
    out["order_reviews"] = reviews(typed["order_reviews"], seed)
    out["products"] = products(typed["products"], seed)
    return out
