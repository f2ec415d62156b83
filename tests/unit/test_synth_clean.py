"""Clean synthetic data: contract-shaped, deterministic, realistic; every contract rule holds."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb
import pytest

from contractbook.contract import load
from contractbook.synth import generate
from contractbook.synth.columns import COLUMNS
from contractbook.synth.run import MANIFEST_COLUMNS
from support.readback import load as read_back
from support.rule_sql import typed_select, violation_query

RULE_IDS = [
    r.id for r in load(Path(__file__).parents[2] / "contracts/olist_mini/contract.yaml").rules
]


@pytest.fixture(scope="module")
def clean(tmp_path_factory, contract):
    """1500 clean orders read back into DuckDB: raw_<t> (text + _line) and typed views <t>."""
    out = tmp_path_factory.mktemp("synth") / "raw"
    result = generate(contract, 1500, 7, out, progress=None)
    con = duckdb.connect()
    reads = read_back(con, out, contract)
    for t in contract.tables:
        con.execute(
            f'CREATE VIEW "{t.name}" AS {typed_select(t, f"raw_{t.name}", keep=("_line",))}'
        )
    return result, con, reads


def _count(con, query: str) -> int:
    return con.execute(f"SELECT count(*) FROM ({query})").fetchall()[0][0]


def test_every_contract_column_has_a_generator_and_nothing_else(contract):
    wanted = {f"{t.name}.{c}" for t in contract.tables for c in t.column_names}
    assert set(COLUMNS) == wanted


def test_files_have_the_contract_columns_in_order(clean, contract):
    result, _, reads = clean
    assert sorted(p.name for p in result.out_dir.iterdir()) == sorted(
        [f"{t}.csv" for t in contract.table_names] + ["defects.csv", "manifest.json"]
    )
    for t in contract.tables:
        first = result.path(t.name).read_text(encoding="utf-8").split("\n", 1)[0]
        assert first == ",".join(t.column_names)
        assert reads[t.name].malformed == []
        assert len(reads[t.name].records) == result.rows[t.name] > 0


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_every_rule_holds_on_clean_data(clean, contract, rule_id):
    _, con, _ = clean
    rule = next(r for r in contract.rules if r.id == rule_id)
    query = violation_query(contract, rule, relation=lambda t: f"raw_{t}", ordinal="_line")
    assert _count(con, query) == 0, query


def test_every_relationship_resolves_including_warn_ones(clean, contract):
    _, con, _ = clean
    for rel in contract.relationships:
        child = ", ".join(f'"{c}"' for c in rel.columns)
        parent = ", ".join(f'"{c}"' for c in rel.to_columns)
        orphans = (
            f"SELECT {child} FROM raw_{rel.table} WHERE ({child}) IS NOT NULL "
            f"EXCEPT SELECT {parent} FROM raw_{rel.to_table}"
        )
        assert _count(con, orphans) == 0, rel.id
        assert _count(con, f"SELECT {child} FROM raw_{rel.table}") > 0


def test_clean_manifest_is_header_only_and_manifest_json_describes_the_run(clean, contract):
    result, _, _ = clean
    assert (result.out_dir / "defects.csv").read_text(encoding="utf-8") == ",".join(
        MANIFEST_COLUMNS
    ) + "\n"
    doc = json.loads((result.out_dir / "manifest.json").read_text(encoding="utf-8"))
    assert doc["contract"] == {
        "id": contract.id,
        "name": contract.name,
        "version": contract.version,
    }
    assert doc["params"] == {"n_orders": 1500, "seed": 7, "defects": ""}
    assert doc["rows"] == result.rows and doc["defects"]["records"] == 0


def test_same_seed_same_bytes_other_seed_other_bytes(contract, tmp_path):
    runs = [
        generate(contract, 300, s, tmp_path / f"run{i}", defects="all=1", progress=None)
        for i, s in enumerate((5, 5, 6))
    ]
    names = sorted(p.name for p in runs[0].out_dir.iterdir())
    same = [(runs[0].out_dir / n).read_bytes() == (runs[1].out_dir / n).read_bytes() for n in names]
    assert all(same), [n for n, s in zip(names, same, strict=True) if not s]
    assert (runs[0].out_dir / "orders.csv").read_bytes() != (
        runs[2].out_dir / "orders.csv"
    ).read_bytes()


def _one(con, query: str):
    return con.execute(query).fetchall()[0]


def test_values_look_like_the_public_olist_data(clean):
    _, con, _ = clean
    delivered, total = _one(
        con, "SELECT count(*) FILTER (order_status = 'delivered'), count(*) FROM orders"
    )
    assert 0.9 < delivered / total < 1
    assert (
        _one(
            con,
            """SELECT count(*) FROM orders WHERE order_status <> 'delivered'
                        AND order_delivered_customer_date IS NOT NULL""",
        )[0]
        == 0
    )
    late = _one(
        con,
        "SELECT count(*) FROM orders "
        "WHERE order_delivered_customer_date > order_estimated_delivery_date",
    )[0]
    assert 0.02 * total < late < 0.2 * total
    assert (
        _one(
            con,
            "SELECT count(*) FROM orders "
            "WHERE order_estimated_delivery_date <= order_purchase_timestamp",
        )[0]
        == 0
    )
    assert _one(con, "SELECT count(DISTINCT customer_state) FROM customers")[0] >= 15
    assert (
        _one(con, "SELECT count(*) FROM raw_customers WHERE customer_zip_code_prefix LIKE '0%'")[0]
        > 0
    )
    assert _one(con, "SELECT max(order_item_id) FROM order_items")[0] >= 3
    assert _one(con, "SELECT count(*) FROM products WHERE product_category_name IS NULL")[0] > 0
    assert _one(con, "SELECT count(*) FROM order_payments WHERE payment_type = 'voucher'")[0] > 0
    assert _one(con, "SELECT max(payment_installments) FROM order_payments")[0] > 1
    reviews, orders_reviewed = _one(
        con, "SELECT count(*), count(DISTINCT order_id) FROM order_reviews"
    )
    assert 0.9 * total < orders_reviewed <= total
    assert _one(con, "SELECT count(*) - count(DISTINCT review_id) FROM order_reviews")[0] > 0
    text = "concat_ws(' ', review_comment_title, review_comment_message)"
    for ch in (",", '"', "\n"):
        assert (
            _one(con, f"SELECT count(*) FROM order_reviews WHERE contains({text}, '{ch}')")[0] > 0
        )
    assert (
        _one(con, "SELECT count(*) FROM geolocation")[0]
        > _one(con, "SELECT count(DISTINCT geolocation_zip_code_prefix) FROM geolocation")[0]
    )


def test_money_is_exact_to_the_cent(clean):
    result, _, _ = clean
    with open(result.path("order_items"), newline="", encoding="utf-8") as fh:
        prices = [r["price"] for r in csv.DictReader(fh)]
    assert all(len(p.split(".")[1]) == 2 for p in prices)
