"""The published layout end to end: `synth --layout kaggle` -> ingest --server kaggle.

Without planted defects nothing is rejected and the quirks are only warned, counted in the
result, the receipt and the report; the expected counts are computed here from the files with
Python's csv module. A rejected parent's children say so in their reject detail, unlike orphans.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from decimal import Decimal

import duckdb
import pytest

from contractbook.cli import main
from contractbook.ingest import receipt, report
from contractbook.ingest.run import ingest

pytestmark = pytest.mark.slow
N = 3000
ORDERS = "olist_orders_dataset.csv"


def _rows(path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _synth(contract_path, out):
    assert (
        main(
            [
                "synth",
                "--contract",
                str(contract_path),
                "--n-orders",
                str(N),
                "--seed",
                "3",
                "--layout",
                "kaggle",
                "--out",
                str(out),
                "--quiet",
            ]
        )
        == 0
    )
    return out


def _ingest(contract, data, tmp_path):
    return ingest(
        contract,
        data,
        warehouse=tmp_path / "wh.duckdb",
        rejects_dir=tmp_path / "rej",
        state_dir=tmp_path / "state",
        progress=lambda *_: None,
        server="kaggle",
    )


def _expected_warnings(data) -> dict[str, int]:
    """Rows each warning rule should flag, from the files alone."""
    orders = _rows(data / ORDERS)
    handover = sum(
        1
        for o in orders
        if (
            o["order_delivered_carrier_date"]
            and o["order_approved_at"]
            and o["order_delivered_carrier_date"] < o["order_approved_at"]
        )
        or (
            o["order_delivered_customer_date"]
            and o["order_delivered_customer_date"]
            < (o["order_delivered_carrier_date"] or o["order_approved_at"] or "0")
        )
    )
    due, paid, rows = defaultdict(Decimal), defaultdict(Decimal), defaultdict(int)
    for i in _rows(data / "olist_order_items_dataset.csv"):
        due[i["order_id"]] += Decimal(i["price"]) + Decimal(i["freight_value"])
    for p in _rows(data / "olist_order_payments_dataset.csv"):
        paid[p["order_id"]] += Decimal(p["payment_value"])
        rows[p["order_id"]] += 1
    below = sum(rows[o] for o in paid if o in due and paid[o] < due[o] - Decimal("0.01"))
    known = {
        r["product_category_name"] for r in _rows(data / "product_category_name_translation.csv")
    }
    untranslated = sum(
        1
        for p in _rows(data / "olist_products_dataset.csv")
        if p["product_category_name"] and p["product_category_name"] not in known
    )
    return {
        "orders.sql.order_handover_sequence": handover,
        "order_payments.sql.payments_below_items": below,
        "products.foreign_key.products_category": untranslated,
    }


def test_kaggle_layout_ingests_without_rejects_and_counts_the_quirks(
    contract, contract_path, tmp_path
):
    data = _synth(contract_path, tmp_path / "raw")
    r = _ingest(contract, data, tmp_path)
    acc = {a.table: a for a in r.accounting()}
    assert r.ok and all(a.rejected == 0 and a.read > 0 for a in acc.values()), acc
    expected = _expected_warnings(data)
    assert all(expected.values()), expected  # every quirk is present at this size
    got = {rule: r.checks[rule.split(".")[0]].warnings[rule] for rule in expected}
    assert got == expected
    assert acc["orders"].warned == expected["orders.sql.order_handover_sequence"]
    assert acc["order_payments"].warned == expected["order_payments.sql.payments_below_items"]
    saved = receipt.read(receipt.write(r, tmp_path / "receipt.json"))
    assert {a.table: a.warned for a in saved.accounting} == {t: a.warned for t, a in acc.items()}
    shown = {(x["rule"], x["policy"]): x["rows"] for x in report.reason_rows(r)}
    assert {k: v for k, v in shown.items() if k[1] == "warn"} == {
        (rule, "warn"): n for rule, n in expected.items()
    }
    assert "rows_warned" in report.render(r)


def test_gx_on_the_kaggle_layout_fails_only_warning_rules(contract, contract_path, tmp_path):
    from contractbook.gx.context import open_context
    from contractbook.gx.runner import run_postload, run_preload
    from contractbook.reading.find import sources

    data = _synth(contract_path, tmp_path / "raw")
    _ingest(contract, data, tmp_path)
    ctx = open_context(tmp_path / "gx", tmp_path / "docs")
    pre = run_preload(ctx, contract, data, paths=sources(contract, data, "kaggle"))
    post = run_postload(ctx, contract, f"duckdb:///{tmp_path / 'wh.duckdb'}", "duckdb")
    for run in (pre, post):
        assert run.errors == [], [c.rule_id for c in run.errors]
    warned = {c.rule_id for c in post.checks if not c.success}
    assert warned == set(_expected_warnings(data))  # the quirks, shown as warnings


def _break(data):
    """Invalidate one order's status (a parent defect) and delete another order (orphans)."""
    items = _rows(data / "olist_order_items_dataset.csv")
    reviews = {r["order_id"] for r in _rows(data / "olist_order_reviews_dataset.csv")}
    with_children = [i["order_id"] for i in items if i["order_id"] in reviews]
    bad, gone = with_children[0], next(o for o in with_children if o != with_children[0])
    lines = (data / ORDERS).read_bytes().split(b"\n")
    out = []
    for line in lines:
        if line.startswith(bad.encode()):
            assert b",delivered," in line or b",shipped," in line
            line = line.replace(b",delivered,", b",lost,").replace(b",shipped,", b",lost,")
        elif line.startswith(gone.encode()):
            continue
        out.append(line)
    (data / ORDERS).write_bytes(b"\n".join(out))
    return bad, gone


def test_a_reject_caused_by_a_rejected_parent_says_so(contract, contract_path, tmp_path):
    data = _synth(contract_path, tmp_path / "raw")
    bad, gone = _break(data)
    r = _ingest(contract, data, tmp_path)
    assert r.ok
    con = duckdb.connect(str(tmp_path / "wh.duckdb"), read_only=True)
    children = ("order_items", "order_payments", "order_reviews")
    seen = {"parent": 0, "orphan": 0}
    for child in children:
        rule = f"{child}.foreign_key.{child}_order"
        rows = con.execute(
            f"SELECT order_id, reject_reasons, reject_detail FROM olist.{child}__rejects"
        ).fetchall()
        assert {o for o, _, _ in rows} == {bad, gone}, child
        for order_id, reasons, detail in rows:
            assert json.loads(reasons) == [rule]  # the rule broken is the foreign key either way
            if order_id == gone:  # a true orphan: no parent, no cause
                assert detail is None
                seen["orphan"] += 1
                continue
            assert json.loads(detail) == {
                "cause": "parent_rejected",
                "parents": [
                    {
                        "rule": rule,
                        "parent_table": "orders",
                        "parent_key": {"order_id": bad},
                        "parent_rules": ["orders.order_status.allowed_values"],
                    }
                ],
            }
            seen["parent"] += 1
        assert r.checks[child].cascaded[rule] == sum(1 for o, _, _ in rows if o == bad)
    assert seen["parent"] >= 3 and seen["orphan"] >= 3
    shown = [x for x in report.reason_rows(r) if x["table"] == "order_items"]
    causes = {x["cause"]: x["rows"] for x in shown if x["rule"].endswith("order_items_order")}
    assert causes == {
        "parent rejected": r.checks["order_items"].cascaded[
            "order_items.foreign_key.order_items_order"
        ],
        "orphan": r.checks["order_items"].reasons["order_items.foreign_key.order_items_order"]
        - r.checks["order_items"].cascaded["order_items.foreign_key.order_items_order"],
    }
