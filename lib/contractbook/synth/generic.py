"""The generic generator: clean rows for any contract, from types, options, keys, relationships.

Vectorized per column (numpy/Arrow), deterministic per (seed, table, column). Tables are filled in
foreign-key order, so every child samples its parent's generated keys. Patterns go through rstr
(regex -> string) once per *distinct* value of a small pool; columns are gathered from the pool.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal

import numpy as np
import pyarrow as pa

from contractbook.contract.kinds import TYPE_KINDS

from .arrays import decimal_array, hex_ids, timestamp_text
from .plugins import Plugin

T0, SPAN = 1_577_836_800, 5 * 365 * 86_400  # timestamps within 2020-01-01 .. 2024-12-30
NULL_SHARE = 0.1  # of optional columns' values
POOL = 256  # distinct values per patterned column


def _rng(seed: int, *names: str) -> np.random.Generator:
    digest = hashlib.sha1("\0".join(names).encode("utf-8")).digest()
    return np.random.default_rng([seed, int.from_bytes(digest[:8], "little")])


def _bounds(col, low: float, high: float) -> tuple[float, float]:
    lo = next((float(v) for v in (col.minimum, col.exclusive_minimum) if v is not None), low)
    hi = next((float(v) for v in (col.maximum, col.exclusive_maximum) if v is not None), high)
    if col.exclusive_minimum is not None:
        lo += 1
    if col.exclusive_maximum is not None:
        hi -= 1
    return lo, max(lo, hi)


def _pattern_pool(pattern: str, size: int, seed: int, max_length: int | None) -> list[str]:
    """Up to size distinct strings matching pattern (rstr, seeded; stops when no new ones come)."""
    import random
    import re

    import rstr

    gen = rstr.Rstr(random.Random(seed))
    found: dict[str, None] = {}
    compiled = re.compile(pattern)
    for _ in range(size * 4):
        v = gen.xeger(pattern)
        if compiled.search(v) and (max_length is None or len(v) <= max_length):
            found.setdefault(v)
        if len(found) >= size:
            break
    if not found:
        raise ValueError(f"pattern {pattern!r}: no matching value found within the length limit")
    return sorted(found)


def _strings(col, n: int, rng, unique: bool, name: str) -> pa.Array:
    lo = col.min_length or 1
    hi = min(col.max_length or col.type.length or 24, col.type.length or 10**6)
    if col.pattern == "^[0-9a-f]{32}$":
        return hex_ids(rng, n).arrow()
    if col.pattern:
        pool = _pattern_pool(
            col.pattern, max(POOL, n) if unique else POOL, int(rng.integers(2**31)), hi
        )
        if unique:
            if len(pool) < n:
                raise ValueError(
                    f"column {name}: pattern {col.pattern!r} yields only {len(pool)} "
                    f"distinct values, {n} unique ones needed; lower n"
                )
            return pa.array(np.array(pool, dtype=object)[rng.permutation(len(pool))[:n]])
        return pa.array(np.array(pool, dtype=object)[rng.integers(0, len(pool), n)])
    ids = np.arange(n) if unique else rng.integers(0, max(n, 1) * 4, n)
    text = np.char.add("v", ids.astype(str))
    width = max(lo, min(hi, int(np.char.str_len(text).max(initial=1))))
    text = np.char.ljust(text, width, "x")
    if col.type.length or col.max_length:
        text = np.array([t[:hi] for t in text], dtype=object) if width > hi else text
    return pa.array(text.astype(object))


def _integers(col, n: int, rng, unique: bool, name: str) -> pa.Array:
    lo, hi = _bounds(col, 0, 1000)
    if unique:
        start = (
            int(np.ceil(lo)) if col.minimum is not None or col.exclusive_minimum is not None else 1
        )
        values = np.arange(start, start + n, dtype=np.int64)
    else:
        values = rng.integers(int(np.ceil(lo)), int(np.floor(hi)) + 1, n, dtype=np.int64)
    return pa.array(values).cast(pa.int32() if col.type.kind == "integer" else pa.int64())


def _decimals(col, n: int, rng, unique: bool, name: str) -> pa.Array:
    from .arrays import Money

    p, s = col.type.precision, col.type.scale
    top = float(Decimal(10) ** (p - s)) - 1
    lo, hi = _bounds(col, 0, min(top, 10_000))
    units = 10**s
    cents = rng.integers(int(np.ceil(lo * units)), int(np.floor(hi * units)) + 1, n)
    if unique:
        cents = np.arange(n) + int(np.ceil(lo * units))
    money = Money(cents.astype(np.int64)) if s == 2 else None
    if money is not None:
        return decimal_array(money, p, s)
    return pa.array([Decimal(int(c)).scaleb(-s) for c in cents], type=pa.decimal128(p, s))


def _doubles(col, n: int, rng, unique: bool, name: str) -> pa.Array:
    lo, hi = _bounds(col, 0, 1000)
    values = np.round(rng.uniform(lo, hi, n), 3) if not unique else np.arange(n) + 0.5
    return pa.array(values)


def _booleans(col, n: int, rng, unique: bool, name: str) -> pa.Array:
    return pa.array(rng.integers(0, 2, n).astype(bool))


def _stamps(n: int, rng, unique: bool) -> np.ndarray:
    return T0 + (np.arange(n) * 61 if unique else rng.integers(0, SPAN, n))


def _timestamps(col, n, rng, unique, name) -> pa.Array:
    return timestamp_text(_stamps(n, rng, unique)).arrow()


def _timestamptzs(col, n, rng, unique, name) -> pa.Array:
    import pyarrow.compute as pc

    return pc.binary_join_element_wise(_timestamps(col, n, rng, unique, name), "+0000", "")


def _dates(col, n, rng, unique, name) -> pa.Array:
    import pyarrow.compute as pc

    days = (_stamps(n, rng, False) // 86_400 * 86_400) if not unique else T0 + np.arange(n) * 86_400
    return pc.utf8_slice_codeunits(timestamp_text(days).arrow(), 0, 10)


def _times(col, n, rng, unique, name) -> pa.Array:
    import pyarrow.compute as pc

    return pc.utf8_slice_codeunits(timestamp_text(_stamps(n, rng, unique)).arrow(), 11, 19)


def _json(shape: str):
    def gen(col, n, rng, unique, name) -> pa.Array:
        ids = (np.arange(n) if unique else rng.integers(0, 1000, n)).astype(str)
        if shape == "array":
            return pa.array(np.char.add(np.char.add("[", ids), ", 1]").astype(object))
        return pa.array(np.char.add(np.char.add('{"k": ', ids), "}").astype(object))

    return gen


# synth recipe (a kind's `synth` in TYPE_KINDS) -> vectorized clean-value generator.
RECIPES = {
    "string": _strings,
    "integer": _integers,
    "decimal": _decimals,
    "double": _doubles,
    "boolean": _booleans,
    "timestamp": _timestamps,
    "timestamptz": _timestamptzs,
    "date": _dates,
    "time": _times,
    "object": _json("object"),
    "array": _json("array"),
    "map": _json("map"),
}


def _allowed(col, n: int, rng) -> pa.Array:
    values = list(col.allowed_values)
    arr = pa.array(values)
    return arr.take(pa.array(rng.integers(0, len(values), n)))


def _with_nulls(arr: pa.Array, rng) -> pa.Array:
    import pyarrow.compute as pc

    mask = pa.array(rng.random(len(arr)) < NULL_SHARE)
    return pc.if_else(mask, pa.nulls(len(arr), arr.type), arr)


def _typed(col, arr: pa.Array) -> pa.Array:
    """Allowed values as written in YAML -> the Arrow type the column's kind is written as."""
    kind = col.type.kind
    if kind == "integer":
        return arr.cast(pa.int32())
    if kind == "bigint":
        return arr.cast(pa.int64())
    if kind in ("double",):
        return arr.cast(pa.float64())
    if kind == "decimal":
        return pa.array(
            [Decimal(str(v)) for v in arr.to_pylist()],
            type=pa.decimal128(col.type.precision, col.type.scale),
        )
    if kind == "boolean":
        return arr.cast(pa.bool_())
    return arr.cast(pa.string())


def _rows(contract, table, n: int, out: dict) -> int:
    """Rows of table: n, or its parent's count when a foreign key is its whole primary key."""
    for r in table.relationships:
        if table.primary_key and set(r.columns) == set(table.primary_key) and r.to_table in out:
            return min(n, out[r.to_table].num_rows)
    return n


def _key_driver(table, fk_cols: set) -> str | None:
    """The key column made unique (so the whole key is): the last one free to take any value."""
    pk = list(table.primary_key)
    free = [c for c in pk if c not in fk_cols and table.column(c).allowed_values is None]
    return (free or pk or [None])[-1]


def _table(contract, table, n: int, seed: int, out: dict) -> pa.Table:
    n = _rows(contract, table, n, out)
    cols: dict[str, pa.Array] = {}
    pk = list(table.primary_key)
    fk_cols = {c for r in table.relationships for c in r.columns}
    for r in table.relationships:
        parent = out.get(r.to_table)
        if parent is None or parent.num_rows == 0:
            continue
        rng = _rng(seed, table.name, "fk", r.id)
        whole_key = bool(pk) and set(r.columns) == set(pk)
        idx = (
            rng.permutation(parent.num_rows)[:n]
            if whole_key
            else rng.integers(0, parent.num_rows, n)
        )
        for c, pc_ in zip(r.columns, r.to_columns, strict=True):
            cols.setdefault(c, parent.column(pc_).combine_chunks().take(pa.array(idx)))
    driver = _key_driver(table, fk_cols)
    for col in table.columns:
        if col.name in cols:
            continue
        rng = _rng(seed, table.name, col.name)
        unique = col.unique or col.name == driver
        if col.allowed_values is not None and not unique:
            arr = _typed(col, _allowed(col, n, rng))
        else:
            arr = RECIPES[TYPE_KINDS[col.type.kind].synth](
                col, n, rng, unique, f"{table.name}.{col.name}"
            )
        if not col.required and col.name not in pk and col.name not in fk_cols and not unique:
            arr = _with_nulls(arr, rng)
        cols[col.name] = arr
    return pa.table({c.name: cols[c.name] for c in table.columns})


def tables(contract, n: int, seed: int) -> dict:
    """The clean Arrow table of every contract table, parents first."""
    out: dict[str, pa.Table] = {}
    for name in contract.dependency_order:
        out[name] = _table(contract, contract.table(name), n, seed, out)
    return {t.name: out[t.name] for t in contract.tables}


PLUGIN = Plugin("generic", tables, search_sql=True)
