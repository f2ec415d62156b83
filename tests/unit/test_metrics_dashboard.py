"""The dashboard's filters, headline, checkpoint and plots on the hand-written fixture."""

from __future__ import annotations

from datetime import date

import pytest

from contractbook.metrics import engines
from contractbook.metrics.dashboard import Filters, compute
from contractbook.metrics.plots import PLOTS
from contractbook.metrics.run import run
from contractbook.paths import at_root, project_root
from support.metrics_fixture import load_duckdb
from support.project import ROOT


@pytest.fixture(scope="module")
def warehouse(contract, tmp_path_factory):
    path = load_duckdb(tmp_path_factory.mktemp("dash") / "wh.duckdb", contract)
    s = engines.get("duckdb").connect(path)
    try:
        result = run(s, contract, progress=None)
    finally:
        s.close()
    return path, result


def test_filters_parse_env_text():
    assert Filters.parse("", "", "") == Filters()
    assert Filters.parse("2018-01-01", " 2018-01-31", "sp, RJ") == Filters(
        date(2018, 1, 1), date(2018, 1, 31), ("SP", "RJ")
    )


def test_no_filter_gives_the_warehouse_tables(contract, warehouse):
    d = compute(contract, warehouse[0], Filters(), warehouse[1])
    assert {n: len(f) for n, f in d.frames.items()} == {
        m.model: m.rows for m in warehouse[1].models
    }
    h = d.headline().as_dict()
    assert h["orders"] == "5" and h["revenue (items)"] == "R$ 420.00"
    assert h["payment mismatches"] == "2" and h["on time"] == "50.0%"
    assert h["average review"] == "3.50 / 5" and h["left out as rejects"] == "3"


def test_state_filter_keeps_the_orders_of_those_customers(contract, warehouse):
    d = compute(contract, warehouse[0], Filters.parse(states="SP"))
    assert sorted(d.frames["order_totals"].order_id.str[-1]) == ["1", "3", "5"]
    sla = d.frames["delivery_sla"]
    assert set(sla[sla.dimension == "customer_state"].segment) == {"SP"}
    assert d.raw_totals == {"orders": 3, "items_value": 300, "payments_value": 340.5, "reviews": 2}
    sellers = d.frames["seller_scorecard"].set_index("seller_id")
    assert sellers.orders.to_dict() == {
        f"e{n:031d}": k for n, k in ((1, 2), (2, 1), (3, 1), (4, 0))
    }


def test_date_range_is_inclusive_on_both_ends(contract, warehouse):
    d = compute(contract, warehouse[0], Filters.parse("2018-01-05", "2018-02-03"))
    assert sorted(d.frames["order_totals"].order_id.str[-1]) == ["1", "2", "3"]
    assert d.checkpoint().ok, d.checkpoint().failed()


def test_an_empty_selection_still_draws_every_plot(contract, warehouse):
    d = compute(contract, warehouse[0], Filters.parse(states="AC"))
    assert len(d.frames["order_totals"]) == 0 and d.checkpoint().ok
    for name in PLOTS:
        assert d.plot(name).axes, name


def test_checkpoint_fails_when_a_number_does_not_reconcile(contract, warehouse):
    d = compute(contract, warehouse[0], Filters())
    d.raw_totals["items_value"] = 1
    assert d.checkpoint().failed() == ["revenue equals the accepted items' prices"]


def test_unknown_plot_names_the_known_ones(contract, warehouse):
    d = compute(contract, warehouse[0], Filters())
    with pytest.raises(KeyError, match="choose one of monthly"):
        d.plot("pie")


def test_paths_resolve_from_the_notebooks_folder_as_from_the_root():
    assert project_root(ROOT / "notebooks") == ROOT == project_root(ROOT)
    assert at_root("data/x", ROOT / "notebooks") == ROOT / "data" / "x"
    assert at_root("/abs/x") == at_root("/abs/x", ROOT)


def test_tables_are_sorted_and_formatted(contract, warehouse):
    html = compute(contract, warehouse[0], Filters()).tables("seller_scorecard", "review_scores")
    html = html._repr_html_()
    assert "seller_scorecard: 4 of 4 rows" in html and "review_scores: 5 of 5 rows" in html
    assert html.index("R$ 300.00") < html.index("R$ 90.00")  # highest revenue first
    assert "33.3%" in html and "25.0%" in html
