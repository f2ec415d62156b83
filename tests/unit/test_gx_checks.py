"""GX runners on a hand-made dataset: pre-load pandas, post-load DuckDB (shim) and Postgres."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from contractbook.gx.proof import flagged
from support.gx_data import ROWS, C, O, load_duckdb, write_csvs


def _planted_rows() -> tuple[dict, dict, dict]:
    """ROWS with one defect per rule kind; expected flags as start lines and as keys."""
    rows = copy.deepcopy(ROWS)
    rows["orders"][1][2] = "lost"  # line 3
    rows["orders"][2][1] = "c99".ljust(32, "0")  # line 4: no such customer
    rows["orders"][0][4] = "2017-10-01 00:00:00"  # approved before purchase
    rows["customers"][2][2] = "1234"  # line 4
    rows["order_reviews"][1][2] = "7"  # line 4 (row 1 spans lines 2-3)
    rows["order_items"].append([O[1], "1", *ROWS["order_items"][2][2:5], "0.00", "0.00"])  # line 5
    rows["sellers"][1][2] = ""  # line 3
    rows["products"][0][5] = "12x"  # line 2
    rows["order_payments"][2][4] = "9.00"  # O[1] paid 9.00, due 7.00
    lines = {
        "orders.order_status.allowed_values": {3},
        "orders.foreign_key.orders_customer": {4},
        "customers.customer_zip_code_prefix.pattern": {4},
        "order_reviews.review_score.range": {4},
        "order_items.primary_key": {5},
        "sellers.seller_city.required": {3},
        "products.product_weight_g.type": {2},
    }
    keys = {
        "orders.order_status.allowed_values": {(O[1],)},
        "orders.foreign_key.orders_customer": {(O[2],)},
        "customers.customer_zip_code_prefix.pattern": {(C[2],)},
        "order_reviews.review_score.range": {(rows["order_reviews"][1][0], O[1])},
        "order_items.primary_key": {(O[1], "1")},
        "sellers.seller_city.required": {(rows["sellers"][1][0],)},
        "orders.sql.order_timestamps_ordered": {(O[0],)},
        "order_payments.sql.payments_match_items": {(O[1],)},
    }
    return rows, lines, keys


@pytest.fixture(scope="module")
def gx_ctx(tmp_path_factory):
    from contractbook.gx.context import open_context

    root = tmp_path_factory.mktemp("gx")
    return open_context(root / "state", root / "docs")


@pytest.fixture(scope="module")
def datasets(contract, tmp_path_factory):
    root = tmp_path_factory.mktemp("gxdata")
    rows, lines, keys = _planted_rows()
    clean, bad = write_csvs(contract, root / "clean"), write_csvs(contract, root / "bad", rows)
    return {
        "clean": clean,
        "bad": bad,
        "lines": lines,
        "keys": keys,
        "clean_db": load_duckdb(contract, clean, root / "clean.duckdb"),
        "bad_db": load_duckdb(contract, bad, root / "bad.duckdb"),
    }


def test_gx_is_the_version_the_shim_was_tested_with():
    import great_expectations as gx

    from contractbook.gx.shim import TESTED_GX

    assert gx.__version__ == TESTED_GX, "re-test contractbook/gx/shim.py, then bump TESTED_GX"


def test_clean_data_passes_everywhere(gx_ctx, contract, datasets):
    from contractbook.gx.runner import run_postload, run_preload

    pre = run_preload(gx_ctx, contract, datasets["clean"])
    post = run_postload(gx_ctx, contract, f"duckdb:///{datasets['clean_db']}", "duckdb")
    for run in (pre, post):
        failed = run.to_frame().query("not success")
        assert failed.empty, failed.to_string()
        assert len(run.tables) == len(contract.tables)
    assert "all checks pass" in post._repr_html_()


def test_preload_flags_exactly_the_planted_lines(gx_ctx, contract, datasets):
    from contractbook.gx.runner import run_preload

    run = run_preload(gx_ctx, contract, datasets["bad"])
    assert flagged(run, contract) == datasets["lines"]
    sample = next(c for c in run.checks if c.rule_id == "orders.order_status.allowed_values").sample
    assert sample[0]["line"] == 3 and sample[0]["order_status"] == "lost"


def test_duckdb_shim_flags_exactly_the_planted_keys(gx_ctx, contract, datasets):
    """Fails when a GX upgrade breaks the shim: regex, types and row queries all run on DuckDB."""
    from contractbook.gx.runner import run_postload

    run = run_postload(gx_ctx, contract, f"duckdb:///{datasets['bad_db']}", "duckdb")
    assert [c.error for c in run.checks if c.error] == []
    assert flagged(run, contract) == datasets["keys"]
    kinds = {c.expectation for c in run.checks}
    assert {
        "expect_column_values_to_match_regex",
        "expect_column_values_to_be_in_type_list",
        "unexpected_rows_expectation",
    } <= kinds


def test_tolerances_are_saved_in_the_checkpoint_suites(gx_ctx, contract, datasets):
    from contractbook.gx.runner import run_preload

    run = run_preload(
        gx_ctx,
        contract,
        datasets["bad"],
        {"allowed_values": 0.5},
        tables=["orders"],
        prefix="tolerant",
    )
    check = next(c for c in run.checks if c.rule_id == "orders.order_status.allowed_values")
    assert check.success and check.mostly == 0.5 and check.unexpected_count == 1
    suite = gx_ctx.checkpoints.get("tolerant.orders").validation_definitions[0].suite
    saved = json.loads(suite.json()) if hasattr(suite, "json") else suite.to_json_dict()
    kwargs = [
        e["kwargs"]
        for e in saved["expectations"]
        if e["meta"]["rule_id"] == "orders.order_status.allowed_values"
    ][0]
    assert kwargs["mostly"] == 0.5
    assert saved["meta"]["contractbook"]["tolerances"] == {"allowed_values": 0.5}


def test_data_docs_build_offline_into_the_folder(gx_ctx, contract, datasets):
    from contractbook.gx.context import build_docs

    index = build_docs(gx_ctx)
    assert index.name == "index.html" and index.is_file()
    assert "olist_mini.orders.csv" in index.read_text(encoding="utf-8")


@pytest.mark.postgres
def test_postgres_runs_natively(gx_ctx, contract, datasets, postgres_dsn, tmp_path, monkeypatch):
    import duckdb
    import sqlalchemy as sa

    from contractbook.gx.runner import run_postload

    engine = sa.create_engine(postgres_dsn)
    con = duckdb.connect(str(load_duckdb(contract, datasets["bad"], tmp_path / "src.duckdb")))
    pg_types = {
        "VARCHAR": "text",
        "BIGINT": "bigint",
        "DOUBLE": "double precision",
        "TIMESTAMP": "timestamp",
        "DECIMAL(10,2)": "numeric(10,2)",
    }
    with engine.begin() as pg:
        pg.execute(sa.text("DROP SCHEMA IF EXISTS olist CASCADE; CREATE SCHEMA olist"))
        for t in contract.tables:
            desc = con.execute(f"DESCRIBE olist.{t.name}").fetchall()
            cols = ", ".join(f"{name} {pg_types[ty]}" for name, ty, *_ in desc)
            pg.execute(sa.text(f"CREATE TABLE olist.{t.name} ({cols})"))
            frame = con.execute(f"SELECT * FROM olist.{t.name}").df()
            frame.to_sql(t.name, pg, schema="olist", if_exists="append", index=False)
    con.close()
    monkeypatch.setenv("GX_TEST_POSTGRES_URL", postgres_dsn)
    run = run_postload(gx_ctx, contract, "${GX_TEST_POSTGRES_URL}", "postgres")
    assert [c.error for c in run.checks if c.error] == []
    assert flagged(run, contract) == datasets["keys"]
    saved = (Path(gx_ctx.root_directory) / "great_expectations.yml").read_text(encoding="utf-8")
    assert "${GX_TEST_POSTGRES_URL}" in saved and postgres_dsn not in saved
    assert run.source == "${GX_TEST_POSTGRES_URL}"


def test_context_is_quiet(gx_ctx):
    assert gx_ctx.config.analytics_enabled is False
    assert gx_ctx.variables.progress_bars["globally"] is False  # how GX's validator reads it
    assert Path(gx_ctx.root_directory).name == "gx"


def test_duckdb_regex_operator_searches_like_postgres_and_pandas():
    import duckdb

    got = duckdb.sql("SELECT 'xabcx' ~ 'abc', 'xabcx' ~ '^abc$', 'abc' ~ '^abc$'").fetchall()[0]
    assert got == (True, False, True)


def test_duckdb_type_checks_see_decimal_precision(gx_ctx, contract, datasets, tmp_path):
    import duckdb

    from contractbook.gx.runner import run_postload

    db = load_duckdb(contract, datasets["clean"], tmp_path / "precision.duckdb")
    con = duckdb.connect(str(db))
    con.execute("ALTER TABLE olist.order_payments ALTER payment_value TYPE DECIMAL(12,3)")
    con.close()
    run = run_postload(
        gx_ctx, contract, f"duckdb:///{db}", tables=["order_payments"], prefix="precision"
    )
    assert [(c.rule_id, c.observed) for c in run.checks if not c.success] == [
        ("order_payments.payment_value.type", "NUMERIC(12, 3)")
    ]


def test_parent_flags_are_sql_membership_with_nulls_left_out(contract, tmp_path):
    import duckdb

    from contractbook.gx.staged import stage_inputs
    from contractbook.reading.find import sources

    rows = {
        **ROWS,
        "products": [
            [f"{i}".ljust(32, "0"), cat, "", "", "", "", "", "", ""]
            for i, cat in enumerate(["beleza_saude", "zz", "", "cama_mesa"])
        ],
    }
    data = write_csvs(contract, tmp_path / "raw", rows)
    staged = stage_inputs(contract, sources(contract, data), tmp_path / "staged.duckdb")
    con = duckdb.connect(str(staged.path), read_only=True)
    got = con.execute(
        "SELECT product_category_name__in__product_category_name_translation "
        "FROM products ORDER BY _line"
    ).fetchall()
    assert [g[0] for g in got] == [True, False, None, True]


QUOTED_NAMES = """\
apiVersion: v3.1.0
kind: DataContract
id: urn:test:gxquoted
version: 1.0.0
status: draft
schema:
  - name: things
    physicalName: 'Things "T"'
    properties:
      - {name: id, physicalName: 'Id "X"', logicalType: integer, primaryKey: true, required: true}
      - {name: label, logicalType: string}
  - name: pairs
    physicalName: pairs
    properties:
      - {name: a, physicalName: 'A "1"', logicalType: integer, primaryKey: true,
         primaryKeyPosition: 1}
      - {name: b, logicalType: integer, primaryKey: true, primaryKeyPosition: 2}
"""


def test_unique_checks_on_names_with_quotes_run_as_queries(gx_ctx, tmp_path):
    """GX cannot parse `"` in a unique check's column: the same check runs as a quoted query."""
    import duckdb

    from contractbook.contract import parse
    from contractbook.gx import coverage, generate
    from contractbook.gx.runner import run_postload
    from contractbook.sqltext import ident

    (tmp_path / "c.yaml").write_text(QUOTED_NAMES)
    contract, _ = parse(tmp_path / "c.yaml")
    for tgt in ("duckdb", "postgres"):
        assert set(coverage(generate(contract, tgt)).values()) == {"mapped"}, tgt
    db = tmp_path / "q.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute("CREATE SCHEMA s")
        things, x, a = ident('Things "T"'), ident('Id "X"'), ident('A "1"')
        con.execute(f"CREATE TABLE s.{things} ({x} BIGINT, label VARCHAR)")
        con.execute(f"INSERT INTO s.{things} VALUES (1, 'a'), (2, 'b'), (2, 'c'), (3, 'd')")
        con.execute(f"CREATE TABLE s.pairs ({a} BIGINT, b BIGINT)")
        # (1, 1) twice: a duplicate; (2, NULL) twice: only `required` fails, as GX's unique
        # checks ignore rows with a missing value
        con.execute("INSERT INTO s.pairs VALUES (1, 1), (1, 1), (1, 2), (2, NULL), (2, NULL)")
    run = run_postload(gx_ctx, contract, f"duckdb:///{db}", "duckdb", "s", prefix="quoted")
    failed = {c.rule_id: c for c in run.checks if not c.success}
    assert set(failed) == {"things.primary_key", "pairs.primary_key", "pairs.b.required"}
    assert failed["things.primary_key"].unexpected_count == 2
    assert failed["things.primary_key"].later == [{'Id "X"': 2}]
    assert failed["pairs.primary_key"].unexpected_count == 2
    assert failed["pairs.primary_key"].failing == [{'A "1"': 1, "b": 1}] * 2


def test_gx_connections_are_closed_once_the_checks_ran(gx_ctx, contract, datasets, tmp_path):
    """The staged inputs and the warehouse are never open at once (the step's peak memory)."""
    import shutil

    import duckdb

    from contractbook.gx.runner import run_postload, run_preload

    db = tmp_path / "wh.duckdb"
    shutil.copy(datasets["clean_db"], db)
    run_preload(gx_ctx, contract, datasets["clean"], tables=["sellers"], prefix="closed")
    staged = next((Path(gx_ctx.root_directory) / "preload").glob("staged-*.duckdb"))
    run_postload(gx_ctx, contract, f"duckdb:///{db}", tables=["sellers"], prefix="closed")
    for path in (staged, db):  # another configuration is refused while GX holds the file open
        with duckdb.connect(str(path), config={"threads": 1}) as con:
            assert con.execute("SELECT count(*) FROM duckdb_tables()").fetchone()[0] > 0
