"""The header fit both readers (DuckDB staging, Spark) take: positions, warnings, refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from contractbook.reading.files import ReadError
from contractbook.reading.header import fit

P = Path("orders.csv")


def test_positions_by_name_in_contract_order_with_warnings():
    found = fit(P, ["b", "x", "a", "x"], ["a", "b", "c"])
    assert found.present == ["a", "b"] and found.position == {"a": 2, "b": 0}
    assert found.warnings == [
        "orders.csv: header lacks contract column(s) ['c']; read as empty",
        "orders.csv: header has 2 column(s) not in the contract ['x', 'x']; ignored",
        "orders.csv: columns are in another order than the contract; matched by name",
    ]


def test_a_clean_header_has_no_warning():
    assert fit(P, ["a", "b"], ["a", "b"]).warnings == []


def test_a_contract_column_named_twice_is_refused():
    with pytest.raises(ReadError, match=r"orders\.csv: the header names column\(s\) \['a'\] more"):
        fit(P, ["a", "b", "a"], ["a", "b"])
