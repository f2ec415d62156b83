"""The hand-written metrics fixture (tests/fixtures/metrics/olist.sql) loaded into a warehouse."""

from __future__ import annotations

from pathlib import Path

from contractbook.ddl import create

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "metrics" / "olist.sql"


def load_duckdb(path: Path, contract) -> str:
    """A DuckDB file with the contract's tables in schema olist and the fixture rows."""
    import duckdb

    with duckdb.connect(str(path)) as con:
        con.execute(create(contract, "duckdb", schema="olist"))
        con.execute(FIXTURE.read_text())
    return str(path)


def load_postgres(dsn: str, contract, database: str = "metrics_fixture") -> str:
    """A fresh database on the server of dsn, loaded likewise; its URL."""
    import psycopg2

    admin = psycopg2.connect(dsn)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS {database}")
        cur.execute(f"CREATE DATABASE {database}")
    admin.close()
    url = dsn.rsplit("/", 1)[0] + "/" + database
    con = psycopg2.connect(url)
    con.autocommit = True
    with con.cursor() as cur:
        cur.execute(create(contract, "postgres", schema="olist"))
        cur.execute(FIXTURE.read_text())
    con.close()
    return url
