"""Type maps as data: every kind maps in every dialect; unmappable types, dialects fail clearly."""

from __future__ import annotations

import pytest

from contractbook.contract import TYPE_KINDS, ColumnType
from contractbook.ddl import DIALECTS, KINDS_MAPPED, TYPES, DdlError, get


def test_every_kind_maps_in_every_dialect():
    assert set(TYPE_KINDS) <= set(KINDS_MAPPED)
    for name in DIALECTS:
        assert set(TYPES[name]) == set(KINDS_MAPPED), name
        d = get(name)
        for kind in TYPE_KINDS:
            ctype = ColumnType(
                kind,
                precision=10 if kind == "decimal" else None,
                scale=2 if kind == "decimal" else None,
            )
            assert d.render_type(ctype, f"t.{kind}")
        assert d.render_type(ColumnType("string", length=32), "t.s")


# Every logicalType the contract accepts, with the physical types that refine it.
LOGICAL = [
    ("string", None, {}),
    ("string", "varchar(32)", {}),
    ("string", "text", {}),
    ("integer", None, {}),
    ("integer", "bigint", {}),
    ("number", None, {}),
    ("number", "decimal(10,2)", {}),
    ("number", "integer", {}),
    ("boolean", None, {}),
    ("date", None, {}),
    ("timestamp", None, {}),
    ("timestamp", None, {"timezone": True}),
    ("time", None, {}),
]


@pytest.mark.parametrize("logical,physical,options", LOGICAL)
def test_every_logical_type_maps_in_every_dialect(logical, physical, options):
    from contractbook.contract.types import resolve

    ctype = resolve(logical, physical, options)
    for name in DIALECTS:
        assert get(name).render_type(ctype, f"t.{logical}")


@pytest.mark.parametrize(
    "name,expected",
    [
        ("duckdb", "DECIMAL(10,2)"),
        ("postgres", "NUMERIC(10,2)"),
        ("bigquery", "NUMERIC(10,2)"),
        ("snowflake", "NUMBER(10,2)"),
        ("databricks", "DECIMAL(10,2)"),
    ],
)
def test_decimal_keeps_precision_and_scale(name, expected):
    assert get(name).render_type(ColumnType("decimal", precision=10, scale=2), "t.c") == expected


def test_timestamp_with_and_without_zone_differ_everywhere():
    for name in DIALECTS:
        d = get(name)
        assert d.render_type(ColumnType("timestamp"), "t.a") != d.render_type(
            ColumnType("timestamptz"), "t.b"
        )


def test_bigquery_moves_wide_decimals_to_bignumeric():
    d = get("bigquery")
    assert (
        d.render_type(ColumnType("decimal", precision=40, scale=10), "t.c") == "BIGNUMERIC(40,10)"
    )


def test_unmappable_type_names_the_column():
    with pytest.raises(
        DdlError, match=r"column order_items\.price: type decimal\(50,2\) does not fit"
    ):
        get("duckdb").render_type(ColumnType("decimal", precision=50, scale=2), "order_items.price")


def test_unmappable_column_in_a_contract_names_it(tmp_path):
    from contractbook.contract import load
    from contractbook.ddl import create

    text = tmp_path / "c.yaml"
    src = open("tests/fixtures/contracts/minimal.yaml", encoding="utf-8").read()
    text.write_text(
        src.replace("physicalType: varchar(32)", "physicalType: varchar(20000000)"),
        encoding="utf-8",
    )
    with pytest.raises(DdlError, match=r"customers\.customer_id"):
        create(load(text), "snowflake")


def test_unknown_dialect_lists_the_known_ones():
    with pytest.raises(DdlError, match="unknown SQL dialect 'oracle'.*duckdb, postgres"):
        get("oracle")


def test_identifier_quoting_and_literals_per_dialect():
    assert get("snowflake").ident("orders") == '"ORDERS"'
    assert get("databricks").ident("a`b") == "`a``b`"
    assert get("postgres").literal("it's") == "'it''s'"
    assert get("bigquery").literal("it's \\") == "'it\\'s \\\\'"
