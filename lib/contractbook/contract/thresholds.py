"""ODCS threshold operators (mustBe, mustBeLessThan, ...) as a table of comparators."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from contractbook.registry import lookup

if TYPE_CHECKING:
    from contractbook.contract.model import Contract


@dataclass(frozen=True)
class Comparator:
    """One ODCS operator: its symbol, its test (value, threshold) and how many bounds it takes."""

    name: str
    symbol: str
    test: Callable[[Any, Any], bool]
    bounds: int = 1  # 2: a [low, high] pair, both ends included


def _between(v: Any, t: Any) -> bool:
    return t[0] <= v <= t[1]


COMPARATORS: dict[str, Comparator] = {
    c.name: c
    for c in (
        Comparator("mustBe", "=", lambda v, t: v == t),
        Comparator("mustNotBe", "!=", lambda v, t: v != t),
        Comparator("mustBeGreaterThan", ">", lambda v, t: v > t),
        Comparator("mustBeGreaterOrEqualTo", ">=", lambda v, t: v >= t),
        Comparator("mustBeLessThan", "<", lambda v, t: v < t),
        Comparator("mustBeLessOrEqualTo", "<=", lambda v, t: v <= t),
        Comparator("mustBeBetween", "between", _between, bounds=2),
        Comparator("mustNotBeBetween", "not between", lambda v, t: not _between(v, t), bounds=2),
    )
}


def comparator(name: str) -> Comparator:
    """The comparator of an ODCS operator; ValueError naming the known ones otherwise."""
    return lookup(COMPARATORS, name, "ODCS threshold operator")


def declared(quality: dict) -> tuple[tuple[str, object], ...]:
    """The (operator, threshold) pairs a quality entry declares (every `must*` key, in order)."""
    return tuple((k, v) for k, v in quality.items() if isinstance(k, str) and k.startswith("must"))


def bounds_problem(name: str, threshold: object) -> str:
    """Why threshold does not fit operator name ('' when it does); unknown name: ValueError."""
    c = comparator(name)
    if c.bounds == 2:
        ok = isinstance(threshold, list | tuple) and len(threshold) == 2
        return "" if ok else f"{name} takes a list of two bounds [low, high], not {threshold!r}"
    if isinstance(threshold, list | tuple | dict) or threshold is None:
        return f"{name} takes one value, not {threshold!r}"
    return ""


def passes(name: str, value: object, threshold: object) -> bool:
    """Whether value meets `name: threshold`; TypeError when they cannot be compared."""
    if problem := bounds_problem(name, threshold):
        raise ValueError(problem)
    return bool(comparator(name).test(value, threshold))


def table_rules(contract: Contract, table: str) -> list:
    """The table's accepted SQL rules of another shape than COUNT(*) FROM (<failing rows>)."""
    return [
        r
        for r in contract.rules_for(table)
        if r.kind == "sql"
        and r.params.get("tree") is not None
        and r.params.get("rows_tree") is None
    ]


def plain(value) -> float | int | str | None:
    """A metric as a JSON value: numbers stay numbers (whole ones as int), others become text."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    return str(value)
