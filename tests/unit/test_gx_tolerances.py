"""`mostly` tolerances: parsing, precedence and clear errors."""

from __future__ import annotations

import pytest

from contractbook.gx.tolerances import from_env, mostly_for, parse


def test_forms():
    assert parse("") == {} and parse(None) == {}
    assert parse("0.99") == {"*": 0.99}
    assert parse("foreign_key=0.9, orders.order_status.allowed_values=0.5") == {
        "foreign_key": 0.9,
        "orders.order_status.allowed_values": 0.5,
    }


def test_precedence_rule_then_kind_then_default():
    tol = parse("*=0.8,pattern=0.9,orders.order_id.pattern=0.95")
    assert mostly_for("orders.order_id.pattern", "pattern", tol) == 0.95
    assert mostly_for("orders.customer_id.pattern", "pattern", tol) == 0.9
    assert mostly_for("orders.order_id.required", "required", tol) == 0.8
    assert mostly_for("x.y.required", "required", {}) == 1.0


def test_environment_is_the_fallback(monkeypatch):
    monkeypatch.setenv("CONTRACTBOOK_GX_MOSTLY", "range=0.7")
    assert from_env("") == {"range": 0.7}
    assert from_env("0.5") == {"*": 0.5}


@pytest.mark.parametrize(
    "spec, message",
    [
        ("pattern=abc", "not a number"),
        ("pattern=1.5", "must be in"),
        ("patern=0.9", "neither a rule kind"),
    ],
)
def test_bad_specs_say_what_to_write(spec, message):
    with pytest.raises(ValueError, match=message):
        parse(spec)


def test_unknown_rule_ids_are_refused(contract):
    from contractbook.gx.tolerances import check

    ids = [r.id for r in contract.rules]
    assert check({"foreign_key": 0.9, "orders.order_id.pattern": 0.9}, ids)
    with pytest.raises(ValueError, match="no rule 'products.foreign_key' in the contract"):
        check({"products.foreign_key": 0.9}, ids)
