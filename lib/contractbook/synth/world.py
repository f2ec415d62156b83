"""The simulated marketplace: every entity's attributes as numpy/Arrow arrays, all vectorized."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from . import pools as P
from .arrays import NAT, Fixed, Money, choose, digits, hex_ids, lognormal_int, pick

DAY, HOUR = 86_400, 3_600
T_START = 1_472_948_119  # 2016-09-04 00:15:19 (first order of the public data)
T_2017 = 1_483_228_800  # 2017-01-01
T_RAMP_END = 1_535_760_000  # 2018-09-01
T_BLACK_FRIDAY = 1_511_481_600  # 2017-11-24, the busiest day of the public data
# Hour-of-day profile of purchases (Brazilian shoppers buy in the afternoon and evening).
HOURS = (2, 1, 0.6, 0.4, 0.3, 0.5, 1, 2, 4, 6, 7, 7, 7, 7, 7, 7, 7, 7, 6, 6, 7, 7, 6, 4)


@dataclass(frozen=True)
class Sizes:
    """Row counts derived from n_orders with the public data's ratios."""

    orders: int
    customers: int
    persons: int
    products: int
    sellers: int
    prefixes: int

    @classmethod
    def of(cls, n_orders: int) -> Sizes:
        """Sizes for n_orders (minimums keep tiny runs meaningful)."""
        if n_orders < 1:
            raise ValueError(f"n_orders must be at least 1, got {n_orders}")
        return cls(
            orders=n_orders,
            customers=n_orders,
            persons=max(1, round(n_orders * 0.966)),
            products=max(20, round(n_orders * 0.33)),
            sellers=max(5, round(n_orders * 0.031)),
            prefixes=min(19_000, max(30, n_orders // 50)),
        )


@dataclass
class World:
    """All generated attributes by table; `columns.COLUMNS` maps them to contract columns."""

    sizes: Sizes
    t: dict[str, dict] = field(default_factory=dict)


def _rng(seed: int, stream: int) -> np.random.Generator:
    return np.random.default_rng([seed, stream])


def _prefixes(seed: int, n: int, pools: P.Pools) -> dict:
    """Zip-code prefixes per state (weighted by customer share), each with a city and a centre."""
    rng = _rng(seed, 1)
    codes, shares = [s[0] for s in P.STATES], np.array([s[1] for s in P.STATES])
    zip_parts, state_parts = [], []
    for i, (_, _, _, _, _, lo, hi) in enumerate(P.STATES):
        k = min(hi - lo + 1, max(1, round(shares[i] / shares.sum() * n)))
        zip_parts.append(np.sort(rng.choice(np.arange(lo, hi + 1), size=k, replace=False)))
        state_parts.append(np.full(k, i))
    zips, states = np.concatenate(zip_parts), np.concatenate(state_parts)
    order = np.argsort(zips, kind="stable")
    zips, states = zips[order], states[order]
    m = len(zips)
    city_of = np.where(rng.random(m) < 0.4, 0, rng.integers(1, len(pools.cities[0]), m))
    flat = [c for cs in pools.cities for c in cs]
    city_idx = states * len(pools.cities[0]) + city_of
    lat = np.array([s[2] for s in P.STATES])[states] + rng.normal(0, 0.8, m)
    lng = np.array([s[3] for s in P.STATES])[states] + rng.normal(0, 0.8, m)
    return {
        "n": m,
        "zip": Fixed(digits(zips, 5)),
        "state_code": pa.array(codes),
        "state": states,
        "city_accented": pa.array([c.lower() for c in flat]),
        "city_plain": pa.array([P.plain(c) for c in flat]),
        "city": city_idx,
        "lat": lat.clip(-33.7, 5.2),
        "lng": lng.clip(-73.9, -34.8),
    }


def _place(pfx: dict, idx: np.ndarray, accents: bool = False) -> dict:
    """zip/city/state dictionary arrays for rows located at prefix indices idx."""
    return {
        "zip": pfx["zip"].take(idx),
        "state": pick(pfx["state_code"], pfx["state"][idx]),
        "city": pick(pfx["city_accented" if accents else "city_plain"], pfx["city"][idx]),
    }


def _geolocation(seed: int, n_orders: int, pfx: dict) -> dict:
    rng = _rng(seed, 2)
    counts = 1 + rng.poisson(max(0.0, n_orders / pfx["n"] - 1), pfx["n"])
    idx = np.repeat(np.arange(pfx["n"]), counts)
    lat = pfx["lat"][idx] + rng.normal(0, 0.02, len(idx))
    lng = pfx["lng"][idx] + rng.normal(0, 0.02, len(idx))
    dup = np.flatnonzero((rng.random(len(idx)) < 0.03)[1:] & (idx[1:] == idx[:-1])) + 1
    lat[dup], lng[dup] = lat[dup - 1], lng[dup - 1]  # exact duplicate points, as published
    return {**_place(pfx, idx, accents=True), "lat": np.round(lat, 8), "lng": np.round(lng, 8)}


def _customers(seed: int, s: Sizes, pfx: dict) -> dict:
    rng = _rng(seed, 3)
    persons = hex_ids(rng, s.persons)
    person_of = np.concatenate(
        [np.arange(s.persons), rng.integers(0, s.persons, s.customers - s.persons)]
    )
    return {
        "id": hex_ids(rng, s.customers),
        "unique_id": persons.take(rng.permutation(person_of)),
        **_place(pfx, rng.integers(0, pfx["n"], s.customers)),
    }


def _sellers(seed: int, s: Sizes, pfx: dict) -> dict:
    rng = _rng(seed, 4)
    return {"id": hex_ids(rng, s.sellers), **_place(pfx, rng.integers(0, pfx["n"], s.sellers))}


def _products(seed: int, s: Sizes) -> dict:
    rng = _rng(seed, 5)
    n = s.products
    categorised = rng.random(n) >= 0.0185  # a few products have no category (nor name/photos)
    measured = rng.random(n) >= 0.0001
    cat = choose(rng, n, [c[2] for c in P.CATEGORIES])
    size = {
        k: (rng.integers(lo, hi + 1, n), measured)
        for k, lo, hi in (("length", 16, 105), ("height", 2, 105), ("width", 6, 118))
    }
    return {
        "id": hex_ids(rng, n),
        "category": pick([c[0] for c in P.CATEGORIES], cat, categorised),
        "name_len": (rng.integers(5, 77, n), categorised),
        "description_len": (lognormal_int(rng, n, 600, 0.8, 4, 3992), categorised),
        "photos": (choose(rng, n, (0, 50, 20, 12, 7, 5, 3, 1, 1, 1)), categorised),
        "weight": (lognormal_int(rng, n, 700, 1.2, 2, 40_425), measured),
        **size,
        "price": lognormal_int(rng, n, 7_500, 0.9, 85, 672_000),
        "seller": (s.sellers * rng.random(n) ** 2).astype(np.int64),
    }


def _purchases(rng: np.random.Generator, n: int) -> np.ndarray:
    """Purchase times: a few in late 2016, a growing ramp through August 2018, in seconds."""
    u = rng.random(n)
    t = np.where(
        u < 0.003,
        T_START + (T_2017 - T_START) * rng.random(n),
        T_2017 + (T_RAMP_END - T_2017) * rng.random(n) ** 0.75,
    )
    t = np.where((u >= 0.003) & (u < 0.008), T_BLACK_FRIDAY + 2 * DAY * rng.random(n), t)
    day = (t // DAY).astype(np.int64) * DAY
    secs = choose(rng, n, HOURS) * HOUR + rng.integers(0, HOUR, n)
    return np.maximum(day + secs, T_START)


def _orders(seed: int, s: Sizes, customers: dict) -> dict:
    rng = _rng(seed, 6)
    n = s.orders
    status = choose(rng, n, [p for _, p in P.STATUS_MIX])
    names = [name for name, _ in P.STATUS_MIX]
    is_ = {name: status == i for i, name in enumerate(names)}
    purchase = _purchases(rng, n)
    approved = purchase + lognormal_int(rng, n, 1_200, 1.6, 30, 30 * DAY)
    has_approved = ~is_["created"] & ~(is_["canceled"] & (rng.random(n) < 0.15))
    carrier = approved + lognormal_int(rng, n, 2.5 * DAY, 0.7, HOUR, 40 * DAY)
    has_carrier = is_["delivered"] | is_["shipped"] | (is_["canceled"] & (rng.random(n) < 0.1))
    estimated = (purchase // DAY + rng.integers(8, 46, n)) * DAY
    late = rng.random(n) < 0.08
    on_time = carrier + (rng.random(n) * np.maximum(estimated - carrier, 4 * HOUR)).astype(np.int64)
    overdue = estimated + rng.integers(DAY, 20 * DAY, n)
    delivered = np.maximum(np.where(late, overdue, on_time), carrier + HOUR)
    return {
        "id": hex_ids(rng, n),
        "customer": customers["id"].take(rng.permutation(s.customers)[:n]),
        "status": pick(pa.array(names), status),
        "status_code": status,
        "purchase": purchase,
        "approved": np.where(has_approved, approved, NAT),
        "carrier": np.where(has_carrier, carrier, NAT),
        "delivered": np.where(is_["delivered"], delivered, NAT),
        "estimated": estimated,
        "items_allowed": ~is_["unavailable"],
    }


def _items(seed: int, s: Sizes, orders: dict, products: dict) -> dict:
    rng = _rng(seed, 7)
    count = np.where(orders["items_allowed"], 1 + choose(rng, s.orders, P.ITEMS_MIX), 0)
    order = np.repeat(np.arange(s.orders), count)
    starts = np.cumsum(count) - count
    seq = np.arange(len(order)) - np.repeat(starts, count) + 1
    popular = rng.permutation(s.products)
    first = popular[(s.products * rng.random(s.orders) ** 2.5).astype(np.int64)]
    other = popular[(s.products * rng.random(len(order)) ** 2.5).astype(np.int64)]
    product = np.where((seq == 1) | (rng.random(len(order)) < 0.55), first[order], other)
    freight = np.where(
        rng.random(len(order)) < 0.01, 0, lognormal_int(rng, len(order), 1_600, 0.55, 0, 40_000)
    )
    ready = np.where(orders["approved"] != NAT, orders["approved"], orders["purchase"])[order]
    return {
        "order": order,
        "seq": seq,
        "product": product,
        "seller": products["seller"][product],
        "price": products["price"][product],
        "freight": freight,
        "limit": ready + 6 * DAY + rng.integers(0, DAY, len(order)),
    }


def _payments(seed: int, s: Sizes, items: dict) -> dict:
    rng = _rng(seed, 8)
    n = s.orders
    due = np.rint(
        np.bincount(items["order"], weights=items["price"] + items["freight"], minlength=n)
    ).astype(np.int64)
    total = np.where(
        np.bincount(items["order"], minlength=n) > 0,
        due,
        lognormal_int(rng, n, 9_000, 0.8, 500, 500_000),
    )
    main = choose(rng, n, [p for _, p in P.PAYMENT_MIX])
    vouchers = np.where(rng.random(n) < 0.03, 1 + choose(rng, n, (0.7, 0.2, 0.1)), 0)
    count = 1 + vouchers
    order = np.repeat(np.arange(n), count)
    seq = np.arange(len(order)) - np.repeat(np.cumsum(count) - count, count) + 1
    share = np.where(seq > 1, rng.uniform(0.02, 0.25, len(order)), 0.0)
    value = np.floor(total[order] * share).astype(np.int64)
    paid_by_vouchers = np.bincount(order, weights=value, minlength=n).astype(np.int64)
    value = np.where(seq == 1, (total - paid_by_vouchers)[order], value)
    kind = np.where(seq == 1, main[order], 3)  # 3 = voucher
    card = kind == 0
    installments = np.where(card, 1 + choose(rng, len(order), (50, 12, 10, 7, 5, 4, 2, 4, 1, 5)), 1)
    return {
        "order": order,
        "seq": seq,
        "type": pick([t for t, _ in P.PAYMENT_MIX], kind),
        "installments": installments,
        "value": Money(value),
    }


def _reviews(seed: int, s: Sizes, orders: dict, pools: P.Pools) -> dict:
    rng = _rng(seed, 9)
    order = np.flatnonzero(rng.random(s.orders) < 0.992)
    m = len(order)
    delivered, estimated = orders["delivered"][order], orders["estimated"][order]
    late = (delivered == NAT) | (delivered > estimated)
    score = 1 + np.where(late, choose(rng, m, P.SCORES_LATE), choose(rng, m, P.SCORES_ON_TIME))
    base = np.where(delivered != NAT, delivered, estimated)
    created = (base // DAY + 1) * DAY
    answered = created + lognormal_int(rng, m, DAY, 1.0, 60, 60 * DAY)
    title = rng.integers(0, len(pools.titles), m)
    message = rng.integers(0, len(pools.messages), m)
    has_title, has_message = rng.random(m) < 0.12, rng.random(m) < 0.41
    rid = np.arange(m)
    shared = np.flatnonzero(rng.random(m) < 0.008)
    shared = shared[shared > 0]
    for arr in (rid, score, created, answered, title, message, has_title, has_message):
        arr[shared] = arr[shared - 1]  # the same review covers two orders (a quirk of the data)
    ids = hex_ids(rng, m).take(rid)
    return {
        "id": ids,
        "order": order,
        "score": score,
        "created": created,
        "answered": answered,
        "title": pick(pools.titles, title, has_title),
        "message": pick(pools.messages, message, has_message),
    }


def build(n_orders: int, seed: int, pools: P.Pools) -> World:
    """Simulate the whole marketplace for n_orders orders; the same inputs give the same arrays."""
    s = Sizes.of(n_orders)
    w = World(s)
    pfx = _prefixes(seed, s.prefixes, pools)
    w.t["prefixes"] = pfx
    w.t["geolocation"] = _geolocation(seed, n_orders, pfx)
    w.t["customers"] = _customers(seed, s, pfx)
    w.t["sellers"] = _sellers(seed, s, pfx)
    w.t["products"] = _products(seed, s)
    w.t["orders"] = _orders(seed, s, w.t["customers"])
    w.t["order_items"] = _items(seed, s, w.t["orders"], w.t["products"])
    w.t["order_payments"] = _payments(seed, s, w.t["order_items"])
    w.t["order_reviews"] = _reviews(seed, s, w.t["orders"], pools)
    return w
