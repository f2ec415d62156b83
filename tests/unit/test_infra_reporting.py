"""reports/index.html rendering and the validate-contract notebook's tables."""

from __future__ import annotations

import pytest

from contractbook.contract import ContractError, Problem
from contractbook.reporting import contract_view
from contractbook.reporting.index import Entry, render


def test_index_links_reports_and_escapes_names():
    html = render(
        [
            Entry(
                "validate-contract",
                "ran",
                "2026-01-01 00:00:00 UTC",
                "notebooks/02-validate-contract.py",
                "validate-contract.html",
                (("data_docs", "data_docs/index.html"),),
            ),
            Entry("a<b", "FAILED", "", "x.py", None),
        ],
        "contractbook reports",
        "now",
        "FAILED",
    )
    assert "<a href='validate-contract.html'>validate-contract</a>" in html
    assert "<a href='data_docs/index.html'>data_docs</a>" in html
    assert "a&lt;b" in html and "<a href='a<b" not in html
    assert "class='bad'>FAILED" in html


def test_problems_table_lists_errors_first():
    problems = [
        Problem("c.yaml", "schema[x]", "w", severity="warning"),
        Problem("c.yaml", "schema[y]", "e", "fix it"),
    ]
    df = contract_view.problems_table(problems)
    assert list(df["severity"]) == ["error", "warning"]
    assert contract_view.problems_table([]).empty


def test_raise_on_errors_only_for_errors():
    contract_view.raise_on_errors([Problem("c.yaml", "p", "w", severity="warning")])
    with pytest.raises(ContractError, match="schema\\[y\\]"):
        contract_view.raise_on_errors([Problem("c.yaml", "schema[y]", "e")])


def test_rule_counts_cover_every_rule(contract):
    counts = contract_view.rules_by_kind(contract)
    assert counts.loc["total", "total"] == len(contract.rules)
    assert list(counts.index[:-1]) == contract.table_names
    assert len(contract_view.rules_table(contract)) == len(contract.rules)
