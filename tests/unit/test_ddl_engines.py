"""The generated DDL runs in real DuckDB and PostgreSQL, and its foreign keys reject orphans."""

from __future__ import annotations

import duckdb
import pytest

from contractbook.ddl import create, drop

ORPHAN = (
    "INSERT INTO {s}.order_items VALUES ('{o}', 1, '{p}', '{x}', TIMESTAMP '2018-01-01 10:00:00', "
    "10.00, 1.00)"
)
UNKNOWN_CATEGORY = (
    "INSERT INTO {s}.products (product_id, product_category_name) VALUES ('{p}', 'nao_traduzida')"
)
IDS = {"o": "a" * 32, "p": "b" * 32, "x": "c" * 32}


def _tables_duckdb(con, schema):
    return {
        r[0]
        for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = ?", [schema]
        ).fetchall()
    }


def test_duckdb_runs_ddl_and_fk_rejects_orphans(contract):
    con = duckdb.connect()
    con.execute(create(contract, "duckdb"))
    assert _tables_duckdb(con, "olist") == set(contract.table_names)
    with pytest.raises(duckdb.ConstraintException, match="foreign key"):
        con.execute(ORPHAN.format(s="olist", **IDS))
    con.execute(UNKNOWN_CATEGORY.format(s="olist", **IDS))  # warn-policy FK: kept, not rejected
    con.execute(drop(contract, "duckdb"))
    assert _tables_duckdb(con, "olist") == set()


def test_duckdb_ddl_is_rerunnable(contract):
    con = duckdb.connect()
    con.execute(create(contract, "duckdb"))
    con.execute(create(contract, "duckdb"))  # IF NOT EXISTS everywhere


@pytest.mark.postgres
def test_postgres_runs_ddl_and_fk_rejects_orphans(contract, postgres_dsn):
    import psycopg2

    con = psycopg2.connect(postgres_dsn)
    con.autocommit = True
    cur = con.cursor()
    cur.execute(create(contract, "postgres", schema="ddl_run"))
    cur.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'ddl_run'")
    assert {r[0] for r in cur.fetchall()} == set(contract.table_names)
    with pytest.raises(psycopg2.errors.ForeignKeyViolation):
        cur.execute(ORPHAN.format(s="ddl_run", **IDS))
    cur.execute(UNKNOWN_CATEGORY.format(s="ddl_run", **IDS))  # warn-policy FK: kept
    cur.execute(
        "SELECT count(*) FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace "
        "WHERE n.nspname = 'ddl_run' AND c.contype = 'f'"
    )
    assert cur.fetchone()[0] == sum(r.on_violation == "reject" for r in contract.relationships)
    cur.execute(drop(contract, "postgres", schema="ddl_run"))
    cur.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'ddl_run'")
    assert cur.fetchone()[0] == 0
    con.close()
