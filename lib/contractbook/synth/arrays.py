"""Vectorized array helpers: hex ids, fixed pools as dictionary arrays, money and timestamps."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pyarrow as pa

NAT = np.iinfo(np.int64).min  # null timestamp (numpy's NaT)


@dataclass(frozen=True)
class Money:
    """An amount in integer minor units (cents): exact sums, made decimal(p,s) at the end."""

    cents: np.ndarray
    valid: np.ndarray | None = None


@dataclass(frozen=True)
class Fixed:
    """Fixed-width ASCII strings as an (n, width) uint8 matrix: gathers are plain numpy takes."""

    chars: np.ndarray
    valid: np.ndarray | None = None

    def __len__(self) -> int:
        return self.chars.shape[0]

    def take(self, index: np.ndarray) -> Fixed:
        """Rows at index (a foreign key's values are the parent's ids gathered this way)."""
        rows = np.take(self.chars.view(f"V{self.chars.shape[1]}").ravel(), index)
        return Fixed(
            rows.view(np.uint8).reshape(len(index), self.chars.shape[1]),
            None if self.valid is None else self.valid[index],
        )

    def arrow(self) -> pa.Array:
        """The strings as an Arrow string array, without building one Python string per row."""
        n, width = self.chars.shape
        kind, dtype = (
            (pa.string(), np.int32) if n * width < 2**31 else (pa.large_string(), np.int64)
        )
        offsets = np.arange(0, width * (n + 1), width, dtype=dtype)
        validity = (
            None if self.valid is None else pa.py_buffer(np.packbits(self.valid, bitorder="little"))
        )
        return pa.Array.from_buffers(
            kind,
            n,
            [validity, pa.py_buffer(offsets), pa.py_buffer(np.ascontiguousarray(self.chars))],
        )


@dataclass(frozen=True)
class Stamps:
    """Timestamps as epoch seconds (NAT = empty)."""

    seconds: np.ndarray


def hex_ids(rng: np.random.Generator, n: int) -> Fixed:
    """n random 32-character lowercase hex ids, built from raw random bytes."""
    text = rng.bytes(16 * n).hex().encode("ascii")
    return Fixed(np.frombuffer(text, dtype=np.uint8).reshape(n, 32))


def digits(values: np.ndarray, width: int) -> np.ndarray:
    """Non-negative integers as zero-padded ASCII digits, an (n, width) uint8 matrix."""
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return (values[:, None] // powers % 10 + 48).astype(np.uint8)


def _civil_text(days: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 as `YYYY-MM-DD` (H. Hinnant's civil_from_days), an (n, 10) matrix."""
    z = days + 719_468
    era = z // 146_097
    doe = z - era * 146_097
    yoe = (doe - doe // 1_460 + doe // 36_524 - doe // 146_096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    month = np.where(mp < 10, mp + 3, mp - 9)
    out = np.empty((len(days), 10), dtype=np.uint8)
    out[:, 0:4] = digits(yoe + era * 400 + (month <= 2), 4)
    out[:, 5:7], out[:, 8:10] = digits(month, 2), digits(doy - (153 * mp + 2) // 5 + 1, 2)
    out[:, [4, 7]] = ord("-")
    return out


@lru_cache(maxsize=1)
def _clock_text() -> np.ndarray:
    """`HH:MM:SS` for every second of a day, an (86400, 8) matrix (built once)."""
    secs = np.arange(86_400)
    out = np.empty((86_400, 8), dtype=np.uint8)
    out[:, 0:2], out[:, 3:5], out[:, 6:8] = (
        digits(secs // 3600, 2),
        digits(secs // 60 % 60, 2),
        digits(secs % 60, 2),
    )
    out[:, [2, 5]] = ord(":")
    return out


def _gather(table: np.ndarray, index: np.ndarray) -> np.ndarray:
    width = table.shape[1]
    return (
        np.take(np.ascontiguousarray(table).view(f"V{width}").ravel(), index)
        .view(np.uint8)
        .reshape(len(index), width)
    )


def timestamp_text(seconds: np.ndarray) -> Fixed:
    """Epoch seconds as `YYYY-MM-DD HH:MM:SS`: one divmod, then two table look-ups per value."""
    valid = seconds != NAT
    days, secs = np.divmod(np.where(valid, seconds, 0), 86_400)
    first = int(days.min()) if len(days) else 0
    dates = _civil_text(np.arange(first, (int(days.max()) if len(days) else 0) + 1, dtype=np.int64))
    out = np.empty((len(seconds), 19), dtype=np.uint8)
    out[:, 0:10] = _gather(dates, days - first)
    out[:, 10] = ord(" ")
    out[:, 11:19] = _gather(_clock_text(), secs)
    return Fixed(out, None if valid.all() else valid)


def pick(pool, index: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    """Values of pool at index (a dictionary array: no per-row string is built)."""
    mask = None if valid is None else ~valid
    return pa.DictionaryArray.from_arrays(
        pa.array(index.astype(np.int32), mask=mask),
        pool if isinstance(pool, pa.Array) else pa.array(list(pool)),
    )


def ints(values: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    """Integers with optional nulls."""
    return pa.array(values.astype(np.int64), mask=None if valid is None else ~valid)


def choose(rng: np.random.Generator, n: int, probs) -> np.ndarray:
    """n draws of indices 0..len(probs)-1 with the given (renormalised) probabilities."""
    p = np.asarray(probs, dtype=float)
    return np.searchsorted(np.cumsum(p / p.sum()), rng.random(n), side="right").clip(0, len(p) - 1)


def lognormal_int(
    rng: np.random.Generator, n: int, median: float, sigma: float, lo: int, hi: int
) -> np.ndarray:
    """Integers from a log-normal with the given median, clipped to [lo, hi]."""
    return np.rint(rng.lognormal(np.log(median), sigma, n)).clip(lo, hi).astype(np.int64)


def decimal_array(money: Money, precision: int, scale: int) -> pa.Array:
    """Exact decimal128(p,s) from integer cents (rescaled to the column's scale), no floats."""
    units = (
        money.cents.astype(np.int64) * (10**scale) // 100
        if scale >= 2
        else money.cents.astype(np.int64) // (10 ** (2 - scale))
    )
    words = np.empty((len(units), 2), dtype=np.int64)
    words[:, 0], words[:, 1] = units, np.where(units < 0, -1, 0)
    validity = None
    if money.valid is not None:
        validity = pa.py_buffer(np.packbits(money.valid, bitorder="little").tobytes())
    return pa.Array.from_buffers(
        pa.decimal128(precision, scale), len(units), [validity, pa.py_buffer(words.tobytes())]
    )
