"""SQL rules run where they cannot reach outside: a restricted DuckDB, read-only GX connections."""

from __future__ import annotations

import subprocess
import sys

import pytest
import sqlglot

CANARY = "CANARY-confined-4b1e"


@pytest.fixture()
def canary(tmp_path):
    path = tmp_path / "canary.txt"
    path.write_text(CANARY, encoding="utf-8")
    return path


def test_restricted_connection_sees_only_its_tables_and_no_file(tmp_path, canary):
    import duckdb
    import pyarrow as pa

    from contractbook.ingest.sqlconn import restricted_connection

    rc = restricted_connection({"orders": pa.table({"order_id": ["a", "b"]})})
    assert rc.sql("SELECT count(*) FROM orders").fetchall() == [(2,)]
    out = tmp_path / "out.csv"
    for sql in (
        f"SELECT * FROM read_text('{canary}')",
        f"COPY orders TO '{out}'",
        f"ATTACH '{tmp_path / 'x.db'}' AS x",
        "INSTALL httpfs",
        f"SELECT * FROM read_csv('{canary}')",
        "SELECT * FROM glob('/*')",
    ):
        with pytest.raises(duckdb.PermissionException):
            rc.execute(sql)
    with pytest.raises(duckdb.InvalidInputException, match="configuration"):
        rc.execute("SET enable_external_access = true")
    assert not out.exists() and not (tmp_path / "x.db").exists()


@pytest.fixture(scope="module")
def raw(tmp_path_factory, contract_path):
    out = tmp_path_factory.mktemp("raw")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "contractbook",
            "synth",
            "--n-orders",
            "100",
            "--out",
            str(out),
            "--contract",
            str(contract_path),
            "--quiet",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return out


def test_a_rule_that_slipped_past_validation_still_cannot_read_a_file(contract_path, raw, canary):
    """Defence in depth: swap a parsed rule for one reading a file; the ingest checks refuse it."""
    import duckdb

    from contractbook.contract import load
    from contractbook.ingest.run import check_all, new_run

    contract = load(contract_path)
    rule = next(r for r in contract.rules if r.kind == "sql" and r.table == "orders")
    rule.params["rows_tree"] = sqlglot.parse_one(
        f"SELECT content AS order_id FROM read_text('{canary}')", read="duckdb"
    )
    con = duckdb.connect()
    with pytest.raises(duckdb.PermissionException, match="disabled by config"):
        check_all(con, contract, raw, new_run(), progress=lambda *_: None)
    con.close()


def test_gx_duckdb_engine_has_no_file_access(tmp_path, canary):
    import duckdb
    import sqlalchemy as sa

    from contractbook.gx.runner import ENGINE_KWARGS

    db = tmp_path / "w.duckdb"
    duckdb.connect(str(db)).execute("CREATE TABLE t AS SELECT 1 AS x").close()
    engine = sa.create_engine(f"duckdb:///{db}", **ENGINE_KWARGS["duckdb"])
    with engine.connect() as c:
        assert c.execute(sa.text("SELECT x FROM t")).fetchall() == [(1,)]
        with pytest.raises(sa.exc.DBAPIError, match="disabled by config"):
            c.execute(sa.text(f"SELECT * FROM read_text('{canary}')"))
    engine.dispose()


@pytest.mark.postgres
def test_gx_postgres_engine_is_read_only_with_a_timeout(postgres_dsn):
    import sqlalchemy as sa

    from contractbook.gx.runner import ENGINE_KWARGS, STATEMENT_TIMEOUT_MS

    engine = sa.create_engine(
        postgres_dsn.replace("postgresql://", "postgresql+psycopg2://"), **ENGINE_KWARGS["postgres"]
    )
    with engine.connect() as c:
        assert c.execute(sa.text("SHOW transaction_read_only")).scalar() == "on"
        timeout = c.execute(sa.text("SHOW statement_timeout")).scalar()
        assert timeout == f"{STATEMENT_TIMEOUT_MS // 60_000}min"
        with pytest.raises(sa.exc.DBAPIError, match="read-only transaction"):
            c.execute(sa.text("CREATE TABLE confined_probe (x INTEGER)"))
    engine.dispose()
