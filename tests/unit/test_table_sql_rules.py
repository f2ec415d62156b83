"""Table-level SQL rules (a query returning one number): the comparator table and evaluation."""

from __future__ import annotations

import duckdb
import pytest

from contractbook.contract import load
from contractbook.contract.thresholds import COMPARATORS, comparator, declared, passes
from contractbook.ingest.tablerules import TableRuleError, evaluate, failures

CONTRACT = """\
apiVersion: v3.1.0
kind: DataContract
id: urn:test:expenses
name: expenses
version: 1.0.0
status: draft
schema:
  - name: Expenses
    quality:
{rules}
    properties:
      - name: id
        logicalType: integer
        primaryKey: true
        required: true
      - name: amount
        logicalType: number
"""


@pytest.mark.parametrize(
    ("op", "threshold", "passing", "failing"),
    [
        ("mustBe", 0, 0, 1),
        ("mustNotBe", 0, 1, 0),
        ("mustBeGreaterThan", 0, 1, 0),
        ("mustBeGreaterOrEqualTo", 2, 2, 1),
        ("mustBeLessThan", 10, 9, 10),
        ("mustBeLessOrEqualTo", 10, 10, 11),
        ("mustBeBetween", [1, 3], 3, 4),
        ("mustNotBeBetween", [1, 3], 0, 1),
    ],
)
def test_each_operator_passes_and_fails(op, threshold, passing, failing):
    assert passes(op, passing, threshold)
    assert not passes(op, failing, threshold)


def test_the_registry_covers_every_odcs_operator_and_refuses_an_unknown_one():
    assert set(COMPARATORS) == {
        "mustBe",
        "mustNotBe",
        "mustBeGreaterThan",
        "mustBeGreaterOrEqualTo",
        "mustBeLessThan",
        "mustBeLessOrEqualTo",
        "mustBeBetween",
        "mustNotBeBetween",
    }
    with pytest.raises(ValueError, match="unknown ODCS threshold operator 'mustBeHuge'.*mustBe"):
        comparator("mustBeHuge")


def test_bounds_of_the_wrong_shape_are_refused():
    with pytest.raises(ValueError, match="list of two bounds"):
        passes("mustBeBetween", 2, 3)
    with pytest.raises(ValueError, match="takes one value"):
        passes("mustBeLessThan", 2, [1, 3])


def test_declared_keeps_only_must_keys_in_order():
    q = {"type": "sql", "query": "x", "mustBeLessThan": 5, "severity": "error"}
    assert declared(q) == (("mustBeLessThan", 5),)


def _contract(tmp_path, rules: str):
    path = tmp_path / "c.yaml"
    path.write_text(CONTRACT.format(rules=rules), encoding="utf-8")
    return load(path)


def _rule(name: str, query: str, bound: str, severity: str = "error") -> str:
    return (
        f"      - type: sql\n        name: {name}\n        query: {query}\n"
        f"        {bound}\n        severity: {severity}\n"
    )


def _con(amounts: list) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("CREATE SCHEMA ok")
    con.execute('CREATE TABLE ok."Expenses" (id INTEGER, amount DOUBLE)')
    for i, a in enumerate(amounts):
        con.execute('INSERT INTO ok."Expenses" VALUES (?, ?)', [i, a])
    return con


def test_max_below_cap_passes_and_fails_on_the_accepted_rows(tmp_path):
    c = _contract(
        tmp_path, _rule("cap", 'SELECT MAX(amount) FROM "Expenses"', "mustBeLessThan: 100")
    )
    ok = evaluate(_con([5, 99]), c, "Expenses")
    assert [(r.rule, r.value, r.operator, r.threshold, r.passed) for r in ok] == [
        ("Expenses.sql.cap", 99, "mustBeLessThan", 100, True)
    ]
    bad = evaluate(_con([5, 150]), c, "Expenses")
    assert [(r.value, r.passed, r.severity) for r in bad] == [(150, False, "error")]
    assert failures([type("C", (), {"table_rules": bad})()]) == bad
    assert "FAILED (error)" in bad[0].line() and "150 < 100" in bad[0].line()


def test_between_and_count_families_and_warning_severity(tmp_path):
    rules = _rule(
        "rows", 'SELECT COUNT(*) FROM "Expenses"', "mustBeGreaterThan: 0", "warning"
    ) + _rule("mean", 'SELECT AVG(amount) FROM "Expenses"', "mustBeBetween: [10, 20]")
    c = _contract(tmp_path, rules)
    empty = evaluate(_con([]), c, "Expenses")
    assert [(r.rule, r.passed, r.severity, r.fails_run) for r in empty] == [
        ("Expenses.sql.rows", False, "warning", False),
        ("Expenses.sql.mean", False, "error", True),
    ]
    assert [r.passed for r in evaluate(_con([10, 20]), c, "Expenses")] == [True, True]


def test_a_null_metric_fails_with_a_clear_message(tmp_path):
    c = _contract(tmp_path, _rule("cap", 'SELECT MAX(amount) FROM "Expenses"', "mustBeLessThan: 1"))
    (r,) = evaluate(_con([]), c, "Expenses")
    assert r.value is None and not r.passed
    assert "returned NULL" in r.message and "NULL < 1" in r.line()


@pytest.mark.parametrize(
    "query",
    ['SELECT amount FROM "Expenses"', 'SELECT MIN(amount), MAX(amount) FROM "Expenses"'],
)
def test_a_query_of_several_rows_or_columns_is_a_clear_error(tmp_path, query):
    c = _contract(tmp_path, _rule("shape", query, "mustBeLessThan: 1"))
    with pytest.raises(TableRuleError, match="sql.shape: its query returns .*not one value"):
        evaluate(_con([1, 2]), c, "Expenses")


def test_count_of_failing_rows_is_not_a_table_level_rule(tmp_path):
    q = 'SELECT COUNT(*) FROM (SELECT id FROM "Expenses" WHERE amount < 0)'
    c = _contract(tmp_path, _rule("neg", q, "mustBe: 0"))
    assert evaluate(_con([-1]), c, "Expenses") == []


def test_the_planter_tries_values_around_the_threshold_inside_the_column_rules(tmp_path):
    from decimal import Decimal

    from contractbook.synth.tableplant import _fits, _numbers

    assert _numbers(10000) == [Decimal(10001), Decimal(10000), Decimal(9999)]
    assert _numbers([1, 3]) == [
        Decimal(2),
        Decimal(1),
        Decimal(0),
        Decimal(4),
        Decimal(3),
        Decimal(2),
    ]
    rule = _rule("cap", 'SELECT MAX(amount) FROM "Expenses"', "mustBeLessThan: 100")
    amount = _contract(tmp_path, rule).table("Expenses").column("amount")
    assert _fits(amount, Decimal("1e12"))  # no bounds declared
    capped = type("C", (), {"type": amount.type, "minimum": 0.01, "maximum": 9999.99})
    capped.exclusive_minimum = capped.exclusive_maximum = None
    assert _fits(capped, Decimal("9999.99")) and not _fits(capped, Decimal(10000))
    ident = _contract(tmp_path, rule).table("Expenses").column("id")
    assert not _fits(ident, Decimal("1.5"))
