"""The casting map, the rule predicates and the hints, evaluated on tiny in-memory tables."""

from __future__ import annotations

import duckdb
import pytest

from contractbook.contract import TYPE_KINDS
from contractbook.ingest import castmap, destinations, hints
from contractbook.ingest.plan import check_query, row_rules


def _cast(contract, table, column, values):
    col = contract.table(table).column(column)
    con = duckdb.connect()
    rows = ", ".join("(NULL)" if v is None else f"('{v}')" for v in values)
    return [
        r[0]
        for r in con.execute(
            f"SELECT {castmap.cast_expr(col, 'v')} FROM (VALUES {rows}) AS t(v)"
        ).fetchall()
    ]


def test_casts_are_strict_nothing_guessed(contract):
    assert _cast(contract, "order_items", "order_item_id", ["1", "1.5", " 7", "1e3", "x"]) == [
        1,
        None,
        None,
        None,
        None,
    ]
    prices = _cast(contract, "order_items", "price", ["12.30", "12.345", "12", "-1.50", "1e2"])
    assert [None if p is None else str(p) for p in prices] == [
        "12.30",
        None,
        "12.00",
        "-1.50",
        None,
    ]
    ts = _cast(
        contract,
        "orders",
        "order_purchase_timestamp",
        ["2017-10-02 10:56:33", "2017-10-02", "02/10/2017 10:56:33"],
    )
    assert [None if t is None else t.isoformat() for t in ts] == ["2017-10-02T10:56:33", None, None]
    assert _cast(contract, "customers", "customer_state", ["SP", "SPX"]) == ["SP", None]  # char(2)
    assert _cast(contract, "customers", "customer_zip_code_prefix", ["01310"]) == ["01310"]


def test_every_kind_has_a_cast_and_a_dlt_type():
    assert set(castmap.CASTS) == set(TYPE_KINDS)
    assert set(hints.DLT_TYPES) == set(TYPE_KINDS)


def test_unknown_type_names_the_column(contract):
    from dataclasses import replace

    from contractbook.contract import ColumnType

    col = replace(contract.table("orders").column("order_id"), type=ColumnType("interval"))
    with pytest.raises(ValueError, match="orders.order_id"):
        castmap.sql_type(col, "orders")


def _check(contract, table, header_rows, parents=None):
    """Run the check query on raw rows; parents: {table: [key tuples]} accepted keys."""
    con = duckdb.connect()
    t = contract.table(table)
    cols = ", ".join(f'"{c}" VARCHAR' for c in t.column_names)
    con.execute(f"CREATE TABLE raw ({cols})")
    for row in header_rows:
        con.execute(f"INSERT INTO raw VALUES ({', '.join('?' for _ in row)})", list(row))
    con.execute("CREATE SCHEMA ok")
    for rel in t.relationships:
        p = contract.table(rel.to_table)
        pcols = ", ".join(f'"{c}" VARCHAR' for c in p.column_names)
        con.execute(f'CREATE TABLE ok."{p.name}" ({pcols})')
        for key in (parents or {}).get(p.name, []):
            vals = [key if c == rel.to_columns[0] else None for c in p.column_names]
            con.execute(f'INSERT INTO ok."{p.name}" VALUES ({", ".join("?" for _ in vals)})', vals)
    q = check_query(contract, table, t.column_names)
    return {
        r[0]: (sorted(r[1] or []), sorted(r[2] or []))
        for r in con.execute(
            f"SELECT _row, _reasons, _warnings FROM ({q}) ORDER BY _row"
        ).fetchall()
    }


O1, O2, P1 = "a" * 32, "b" * 32, "c" * 32


def _item(
    order=O1, n="1", product=P1, seller=P1, ts="2017-10-06 11:07:15", price="1.00", freight="0.50"
):
    return (order, n, product, seller, ts, price, freight)


def test_every_broken_rule_is_listed_first_duplicate_kept(contract):
    parents = {"orders": [O1, O2], "products": [P1], "sellers": [P1]}
    rows = [
        _item(),
        _item(),
        _item(n="0", price="-2"),
        _item(order="Z" * 32, n="x"),
        _item(order=O2, product=None),
    ]
    out = _check(contract, "order_items", rows, parents)
    assert out[0] == ([], [])
    assert out[1] == (["order_items.primary_key"], [])
    assert out[2] == (["order_items.order_item_id.range", "order_items.price.range"], [])
    assert out[3] == (
        [
            "order_items.foreign_key.order_items_order",
            "order_items.order_id.pattern",
            "order_items.order_item_id.type",
        ],
        [],
    )
    assert out[4] == (["order_items.product_id.required"], [])


def test_fk_policy_warn_loads_the_row(contract):
    prod = (P1, "sem_traducao", "1", "1", "1", "1", "1", "1", "1")
    out = _check(contract, "products", [prod], {"product_category_name_translation": []})
    assert out[0] == ([], ["products.foreign_key.products_category"])  # contract: warn
    rules = row_rules(contract, "products", {"products_category": "reject"})
    assert [r.policy for r in rules if r.kind == "foreign_key"] == ["reject"]


def test_unknown_destination_is_a_clear_error():
    with pytest.raises(
        ValueError, match="unknown destination 'oracle'.*duckdb, postgres, filesystem"
    ):
        destinations.get("oracle")


def test_hints_follow_the_contract(contract):
    h = hints.table_hints(contract, "order_items")
    assert h["primary_key"] == ["order_id", "order_item_id"] and h["write_disposition"] == "merge"
    price = h["columns"]["price"]
    assert (price["data_type"], price["precision"], price["scale"]) == ("decimal", 10, 2)
    assert h["columns"]["shipping_limit_date"]["timezone"] is False
    assert hints.table_hints(contract, "geolocation")["write_disposition"] == "replace"
