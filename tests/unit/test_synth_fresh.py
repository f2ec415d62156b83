"""Fresh values for planted rows keep the column's own rules, so a plant breaks only its rule."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from contractbook.synth.plant import fresh_integer


def _col(**bounds):
    fields = ("minimum", "maximum", "exclusive_minimum", "exclusive_maximum")
    return SimpleNamespace(name="id", **{f: bounds.get(f) for f in fields})


@pytest.mark.parametrize(
    ("bounds", "taken", "ok"),
    [
        ({}, {1, 2, 3}, lambda v: v > 3),
        ({"maximum": 10}, {1, 2, 4}, lambda v: v == 10),  # no low end: from the high end
        ({"minimum": 1, "maximum": 5}, {1, 2, 3, 4}, lambda v: v == 5),
        ({"exclusive_maximum": 4.5, "minimum": 2}, {2, 3}, lambda v: v == 4),
        ({"maximum": 0}, {0, -1, -3}, lambda v: v == -2),  # no low end: from the high end down
        ({"exclusive_minimum": 0, "maximum": 100}, set(range(1, 40)), lambda v: v == 40),
    ],
)
def test_a_fresh_integer_is_unused_and_inside_the_range(bounds, taken, ok):
    col = _col(**bounds)
    v = fresh_integer(col, taken, step=1)
    assert v not in taken and ok(v), v
    for k, limit in (("minimum", 1), ("maximum", -1)):
        if k in bounds:
            assert (v - bounds[k]) * limit >= 0


def test_a_full_range_names_the_column_and_the_fix():
    with pytest.raises(ValueError, match=r"'id': every whole number from 1 to 3 is in use"):
        fresh_integer(_col(minimum=1, maximum=3), {1, 2, 3}, step=1)


def test_repeated_fresh_values_differ_when_each_is_taken():
    col, taken = _col(minimum=0, maximum=50), set(np.arange(0, 50, 2).tolist())
    got = []
    for step in range(1, 6):
        got.append(fresh_integer(col, taken, step))
        taken.add(got[-1])
    assert got == [1, 3, 5, 7, 9]


def test_a_fresh_text_keeps_the_columns_max_length():
    from contractbook.synth.plant import PlantContext

    col = SimpleNamespace(
        name="code", pattern=None, max_length=6, type=SimpleNamespace(kind="string")
    )
    table = SimpleNamespace(name="t", column=lambda _: col, column_names=["code"])
    facts = SimpleNamespace(sql_cols={}, summed=lambda _: None, free_text=lambda *_: False)
    taken = {"ABCDEF", "ABCD_2"}
    ctx = PlantContext(table, np.random.default_rng(1), lambda _: taken, facts)
    values = [ctx.fresh("code", "ABCDEF") for _ in range(3)]
    assert len(set(values)) == 3 and all(len(v) <= 6 and v not in {"ABCDEF"} for v in values)
