"""A hand-written Kaggle download (tests/fixtures/kaggle) through the CLI, as a user runs it.

The folder is written by hand from the published facts (issue 17), not by our generator: the
nine published file names; the header row quoted in eight files; the translation file with a
BOM and CRLF; zip-code prefixes quoted with their leading zeros; review texts with CRLF, quotes
and commas inside quoted fields; two products with an empty category, name, description and
photo count; one review id on three orders with identical content; one order handed to the
carrier before its approval and one delivered before the carrier date; instalment payments
above items + freight (interest) and one order paid less; two categories missing from the
translation table. The quirks are listed below as the facts the fixture was written to hold;
every expected count is also recomputed from the files with Python's csv module (the oracle).
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from contractbook.cli import main

KAGGLE = Path(__file__).resolve().parents[1] / "fixtures" / "kaggle"
TRANSLATION = "product_category_name_translation"
# the quirks the fixture was written to hold (ids of the rows the contract should warn about)
HANDOVER = {"47770eb9100c2d0c44946d9cf07ec65d", "949d5b44dbf5de918fe9c16f97b45f8a"}
PAID_LESS = {"ad21c59c0840e6cb83a9ceb5573f8159"}
INTEREST = {"53cdb2fc8bc7dce0b6741e2150273451", "949d5b44dbf5de918fe9c16f97b45f8a"}
UNTRANSLATED = {"pc_gamer", "portateis_cozinha_e_preparadores_de_alimentos"}
REPEATED_REVIEW = "7b07bacd811c4117b742569b04ce3580"
TABLES = (
    "customers",
    "geolocation",
    TRANSLATION,
    "products",
    "sellers",
    "orders",
    "order_items",
    "order_payments",
    "order_reviews",
)


def published(table: str) -> str:
    """The published file name of a table."""
    return f"{TRANSLATION}.csv" if table == TRANSLATION else f"olist_{table}_dataset.csv"


def rows(path: Path) -> list[dict]:
    """Records of one CSV by Python's csv module (the oracle; BOM dropped)."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def table_rows(data: Path, table: str) -> list[dict]:
    return rows(data / published(table))


def quirks(data: Path) -> dict[str, set]:
    """What each warning rule (and the instalment tolerance) should see, from the files alone."""
    handover = {
        o["order_id"]
        for o in table_rows(data, "orders")
        if (o["order_delivered_carrier_date"] and o["order_approved_at"])
        and o["order_delivered_carrier_date"] < o["order_approved_at"]
        or o["order_delivered_customer_date"]
        and o["order_delivered_customer_date"]
        < (o["order_delivered_carrier_date"] or o["order_approved_at"] or "0")
    }
    due, paid = defaultdict(Decimal), defaultdict(Decimal)
    for i in table_rows(data, "order_items"):
        due[i["order_id"]] += Decimal(i["price"]) + Decimal(i["freight_value"])
    for p in table_rows(data, "order_payments"):
        paid[p["order_id"]] += Decimal(p["payment_value"])
    known = {r["product_category_name"] for r in table_rows(data, TRANSLATION)}
    return {
        "handover": handover,
        "paid_less": {o for o in paid if o in due and paid[o] < due[o] - Decimal("0.01")},
        "interest": {o for o in paid if o in due and paid[o] > due[o] + Decimal("0.01")},
        "untranslated": {
            p["product_category_name"]
            for p in table_rows(data, "products")
            if p["product_category_name"] and p["product_category_name"] not in known
        },
    }


def expected_warnings(data: Path) -> dict[str, dict[str, int]]:
    """{table: {rule: rows warned}} from the oracle."""
    q = quirks(data)
    payments = sum(1 for p in table_rows(data, "order_payments") if p["order_id"] in q["paid_less"])
    products = sum(
        1 for p in table_rows(data, "products") if p["product_category_name"] in q["untranslated"]
    )
    return {
        "orders": {"orders.sql.order_handover_sequence": len(q["handover"])},
        "order_payments": {"order_payments.sql.payments_below_items": payments},
        "products": {"products.foreign_key.products_category": products},
    }


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """`python -m contractbook ARGS` in its own process (cwd: the user's project folder)."""
    return subprocess.run(
        [sys.executable, "-m", "contractbook", *args],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=cwd,
        env={**os.environ, "CONTRACTBOOK_SERVER": ""},
    )


def ingest_args(contract_path, data: Path, out: Path, server: str = "kaggle") -> list[str]:
    return [
        "ingest",
        str(contract_path),
        "--data",
        str(data),
        "--server",
        server,
        "--warehouse",
        str(out / "wh.duckdb"),
        "--rejects",
        str(out / "rejects"),
        "--state",
        str(out / "state"),
    ]


def rows_of(table: str) -> list[dict]:
    """The fixture's records of table (the oracle)."""
    return table_rows(KAGGLE, table)


@pytest.fixture
def download(tmp_path) -> Path:
    """A fresh copy of the hand-written download (a run must not write into the fixture)."""
    return Path(shutil.copytree(KAGGLE, tmp_path / "olist"))


def test_the_fixture_holds_the_published_facts():
    names = sorted(p.name for p in KAGGLE.iterdir())
    assert names == sorted(published(t) for t in TABLES)
    raw = {n: (KAGGLE / n).read_bytes() for n in names}
    quoted = [n for n, b in raw.items() if b.startswith(b'"')]
    assert len(quoted) == 8 and f"{TRANSLATION}.csv" not in quoted
    tr = raw[f"{TRANSLATION}.csv"]
    assert tr.startswith(b"\xef\xbb\xbf") and tr.count(b"\r\n") == tr.count(b"\n") > 1
    assert all(b"\r\n" not in b for n, b in raw.items() if "reviews" not in n and n in quoted)
    assert b'"01151"' in raw["olist_customers_dataset.csv"]
    assert b'"01026"' in raw["olist_sellers_dataset.csv"]
    messages = [r["review_comment_message"] for r in table_rows(KAGGLE, "order_reviews")]
    assert any("\r\n" in m and '"' in m and "," in m for m in messages)
    reviews = [r for r in table_rows(KAGGLE, "order_reviews") if r["review_id"] == REPEATED_REVIEW]
    assert len({r["order_id"] for r in reviews}) == 3
    assert len({tuple(v for k, v in r.items() if k != "order_id") for r in reviews}) == 1
    empty = [
        p
        for p in table_rows(KAGGLE, "products")
        if not any(p[c] for c in list(p)[1:5])  # category, name, description, photo count
    ]
    assert len(empty) == 2
    q = quirks(KAGGLE)
    assert (q["handover"], q["paid_less"], q["untranslated"]) == (
        HANDOVER,
        PAID_LESS,
        UNTRANSLATED,
    )
    assert q["interest"] == INTEREST


@pytest.mark.slow
def test_cli_ingests_the_download_as_published(contract_path, download, tmp_path):
    out = tmp_path / "out"
    proc = cli(*ingest_args(contract_path, download, out), cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    total = sum(len(table_rows(download, t)) for t in TABLES)
    warned = sum(sum(w.values()) for w in expected_warnings(download).values())
    assert f"read {total} = loaded {total} + rejected 0: accounting OK" in proc.stdout
    assert f"; {warned} loaded row(s) warned (known quirks)" in proc.stdout
    con = duckdb.connect(str(out / "wh.duckdb"), read_only=True)
    for table in TABLES:
        loaded = con.execute(f'SELECT count(*) FROM olist."{table}"').fetchall()[0][0]
        rejected = con.execute(f'SELECT count(*) FROM olist."{table}__rejects"').fetchall()[0][0]
        assert (loaded, rejected) == (len(table_rows(download, table)), 0), table
    got = dict(
        con.execute(
            "SELECT table_name, warnings_by_rule FROM olist._run_metrics "
            "WHERE warnings_by_rule <> '{}'"
        ).fetchall()
    )
    assert {t: json.loads(w) for t, w in got.items()} == expected_warnings(download)
    zips = con.execute("SELECT customer_zip_code_prefix FROM olist.customers").fetchall()
    assert {z for (z,) in zips} == {c["customer_zip_code_prefix"] for c in rows_of("customers")}
    assert ("01151",) in zips
    messages = con.execute(
        "SELECT order_id, review_comment_message FROM olist.order_reviews WHERE review_id = ?",
        [REPEATED_REVIEW],
    ).fetchall()
    assert len(messages) == 3 and {m for _, m in messages} == {
        r["review_comment_message"]
        for r in rows_of("order_reviews")
        if r["review_id"] == REPEATED_REVIEW
    }
    assert "\r\n" in messages[0][1]
    empty = con.execute(
        "SELECT count(*) FROM olist.products WHERE product_category_name IS NULL "
        "AND product_name_lenght IS NULL AND product_photos_qty IS NULL"
    ).fetchall()[0][0]
    assert empty == 2
    assert sorted(p.name for p in download.iterdir()) == sorted(p.name for p in KAGGLE.iterdir())


def test_missing_files_are_listed_at_once_and_nothing_is_created(contract_path, download, tmp_path):
    gone = ["olist_orders_dataset.csv", f"{TRANSLATION}.csv", "olist_geolocation_dataset.csv"]
    for name in gone:
        (download / name).unlink()
    out = tmp_path / "out"
    proc = cli(*ingest_args(contract_path, download, out), cwd=tmp_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stdout + proc.stderr
    (line,) = proc.stderr.strip().splitlines()
    assert line.startswith("ingest: 3 of 9 input file(s) unusable: ")
    assert all(f"{download / name}: file not found" in line for name in gone)
    assert "--server" in line  # the fix is named
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["olist"]
    left = {p.name for p in KAGGLE.iterdir()} - set(gone)
    assert {p.name for p in download.iterdir()} == left  # no staging copy left behind


def test_ingest_and_sample_check_give_the_oracles_verdict(contract, download, tmp_path):
    from contractbook.ingest.run import check_all, new_run
    from contractbook.jsonschema import check_sample
    from contractbook.reading.find import sources

    paths = sources(contract, download, "kaggle")
    checks = check_all(
        duckdb.connect(), contract, download, new_run(), progress=lambda *_: None, paths=paths
    )
    got = {t: (c.read, c.malformed, c.rejected, c.error) for t, c in checks.items()}
    assert got == {t: (len(table_rows(download, t)), 0, 0, None) for t in contract.table_names}
    warned = {t: dict(c.warnings) for t, c in checks.items() if c.warnings}
    assert warned == expected_warnings(download)
    assert check_sample(contract, download, n=1000, paths=paths) == []


def _break_one_review(data: Path) -> int:
    """Append a review whose quote never closes; returns its physical line."""
    path = data / published("order_reviews")
    text = path.read_bytes()
    line = text.count(b"\n") + 1
    path.write_bytes(
        text + b'ffffffffffffffffffffffffffffffff,e481f51cbdc54678b7cc49136f2d6af7,5,,"sem fim,'
        b"2017-10-11 00:00:00,2017-10-12 03:43:48\n"
    )
    return line


def test_one_broken_review_is_the_same_malformed_line_in_ingest_and_sample(
    contract, download, tmp_path
):
    from contractbook.ingest.run import check_all, new_run
    from contractbook.jsonschema import check_sample
    from contractbook.reading.find import sources

    line = _break_one_review(download)
    paths = sources(contract, download, "kaggle")
    con = duckdb.connect()
    checks = check_all(con, contract, download, new_run(), progress=lambda *_: None, paths=paths)
    c = checks["order_reviews"]
    assert (c.read, c.accepted, c.malformed, c.rejected) == (9, 8, 1, 1)
    bad = con.execute('SELECT source_line, reject_reasons FROM work."rej_order_reviews"').fetchall()
    assert bad == [(line, '["order_reviews.csv.quoting"]')]
    sample = check_sample(contract, download, n=1000, paths=paths)
    assert [(v.table, v.record) for v in sample] == [("order_reviews", line)]
    assert "malformed CSV" in sample[0].message


@pytest.mark.slow
def test_gx_preload_gives_the_same_verdict(contract, download, tmp_path):
    from contractbook.gx.context import open_context
    from contractbook.gx.runner import run_preload
    from contractbook.reading.find import sources

    line = _break_one_review(download)
    ctx = open_context(tmp_path / "gx", tmp_path / "docs")
    run = run_preload(ctx, contract, download, paths=sources(contract, download, "kaggle"))
    assert not run.errors, [(c.table, c.rule_id, c.sample) for c in run.errors]
    for t in run.tables:
        count = next(
            c.observed for c in t.checks if c.expectation == "expect_table_row_count_to_be_between"
        )
        oracle = len(table_rows(download, t.table)) if t.table != "order_reviews" else 8
        assert count == oracle, t.table
        assert sorted(t.malformed["line"]) == ([line] if t.table == "order_reviews" else [])


def _mixed_contract(contract_path, tmp_path) -> Path:
    """The shipped contract plus a file server naming a Parquet and a JSON Lines file."""
    text = Path(contract_path).read_text(encoding="utf-8")
    server = """servers:
  - server: kaggle_mixed
    type: local
    format: csv
    environment: dev
    description: The download with sellers re-exported as Parquet and reviews as JSON Lines.
    path: olist_{model}_dataset.csv
    customProperties:
      - property: files
        value:
          product_category_name_translation: product_category_name_translation.csv
          sellers: olist_sellers_dataset.parquet
          order_reviews: olist_order_reviews_dataset.jsonl
"""
    assert text.count("\nservers:\n") == 1
    out = tmp_path / "contract" / "contract.yaml"
    out.parent.mkdir()
    out.write_text(text.replace("\nservers:\n", "\n" + server, 1), encoding="utf-8")
    return out


def _reexport(data: Path) -> None:
    """Sellers as Parquet (every column a string), reviews as JSON Lines (score a number)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    sellers = data / published("sellers")
    got = rows(sellers)
    pq.write_table(pa.Table.from_pylist(got), data / "olist_sellers_dataset.parquet")
    sellers.unlink()
    reviews = data / published("order_reviews")
    with open(data / "olist_order_reviews_dataset.jsonl", "w", encoding="utf-8") as f:
        for r in rows(reviews):
            rec = {k: (v or None) for k, v in r.items()}
            rec["review_score"] = int(r["review_score"])
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    reviews.unlink()


@pytest.mark.slow
def test_parquet_and_json_lines_files_in_the_download(contract_path, download, tmp_path):
    _reexport(download)
    mixed = _mixed_contract(contract_path, tmp_path)
    out = tmp_path / "out"
    code = main(ingest_args(mixed, download, out, "kaggle_mixed"))
    assert code == 0
    con = duckdb.connect(str(out / "wh.duckdb"), read_only=True)
    sellers = con.execute("SELECT seller_id, seller_zip_code_prefix FROM olist.sellers").fetchall()
    assert sorted(sellers) == sorted(
        (s["seller_id"], s["seller_zip_code_prefix"]) for s in rows_of("sellers")
    )
    reviews = con.execute(
        "SELECT review_id, order_id, review_score, review_comment_message FROM olist.order_reviews"
    ).fetchall()
    assert sorted(reviews, key=str) == sorted(
        (
            (
                r["review_id"],
                r["order_id"],
                int(r["review_score"]),
                r["review_comment_message"] or None,
            )
            for r in rows_of("order_reviews")
        ),
        key=str,
    )
    rejected = con.execute(
        "SELECT sum(rows_rejected), sum(rows_read) - sum(rows_loaded) FROM olist._run_metrics"
    ).fetchall()[0]
    assert rejected == (0, 0)


@pytest.mark.slow
def test_make_ingest_with_the_kaggle_server(download, tmp_path):
    from support.project import BIN, ROOT, copy_project, run, state_env

    project = copy_project(tmp_path / "project")
    env = state_env(project, tmp_path / "home")
    make = ["make", "-s", "-f", str(ROOT / "Makefile"), "-C", str(project), "-o", "setup"]
    out = run([*make, "ingest", f"DATA={download}", "SERVER=kaggle", f"BIN={BIN}"], project, env)
    assert "gx-checks" in out.stdout
    receipt = json.loads((project / "data" / "ingest-duckdb.json").read_text())
    assert receipt["status"] == "completed"
    acc = {a["table"]: a for a in receipt["accounting"]}
    assert {t: (a["read"], a["loaded"], a["rejected"]) for t, a in acc.items()} == {
        t: (len(rows_of(t)),) * 2 + (0,) for t in TABLES
    }
    warned = {t: sum(w.values()) for t, w in expected_warnings(download).items()}
    assert {t: a["warned"] for t, a in acc.items() if a["warned"]} == warned
    for name in ("ingest", "gx-checks", "metrics-dashboard", "register-catalog"):
        assert (project / "reports" / f"{name}.html").is_file(), name
    gx = (project / "reports" / "gx-checks.html").read_text(encoding="utf-8")
    assert "your own files (no defects.csv): nothing planted, no proof" in gx
