"""The SQL models on a hand-written fixture, with exact expected answers, on DuckDB and PostgreSQL.

The fixture (tests/fixtures/metrics/olist.sql) is five orders: o1 paid by card and on time, o2
underpaid and late, o3 undelivered, o4 without payment and delivered on the estimated day, o5
paid with two vouchers and a card and 10 days late; product b3's category is missing from the
translation table, b4 has none; seller e3 has no reviews, e4 no sales.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from contractbook.metrics import engines
from contractbook.metrics.check import check
from contractbook.metrics.curated import load_fresh
from contractbook.metrics.run import run
from support.metrics_fixture import load_duckdb, load_postgres

D = Decimal


def o(n: int) -> str:
    return f"a{n:031d}"


def e(n: int) -> str:
    return f"e{n:031d}"


@pytest.fixture(
    scope="module", params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def warehouse(request, contract, tmp_path_factory):
    """(engine, url, MetricsRun) after loading the fixture and running every model once."""
    if request.param == "duckdb":
        url = load_duckdb(tmp_path_factory.mktemp("metrics") / "wh.duckdb", contract)
    else:
        url = load_postgres(request.getfixturevalue("postgres_dsn"), contract)
    s = engines.get(request.param).connect(url)
    try:
        result = run(s, contract, progress=None)
        result.check = check(s, load_fresh(contract))
    finally:
        s.close()
    return request.param, url, result


def rows(warehouse, sql: str) -> list[tuple]:
    engine, url, _ = warehouse
    s = engines.get(engine).connect(url)
    try:
        return s.rows(sql)
    finally:
        s.close()


def test_order_totals_items_freight_payments_difference_and_flag(warehouse):
    got = rows(
        warehouse,
        "SELECT order_id, items, items_value, freight_value, order_value, payments, "
        "payments_value, voucher_value, payment_difference, has_payment, "
        "payment_mismatch FROM curated.order_totals ORDER BY order_id",
    )
    assert got == [
        (
            o(1),
            2,
            D("150.00"),
            D("15.00"),
            D("165.00"),
            1,
            D("165.00"),
            D("0.00"),
            D("0.00"),
            True,
            False,
        ),
        (
            o(2),
            1,
            D("80.00"),
            D("20.00"),
            D("100.00"),
            1,
            D("90.00"),
            D("0.00"),
            D("-10.00"),
            True,
            True,
        ),
        (
            o(3),
            1,
            D("30.00"),
            D("5.50"),
            D("35.50"),
            1,
            D("35.50"),
            D("0.00"),
            D("0.00"),
            True,
            False,
        ),
        # no payment: zero paid, the whole order value missing, flagged
        (
            o(4),
            1,
            D("40.00"),
            D("8.00"),
            D("48.00"),
            0,
            D("0.00"),
            D("0.00"),
            D("-48.00"),
            False,
            True,
        ),
        # two vouchers (20 + 30) and a card (90) cover 140 exactly
        (
            o(5),
            2,
            D("120.00"),
            D("20.00"),
            D("140.00"),
            3,
            D("140.00"),
            D("50.00"),
            D("0.00"),
            True,
            False,
        ),
    ]


def test_order_deliveries_timeline(warehouse):
    got = rows(
        warehouse,
        "SELECT order_id, customer_state, CAST(purchase_month AS VARCHAR(10)), "
        "is_delivered, delivery_days, delay_days, is_on_time, "
        "approval_to_carrier_hours FROM curated.order_deliveries ORDER BY order_id",
    )
    assert got == [
        (o(1), "SP", "2018-01-01", True, 5, -5, True, 48.0),
        (o(2), "RJ", "2018-01-01", True, 16, 4, False, 24.0),
        (
            o(3),
            "SP",
            "2018-02-01",
            False,
            None,
            None,
            None,
            36.0,
        ),  # undelivered: no delay, no verdict
        (o(4), "MG", "2018-02-01", True, 10, 0, True, 48.0),  # on the estimated day is on time
        (o(5), "SP", "2018-02-01", True, 23, 10, False, 30.0),
    ]


SLA = {  # (dimension, segment): orders, delivered, on time, rate, mean, median, p90 delay, hours
    ("all", "all"): (5, 4, 2, 0.5, 2.25, 2.0, 8.2, 37.2),
    ("customer_state", "MG"): (1, 1, 1, 1.0, 0.0, 0.0, 0.0, 48.0),
    ("customer_state", "RJ"): (1, 1, 0, 0.0, 4.0, 4.0, 4.0, 24.0),
    ("customer_state", "SP"): (3, 2, 1, 0.5, 2.5, 2.5, 8.5, 38.0),
    ("purchase_month", "2018-01-01"): (2, 2, 1, 0.5, -0.5, -0.5, 3.1, 36.0),
    ("purchase_month", "2018-02-01"): (3, 2, 1, 0.5, 5.0, 5.0, 9.0, 38.0),
    ("seller", e(1)): (3, 3, 1, 1 / 3, 3.0, 4.0, 8.8, 34.0),
    ("seller", e(2)): (2, 2, 2, 1.0, -2.5, -2.5, -0.5, 48.0),
    ("seller", e(3)): (1, 0, 0, None, None, None, None, 36.0),  # only an undelivered order
}


def test_delivery_sla_per_segment(warehouse):
    got = {(r[0], r[1]): r[2:] for r in rows(warehouse, "SELECT * FROM curated.delivery_sla")}
    assert set(got) == set(SLA)
    for key, want in SLA.items():
        assert got[key][:3] == want[:3], key
        assert got[key][3:] == pytest.approx(want[3:]), key


def test_review_score_distribution_lists_every_score(warehouse):
    got = rows(
        warehouse,
        "SELECT review_score, reviews, share FROM curated.review_scores ORDER BY review_score",
    )
    assert got == [(1, 0, 0.0), (2, 1, 0.25), (3, 1, 0.25), (4, 1, 0.25), (5, 1, 0.25)]


def test_category_reviews_in_english_untranslated_kept_and_flagged(warehouse):
    got = rows(
        warehouse,
        "SELECT category, product_category_name, is_translated, reviews, "
        "avg_score, low_score_share FROM curated.category_reviews ORDER BY category",
    )
    assert got == [
        ("(no category)", None, False, 1, 4.0, 0.0),
        ("health_beauty", "beleza_saude", True, 1, 5.0, 0.0),
        ("pcs_gamer", "pcs_gamer", False, 1, 2.0, 1.0),  # missing from the translation table
        ("sports_leisure", "esporte_lazer", True, 2, 4.0, 0.0),  # o5's two items count once
    ]


def test_review_score_against_delay(warehouse):
    got = rows(
        warehouse,
        "SELECT delay_bucket, bucket_order, reviews, avg_score, low_score_share "
        "FROM curated.review_delay ORDER BY bucket_order",
    )
    assert got == [
        ("early 1-7 d", 2, 1, 5.0, 0.0),
        ("on the day", 3, 1, 4.0, 0.0),
        ("late 1-7 d", 4, 1, 2.0, 1.0),
        ("late 8+ d", 5, 1, 3.0, 0.0),
    ]


def test_seller_scorecard_keeps_sellers_without_reviews_or_sales(warehouse):
    got = rows(
        warehouse,
        "SELECT seller_id, seller_state, orders, items, revenue, freight_value, "
        "delivered_orders, on_time_rate, reviews, avg_review_score, has_reviews "
        "FROM curated.seller_scorecard ORDER BY seller_id",
    )
    assert got[1:] == [
        (e(2), "PR", 2, 2, D("90.00"), D("13.00"), 2, 1.0, 2, 4.5, True),
        (e(3), "RJ", 1, 1, D("30.00"), D("5.50"), 0, None, 0, None, False),  # no reviews
        (e(4), "MG", 0, 0, D("0.00"), D("0.00"), 0, None, 0, None, False),  # no sales
    ]
    assert got[0][:7] == (e(1), "SP", 3, 4, D("300.00"), D("50.00"), 3)
    assert got[0][7:] == (pytest.approx(1 / 3), 3, pytest.approx(10 / 3), True)


def test_each_model_reports_the_rejects_it_left_out(warehouse):
    left = {m.model: m.left_out for m in warehouse[2].models}
    assert left["order_totals"] == {
        "customers": 0,
        "order_items": 0,
        "order_payments": 1,
        "orders": 2,
    }
    assert left["order_deliveries"] == {"customers": 0, "orders": 2}
    assert left["delivery_sla"] == {"customers": 0, "order_items": 0, "orders": 2}
    assert left["review_scores"] == {"order_reviews": 0}
    assert {m.model: m.rows for m in warehouse[2].models} == {
        "category_reviews": 4,
        "order_deliveries": 5,
        "delivery_sla": 9,
        "order_totals": 5,
        "review_delay": 4,
        "review_scores": 5,
        "seller_scorecard": 4,
    }


def test_models_run_in_dependency_order(warehouse):
    names = [m.model for m in warehouse[2].models]
    for dependent in ("delivery_sla", "review_delay", "seller_scorecard"):
        assert names.index("order_deliveries") < names.index(dependent)


def test_curated_tables_pass_their_generated_contract(warehouse):
    result = warehouse[2]
    assert result.check.ok, result.check.rows()
    assert {r["table"]: r["rows"] for r in result.check.rows()} == {
        m.model: m.rows for m in result.models
    }


@pytest.mark.postgres
def test_duckdb_and_postgres_give_the_same_tables(contract, postgres_dsn, tmp_path):
    """Every curated table, both engines, compared row by row (floats to 1e-9)."""
    urls = {
        "duckdb": load_duckdb(tmp_path / "wh.duckdb", contract),
        "postgres": load_postgres(postgres_dsn, contract, "metrics_compare"),
    }
    tables = {}
    for engine, url in urls.items():
        s = engines.get(engine).connect(url)
        try:
            result = run(s, contract, progress=None)
            tables[engine] = {
                m.model: sorted(map(_norm, s.rows(f"SELECT * FROM curated.{m.model}")))
                for m in result.models
            }
        finally:
            s.close()
    assert list(tables["duckdb"]) == list(tables["postgres"])
    for model, a in tables["duckdb"].items():
        b = tables["postgres"][model]
        assert len(a) == len(b) > 0, model
        for x, y in zip(a, b, strict=True):
            assert x == pytest.approx(y), (model, x, y)


def _norm(row: tuple) -> tuple:
    """Comparable across drivers: decimals as floats, dates and timestamps as ISO text, NULL ''."""
    out = []
    for v in row:
        if isinstance(v, Decimal):
            v = float(v)
        elif hasattr(v, "isoformat"):
            v = v.isoformat(sep=" ") if hasattr(v, "hour") else v.isoformat()
        out.append("" if v is None else v)
    return tuple(out)


def test_curated_check_flags_a_broken_row(contract, tmp_path):
    """The check can fail: a share above 1 breaks review_scores.share.range."""
    s = engines.get("duckdb").connect(load_duckdb(tmp_path / "wh.duckdb", contract))
    try:
        run(s, contract, progress=None)
        s.execute("UPDATE curated.review_scores SET share = 2 WHERE review_score = 5")
        result = check(s, load_fresh(contract))
    finally:
        s.close()
    assert not result.ok
    assert dict(result.tables["review_scores"].reasons) == {"review_scores.share.range": 1}
    assert all(c.rejected == 0 for n, c in result.tables.items() if n != "review_scores")


def test_cli_runs_the_models_and_checks_them(warehouse, capsys, contract_path):
    from contractbook.cli import main

    engine, url, _ = warehouse
    assert main(["metrics", str(contract_path), "--engine", engine, "--warehouse", url]) == 0
    out = capsys.readouterr().out
    assert "order_totals" in out and "every row passes its contract" in out


def test_cli_without_a_warehouse_says_so(tmp_path, capsys, contract_path):
    from contractbook.cli import main

    assert main(["metrics", str(contract_path), "--warehouse", str(tmp_path / "none.duckdb")]) == 2
    assert "no DuckDB warehouse there; run the ingest first" in capsys.readouterr().out
