"""The Spark and DuckDB engines reach the same verdicts on one hostile small input.

tests/fixtures/spark_parity/: physicalName with capitals, spaces and parentheses on tables and
columns; a warning SQL rule and a warn foreign key (counted, loaded); parents rejected by a
pattern, an enum, a range, a key and an SQL rule, whose children say parent_rejected; true
orphans; malformed parent records (column_count, quoting, encoding). The DuckDB engine loads
with dlt into a DuckDB warehouse, the Spark engine writes Parquet: both hold the same tables
under the same physical names, with the same accounting and the same rejects (line, rules,
cause). Both read a malformed parent record's key back where it is certain (ingest/cascade.py
and spark/cascade.py `malformed_keys`), so its children say parent_rejected in both; a key in
a quoting field is not certain, and that record's child is an orphan in both.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from contractbook.contract import load, naming
from contractbook.ingest.cascade import CAUSE
from contractbook.ingest.hints import rejects_table
from contractbook.sqltext import ident

pytestmark = pytest.mark.spark
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "spark_parity"


@pytest.fixture(scope="module")
def contract():
    return load(FIXTURE / "contract.yaml")


@pytest.fixture(scope="module")
def engines(spark, contract, tmp_path_factory):
    """(DuckDB result, warehouse path, Spark result, Spark out dir) over a copy of the input."""
    from contractbook.ingest.run import ingest as duck_ingest
    from contractbook.spark.ingest import ingest as spark_ingest

    root = tmp_path_factory.mktemp("spark-parity")
    shutil.copytree(FIXTURE, root / "raw", ignore=shutil.ignore_patterns("*.yaml"))
    quiet = {"progress": lambda *_: None}
    duck = duck_ingest(
        contract, root / "raw", "duckdb", root / "wh.duckdb", root / "rej-d", root / "st-d", **quiet
    )
    sp = spark_ingest(
        contract, root / "raw", root / "out", root / "rej-s", root / "st-s", spark=spark, **quiet
    )
    return duck, root / "wh.duckdb", sp, root / "out"


def _spark_rows(out: Path, name: str, cols: str = "*") -> list[tuple]:
    from contractbook.spark.sql import folder

    with duckdb.connect() as con:
        return con.execute(
            f"SELECT {cols} FROM read_parquet(?)", [f"{out / folder(name)}/*.parquet"]
        ).fetchall()


def _columns(out: Path, name: str) -> list[str]:
    from contractbook.spark.sql import folder

    with duckdb.connect() as con:
        glob = f"{out / folder(name)}/*.parquet"
        rel = con.sql("SELECT * FROM read_parquet($p)", params={"p": glob})
        return rel.columns


def _warehouse(wh: Path, contract, name: str, cols: str = "*") -> list[tuple]:
    schema = naming.loaded_dataset(contract, "duckdb")
    with duckdb.connect(str(wh), read_only=True) as con:
        return con.execute(f"SELECT {cols} FROM {ident(schema)}.{ident(name)}").fetchall()


def _causes(rows: list[tuple]) -> set[tuple]:
    """(line, rules, detail) of every reject; a rule reject's cause JSON parsed."""
    out = set()
    for line, reasons, detail, raw_bytes in rows:
        cause = detail
        if detail and not raw_bytes:  # a rule reject: parent_rejected JSON
            cause = json.dumps(json.loads(detail), sort_keys=True)
        out.add((line, reasons, cause))
    return out


def test_same_accounting_per_table(engines, contract):
    duck, wh, sp, _ = engines
    assert duck.ok and sp.ok, (duck.accounting(), sp.accounting())
    assert sp.accounting() == duck.accounting()
    for name, d in duck.checks.items():
        s = sp.checks[name]
        assert (s.read, s.accepted, s.rejected, s.malformed, s.warned) == (
            d.read,
            d.accepted,
            d.rejected,
            d.malformed,
            d.warned,
        ), name
        assert (s.reasons, s.warnings, s.cascaded) == (d.reasons, d.warnings, d.cascaded), name
    # the input exercises what is compared
    assert sum(sum(c.cascaded.values()) for c in duck.checks.values()) >= 5
    assert duck.checks["orders"].warned and duck.checks["notes"].warned
    assert duck.checks["orders"].malformed


def test_same_rejects_and_causes(engines, contract):
    duck, wh, _, out = engines
    cols = "source_line, reject_reasons, reject_detail, raw_bytes"
    seen_parent_rules = set()
    for t in contract.tables:
        d = _causes(_warehouse(wh, contract, rejects_table(t), cols))
        s = _causes(_spark_rows(out, rejects_table(t), cols))
        assert s == d, t.name
        for _, reasons, cause in d:
            if cause and ".csv." not in reasons:  # a rule reject's cause (not a reader's words)
                parents = json.loads(cause)
                assert parents["cause"] == CAUSE
                seen_parent_rules |= {r for p in parents["parents"] for r in p["parent_rules"]}
    # parents rejected by a pattern, an enum, a range, an SQL rule, a foreign key and as
    # malformed records (O010 column_count, O012 quoting after the key, O013 encoding)
    fk = "orders.foreign_key.orders_customer_id__Customers_customer_id"
    assert seen_parent_rules >= {
        "Customers.Email.pattern",
        "Customers.tier.allowed_values",
        "orders.amount.range",
        "orders.sql.amount_cap",
        fk,
        "orders.csv.column_count",
        "orders.csv.quoting",
        "orders.csv.encoding",
    }
    keyed = f"{ident('Order Id')}, reject_reasons, reject_detail"
    for rows in (
        _spark_rows(out, "Order Items__rejects", keyed),
        _warehouse(wh, contract, "Order Items__rejects", keyed),
    ):
        orphans = sorted(k for k, rules, detail in rows if detail is None and "foreign" in rules)
        assert orphans == ["O014", "O999"]  # O999: no such order; O014: key in a quoting field


def test_physical_names_and_rows_as_the_duckdb_warehouse(engines, contract):
    duck, wh, _, out = engines
    for t in contract.tables:
        physical = [c.physical for c in t.columns]
        assert _columns(out, t.physical) == physical, t.name
        assert _columns(out, rejects_table(t))[: len(physical)] == physical, t.name
        cols = ", ".join(ident(c) for c in physical)
        spark_rows = sorted(map(str, _spark_rows(out, t.physical, cols)))
        assert spark_rows == sorted(map(str, _warehouse(wh, contract, t.physical, cols))), t.name
        assert len(spark_rows) == duck.checks[t.name].accepted
    assert any(t.physical != t.name for t in contract.tables)
    renamed = [c.physical for t in contract.tables for c in t.columns if c.physical != c.name]
    assert any(" " in n for n in renamed) and any(n != n.lower() for n in renamed)


def test_unreadable_parent_fails_its_table_only_in_both(spark, contract, tmp_path):
    """A UTF-16 Customers file: that table fails, orders' foreign key to it is only warned."""
    from contractbook.ingest.run import check_all, new_run
    from contractbook.spark.ingest import ingest as spark_ingest

    shutil.copytree(FIXTURE, tmp_path / "raw", ignore=shutil.ignore_patterns("*.yaml"))
    customers = tmp_path / "raw" / "Customers.csv"
    customers.write_bytes(customers.read_text().encode("utf-16"))
    with duckdb.connect() as con:
        duck = check_all(con, contract, tmp_path / "raw", new_run(), progress=lambda *_: None)
    sp = spark_ingest(
        contract,
        tmp_path / "raw",
        tmp_path / "out",
        tmp_path / "rej",
        tmp_path / "st",
        spark=spark,
        progress=lambda *_: None,
    )
    assert "UTF-16" in (sp.checks["Customers"].error or "")
    assert duck["Customers"].error == sp.checks["Customers"].error
    fk = "orders.foreign_key.orders_customer_id__Customers_customer_id"
    assert sp.checks["orders"].warnings[fk] == duck["orders"].warnings[fk] > 0
    for name, d in duck.items():
        s = sp.checks[name]
        assert (s.read, s.accepted, s.rejected, s.warned, s.reasons, s.cascaded) == (
            d.read,
            d.accepted,
            d.rejected,
            d.warned,
            d.reasons,
            d.cascaded,
        ), name
    assert [a.table for a in sp.accounting() if not a.ok] == ["Customers"]
