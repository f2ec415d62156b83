"""Defect spec parsing, where each kind may be planted (isolation principles), and the CLI."""

from __future__ import annotations

import pytest

from contractbook.cli import main
from contractbook.synth import DEFECT_KINDS, parse_spec
from contractbook.synth.plant import PLANTERS, SQL_PLANTERS
from contractbook.synth.targets import Facts, targets


def test_spec_forms():
    assert parse_spec("").empty and parse_spec(" , ").empty
    s = parse_spec("all=2, primary_key=5,csv_quoting=0")
    assert (s.count("primary_key"), s.count("csv_quoting"), s.count("range")) == (5, 0, 2)
    r = parse_spec("rate=0.001")
    assert r.count("sql") is None and r.rate == 0.001 and not r.empty
    assert str(parse_spec("all=1,type=3")) == "type=3,all=1"


@pytest.mark.parametrize(
    "bad, words",
    [
        ("nonsense=1", "unknown kind 'nonsense'"),
        ("required", "no '='"),
        ("required=-1", "non-negative integer"),
        ("rate=abc", "not a number"),
        ("rate=0.5", "[0, 0.05)"),
    ],
)
def test_spec_errors_say_what_to_write(bad, words):
    with pytest.raises(ValueError, match=None) as e:
        parse_spec(bad)
    assert words in str(e.value)


def test_every_kind_has_a_planter_and_a_target_in_olist_mini(contract):
    found = targets(contract)
    assert set(found) == set(DEFECT_KINDS)
    assert all(found[k] for k in DEFECT_KINDS), [k for k in DEFECT_KINDS if not found[k]]
    assert set(PLANTERS) | {"sql"} == set(DEFECT_KINDS)


def test_every_sql_rule_of_the_contract_has_a_planter(contract):
    assert {r.id for r in contract.rules if r.kind == "sql"} == set(SQL_PLANTERS)


def test_value_defects_avoid_keys_fks_and_columns_sql_rules_read(contract):
    f = Facts(contract)
    assert ("order_items", "price") in f.sql_cols and (
        "order_payments",
        "payment_value",
    ) in f.sql_cols
    assert ("orders", "order_approved_at") in f.sql_cols
    found = targets(contract)
    for kind in ("required", "type", "allowed_values", "pattern", "range"):
        for t in found[kind]:
            assert f.leaf(t.table), t
            assert (t.table, t.column) not in f.sql_cols | f.fk_source | f.fk_target, t
    for t in found["foreign_key"]:
        rule = next(r for r in contract.rules if r.id == t.rule_id)
        assert f.leaf(t.table) or rule.policy == "warn"


def test_cli_help_and_a_small_run(tmp_path, capsys):
    with pytest.raises(SystemExit) as e:
        main(["synth", "--help"])
    assert e.value.code == 0 and "--defects SPEC" in capsys.readouterr().out
    assert (
        main(
            [
                "synth",
                "--n-orders",
                "60",
                "--seed",
                "1",
                "--defects",
                "all=1",
                "--out",
                str(tmp_path / "raw"),
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "order_reviews" in out and "rows/s" in out
    assert (tmp_path / "raw" / "orders.csv").exists()
    assert (
        main(["synth", "--n-orders", "60", "--defects", "bogus=1", "--out", str(tmp_path / "x")])
        == 1
    )
    assert "unknown kind 'bogus'" in capsys.readouterr().err
