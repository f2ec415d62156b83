"""Contract diff: every change kind classified, semver bump proposed, CI exit code, CHANGELOG."""

from __future__ import annotations

from pathlib import Path

import pytest

from contractbook.cli import main
from contractbook.contract import ColumnType, load
from contractbook.diff import CHANGE_KINDS, bump, compare, entry, required, sufficient, type_change

V2 = Path(__file__).resolve().parents[1] / "fixtures" / "contracts" / "olist_mini_v2.yaml"


@pytest.fixture(scope="module")
def v2():
    return load(V2)


@pytest.fixture(scope="module")
def changes(contract, v2):
    return compare(contract, v2)


# Shown by test_quality_rule_changes instead: the shipped contract has too few SQL rules for one
# pair to show every quality change at once.
ONLY_IN_QUALITY_TEST = {"quality_rule_now_warning", "quality_warning_changed"}


def test_fixture_pair_exercises_every_change_kind(changes):
    assert {c.kind for c in changes} == set(CHANGE_KINDS) - ONLY_IN_QUALITY_TEST


@pytest.mark.parametrize(
    "kind,where",
    [
        ("table_removed", ("geolocation", None)),
        ("column_removed", ("products", "product_photos_qty")),
        ("column_added_required", ("customers", "customer_segment")),
        ("column_added_nullable", ("orders", "order_channel")),
        ("type_narrowed", ("order_reviews", "review_comment_title")),
        ("type_widened", ("order_items", "price")),
        ("type_changed", ("orders", "order_purchase_timestamp")),
        ("primary_key_changed", ("order_reviews", None)),
        ("allowed_values_narrowed", ("orders", "order_status")),
        ("allowed_values_widened", ("order_payments", "payment_type")),
        ("foreign_key_added", ("products", "product_category_name")),
        ("description_changed", ("order_items", "freight_value")),
        ("check_tightened", ("products", "product_name_lenght")),
        ("check_relaxed", ("order_payments", "payment_installments")),
        ("pattern_changed", ("sellers", "seller_zip_code_prefix")),
        ("quality_rule_changed", ("orders", None)),
        ("quality_rule_now_rejecting", ("orders", None)),
        ("quality_rule_added", ("orders", None)),
        ("quality_warning_added", ("orders", None)),
        ("quality_rule_removed", ("order_payments", None)),
        ("quality_warning_removed", ("order_payments", None)),
    ],
)
def test_change_located_and_classified(changes, kind, where):
    found = [c for c in changes if c.kind == kind and (c.table, c.column) == where]
    assert found, f"{kind} at {where} not found in {[str(c) for c in changes]}"
    assert found[0].breaking == CHANGE_KINDS[kind][0]


def _edited(contract_path, tmp_path, old: str, new: str):
    text = contract_path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path = tmp_path / "edited.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return load(path)


@pytest.mark.parametrize(
    "old,new,kind",
    [
        (
            "severity: error\n        query: |-\n          SELECT COUNT(*) FROM (\n"
            "            SELECT p.order_id",
            "severity: warning\n        query: |-\n          SELECT COUNT(*) FROM (\n"
            "            SELECT p.order_id",
            "quality_rule_now_warning",
        ),
        ("WHERE p.paid < i.due - 0.01", "WHERE p.paid < i.due - 1.00", "quality_warning_changed"),
        ("i.due * 0.02 * p.installments", "i.due * 0.01 * p.installments", "quality_rule_changed"),
        (
            "Paying less is a known\n          quirk",
            "Paying less is a\n          quirk",
            "description_changed",
        ),
        (
            "OR order_delivered_carrier_date < order_purchase_timestamp\n",
            "OR  order_delivered_carrier_date  <  order_purchase_timestamp\n",
            None,
        ),
    ],
)
def test_quality_rule_changes(contract, contract_path, tmp_path, old, new, kind):
    changes = compare(contract, _edited(contract_path, tmp_path, old, new))
    assert [c.kind for c in changes] == ([kind] if kind else [])  # whitespace is no change
    if kind:
        assert changes[0].breaking == CHANGE_KINDS[kind][0]


def test_no_changes_between_identical_versions(contract):
    assert compare(contract, contract) == []
    assert required([]) == "none"


@pytest.mark.parametrize(
    "old,new,kind",
    [
        (ColumnType("string", length=32), ColumnType("string", length=64), "type_widened"),
        (ColumnType("string", length=32), ColumnType("string"), "type_widened"),
        (ColumnType("string"), ColumnType("string", length=8), "type_narrowed"),
        (ColumnType("integer"), ColumnType("bigint"), "type_widened"),
        (ColumnType("bigint"), ColumnType("integer"), "type_narrowed"),
        (ColumnType("decimal", 10, 2), ColumnType("decimal", 12, 2), "type_widened"),
        (ColumnType("decimal", 10, 2), ColumnType("decimal", 10, 3), "type_narrowed"),
        (ColumnType("integer"), ColumnType("decimal", 12, 2), "type_widened"),
        (ColumnType("timestamp"), ColumnType("timestamptz"), "type_changed"),
        (ColumnType("date"), ColumnType("boolean"), "type_changed"),
    ],
)
def test_type_change_rules(old, new, kind):
    assert type_change(old, new) == kind


@pytest.mark.parametrize(
    "attr,old,new,kind",
    [
        ("minimum", 0, 1, "check_tightened"),
        ("minimum", 1, 0, "check_relaxed"),
        ("maximum", 24, 36, "check_relaxed"),
        ("maximum", 36, 24, "check_tightened"),
        ("max_length", None, 10, "check_tightened"),
        ("min_length", 2, None, "check_relaxed"),
        ("minimum", 5, 5, None),
    ],
)
def test_bound_rules(attr, old, new, kind):
    from contractbook.diff.compare import bound_change

    assert bound_change(attr, old, new) == kind


def test_semver_proposal(contract, v2, changes):
    assert required(changes) == "major"
    assert bump("1.4.2", "major") == "2.0.0" and bump("1.4.2", "minor") == "1.5.0"
    assert sufficient(contract.version, v2.version, changes)
    assert not sufficient("1.0.0", "1.9.0", changes)
    minor = [c for c in changes if not c.breaking]
    assert required(minor) == "minor" and sufficient("1.0.0", "1.1.0", minor)
    assert not sufficient("1.0.0", "1.0.0", minor)


def test_changelog_entry_groups_changes(contract, v2, changes):
    text = entry(contract, v2, changes, "2026-11-26")
    assert text.startswith("## [3.0.0] - 2026-11-26")
    for section in ("### Breaking", "### Added", "### Changed", "### Removed"):
        assert section in text
    assert "- Table removed: `geolocation`" in text


def test_cli_passes_with_major_bump(contract_path, capsys):
    assert main(["diff", str(contract_path), str(V2)]) == 0
    out = capsys.readouterr().out
    assert "changes need a major bump (proposed: 3.0.0)" in out and "## [3.0.0]" in out


def test_cli_fails_breaking_change_without_major_bump(contract_path, tmp_path, capsys):
    minor = tmp_path / "v1_1.yaml"
    minor.write_text(
        V2.read_text(encoding="utf-8").replace("version: 3.0.0", "version: 2.1.0"), encoding="utf-8"
    )
    assert main(["diff", str(contract_path), str(minor)]) == 1
    assert "breaking change(s) without a major version bump" in capsys.readouterr().err


def test_cli_prints_migration_per_dialect(contract_path, capsys):
    assert (
        main(
            ["diff", str(contract_path), str(V2), "--dialect", "postgres", "--dialect", "bigquery"]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "-- Migration for PostgreSQL" in out and "-- Migration for BigQuery" in out
