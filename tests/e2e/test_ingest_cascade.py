"""A reject caused by another reject says so, for every way a parent can be rejected.

Traced through the DuckDB checks on small files: a parent rejected by a `type: sql` rule, a
parent that is a malformed record (its key read back from its raw text when that is certain,
else its children stay true orphans), a grand-child of a rejected parent, and composite keys.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from contractbook.contract import load
from contractbook.ingest.run import check_all, new_run

HERE = Path(__file__).resolve().parents[1]
CLEAN = HERE / "fixtures" / "ingest" / "clean"
COMPOSITE = HERE / "fixtures" / "contracts" / "world" / "v310_sales_composite.yaml"
O1, O2 = "f1584b995a4770986ad75bb8d29e9734", "2d387ab98437e5f528a87b031a086256"
C1 = "d873cee8fe6cc1b80e8f4a757ec01642"
CHILDREN = {"order_items": 2, "order_payments": 2, "order_reviews": 1}  # rows of O1 in CLEAN


def _check(contract, data: Path):
    con = duckdb.connect()
    checks = check_all(con, contract, data, new_run(), progress=lambda *_: None)
    return con, checks


def _rejects(con, table: str, key: str) -> list[tuple]:
    """(key, reasons, detail) of every reject of table; a cause's JSON detail parsed."""
    got = con.execute(
        f'SELECT {key}, reject_reasons, reject_detail FROM work."rej_{table}" ORDER BY 1'
    ).fetchall()
    return [(k, json.loads(r), json.loads(d) if d and d[0] == "{" else d) for k, r, d in got]


def _edit(path: Path, starts: str, old: str, new: str) -> None:
    """Replace old by new in the one line of path starting with starts."""
    lines = path.read_text(encoding="utf-8").split("\n")
    hits = [i for i, line in enumerate(lines) if line.startswith(starts)]
    assert len(hits) == 1 and old in lines[hits[0]]
    lines[hits[0]] = lines[hits[0]].replace(old, new, 1)
    path.write_text("\n".join(lines), encoding="utf-8")


@pytest.fixture
def data(tmp_path) -> Path:
    return Path(shutil.copytree(CLEAN, tmp_path / "raw"))


def _parent(rule: str, key: dict, rules: list[str], table: str = "orders") -> dict:
    return {"rule": rule, "parent_table": table, "parent_key": key, "parent_rules": rules}


def _assert_children_cascade(con, checks, order_id: str, parent_rules: list[str]) -> None:
    for child, n in CHILDREN.items():
        rule = f"{child}.foreign_key.{child}_order"
        got = [x for x in _rejects(con, child, "order_id") if x[0] == order_id]
        detail = {
            "cause": "parent_rejected",
            "parents": [_parent(rule, {"order_id": order_id}, parent_rules)],
        }
        assert got == [(order_id, [rule], detail)] * n, child
        assert checks[child].cascaded[rule] == n


def test_a_parent_rejected_by_a_sql_rule(contract, data):
    # approved a day before the purchase: the `type: sql` rule order_timestamps_ordered rejects
    _edit(data / "orders.csv", O1, "2017-10-02 11:07:15", "2017-10-01 11:07:15")
    con, checks = _check(contract, data)
    rule = "orders.sql.order_timestamps_ordered"
    assert [(k, r) for k, r, _ in _rejects(con, "orders", "order_id")] == [(O1, [rule])]
    _assert_children_cascade(con, checks, O1, [rule])


@pytest.mark.parametrize(
    ("old", "new", "kind"),
    [
        (",delivered,", ",delivered,extra,", "column_count"),  # key: the first field, certain
        (",delivered,", ',deli"vered,', "quoting"),  # broken after the key
    ],
)
def test_a_malformed_parent_whose_key_is_read_back(contract, data, old, new, kind):
    _edit(data / "orders.csv", O1, old, new)
    con, checks = _check(contract, data)
    ((key, reasons, _),) = _rejects(con, "orders", "raw_line")
    assert key.startswith(O1) and reasons == [f"orders.csv.{kind}"]
    assert checks["orders"].malformed == 1
    _assert_children_cascade(con, checks, O1, [f"orders.csv.{kind}"])


def test_a_malformed_parent_whose_key_is_unreadable_leaves_orphans(contract, data):
    _edit(data / "orders.csv", O1, O1, '"' + O1)  # the key field's own quote never closes
    con, checks = _check(contract, data)
    assert checks["orders"].malformed == 1
    for child, n in CHILDREN.items():
        got = [x for x in _rejects(con, child, "order_id") if x[0] == O1]
        assert got == [(O1, [f"{child}.foreign_key.{child}_order"], None)] * n, child
        assert not checks[child].cascaded


def test_a_grand_child_names_its_parent_whose_detail_names_the_next(contract, data):
    _edit(data / "customers.csv", C1, ",01310,", ",0131X,")
    con, checks = _check(contract, data)
    zip_rule = "customers.customer_zip_code_prefix.pattern"
    assert [(k, r) for k, r, _ in _rejects(con, "customers", "customer_id")] == [(C1, [zip_rule])]
    fk = "orders.foreign_key.orders_customer"
    assert _rejects(con, "orders", "order_id") == [
        (
            O1,
            [fk],
            {
                "cause": "parent_rejected",
                "parents": [_parent(fk, {"customer_id": C1}, [zip_rule], "customers")],
            },
        )
    ]
    _assert_children_cascade(con, checks, O1, [fk])


ORDERS = """region,order_no,ordered_at,total
EU01,7,2026-01-02 10:00:00,-5.00
US01,7,2026-01-02 11:00:00,10.00
EU02,5,2026-01-02 12:00:00,1.00,extra
EU03,6,2026-01-02 13:00:00,"1.00
US02,1,2026-01-02 14:00:00,3.00
"""
LINES = """region,order_no,line_no,quantity,note
EU01,7,1,2,
US01,7,1,1,
EU09,9,1,1,
EU02,5,1,1,
EU03,6,1,1,
EU03,6,2,1,
"""


def test_composite_keys(tmp_path):
    contract = load(COMPOSITE)
    data = tmp_path / "raw"
    data.mkdir()
    (data / "orders.csv").write_text(ORDERS, encoding="utf-8")
    (data / "order_lines.csv").write_text(LINES, encoding="utf-8")
    con, checks = _check(contract, data)
    assert (checks["orders"].accepted, checks["orders"].rejected) == (2, 3)
    fk = "order_lines.foreign_key.order_lines_region_order_no__orders_region_order_no"
    got = {  # the rejects keep the values as written
        (region, no, line): detail
        for region, no, line, detail in con.execute(
            "SELECT region, order_no, line_no, reject_detail FROM work.rej_order_lines"
        ).fetchall()
    }

    def cause(region, no, rules):
        return {
            "cause": "parent_rejected",
            "parents": [_parent(fk, {"region": region, "order_no": no}, rules)],
        }

    assert {k: json.loads(d) if d else None for k, d in got.items()} == {
        ("EU01", "7", "1"): cause("EU01", 7, ["orders.total.range"]),  # US01 7 is accepted
        ("EU09", "9", "1"): None,  # no such order: a true orphan
        # wrong field count: only the first field (region) is certain, so no key: orphan
        ("EU02", "5", "1"): None,
        # broken quote after the key: the key is read back (and typed: order_no 6)
        ("EU03", "6", "1"): cause("EU03", 6, ["orders.csv.quoting"]),
        ("EU03", "6", "2"): cause("EU03", 6, ["orders.csv.quoting"]),
    }
    assert checks["order_lines"].cascaded == {fk: 3}
    assert checks["order_lines"].reasons == {fk: 5}
