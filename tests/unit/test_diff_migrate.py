"""Real-engine migrations: old DDL + migration leaves the catalog a fresh create of new leaves."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
import sqlglot

from contractbook.contract import load
from contractbook.ddl import DIALECTS, create, get
from contractbook.ddl.inspect import duckdb_catalog, postgres_catalog
from contractbook.diff import migration

V2 = Path(__file__).resolve().parents[1] / "fixtures" / "contracts" / "olist_mini_v2.yaml"
SELLER = "INSERT INTO olist.sellers VALUES ('{}', '01001', 'sao paulo', 'SP')".format("c" * 32)


@pytest.fixture(scope="module")
def v2():
    return load(V2)


@pytest.fixture(scope="module")
def v1_1(tmp_path_factory, contract_path):
    """A minor version: one nullable column and two descriptions (DuckDB alters these in place)."""
    text = contract_path.read_text(encoding="utf-8").replace("version: 2.0.0", "version: 2.1.0")
    text = text.replace(
        "description: Sellers that fulfil orders.", "description: Sellers on Olist."
    )
    text = text.replace(
        "        description: Delivery date promised at purchase.\n",
        "        description: Delivery date promised at purchase.\n"
        "      - name: order_channel\n        logicalType: string\n"
        "        physicalType: varchar(16)\n        required: false\n"
        "        description: Sales channel.\n",
    )
    path = tmp_path_factory.mktemp("v1_1") / "contract.yaml"
    path.write_text(text, encoding="utf-8")
    return load(path)


def _duckdb_fresh(contract):
    con = duckdb.connect()
    con.execute(create(contract, "duckdb"))
    return con


def test_duckdb_migration_matches_fresh_create(contract, v2):
    con = _duckdb_fresh(contract)
    con.execute(SELLER)
    script = migration(contract, v2, "duckdb")
    assert "REBUILD" in script  # DuckDB cannot alter keys or referenced tables in place
    con.execute(script)
    fresh = duckdb_catalog(_duckdb_fresh(v2), "olist")
    assert fresh != duckdb_catalog(_duckdb_fresh(contract), "olist")  # the comparison can fail
    assert duckdb_catalog(con, "olist") == fresh
    assert con.execute("SELECT seller_city FROM olist.sellers").fetchall() == [("sao paulo",)]


def test_duckdb_minor_migration_alters_in_place(contract, v1_1):
    con = _duckdb_fresh(contract)
    con.execute(SELLER)
    script = migration(contract, v1_1, "duckdb")
    assert "REBUILD" not in script and "ADD COLUMN" in script
    con.execute(script)
    assert duckdb_catalog(con, "olist") == duckdb_catalog(_duckdb_fresh(v1_1), "olist")
    assert con.execute("SELECT count(*) FROM olist.sellers").fetchone() == (1,)


def test_duckdb_migrated_fk_rejects_orphans(contract, v2):
    con = _duckdb_fresh(contract)
    con.execute(migration(contract, v2, "duckdb"))
    with pytest.raises(duckdb.ConstraintException, match="foreign key"):
        con.execute("INSERT INTO olist.seller_ratings VALUES ('{}', 4.5)".format("f" * 32))


def _normalize(catalog: dict, schema: str) -> dict:
    return {
        k: {
            tuple(v.replace(f"{schema}.", "S.") if isinstance(v, str) else v for v in row)
            for row in rows
        }
        for k, rows in catalog.items()
    }


@pytest.mark.postgres
@pytest.mark.parametrize("pair", ["v2", "v1_1"])
def test_postgres_migration_matches_fresh_create(contract, pair, request, postgres_dsn):
    import psycopg2

    new = request.getfixturevalue(pair)
    con = psycopg2.connect(postgres_dsn)
    con.autocommit = True
    old_schema, new_schema = f"mig_{pair}", f"fresh_{pair}"
    with con.cursor() as cur:
        cur.execute(create(contract, "postgres", schema=old_schema))
        cur.execute(SELLER.replace("olist.", f"{old_schema}."))
        script = migration(contract, new, "postgres", schema=old_schema)
        assert "REBUILD" not in script  # PostgreSQL alters everything in place
        cur.execute(script)
        cur.execute(f"SELECT seller_city FROM {old_schema}.sellers")
        assert cur.fetchall() == [("sao paulo",)]
        cur.execute(create(new, "postgres", schema=new_schema))
    migrated = _normalize(postgres_catalog(con, old_schema), old_schema)
    fresh = _normalize(postgres_catalog(con, new_schema), new_schema)
    con.close()
    assert migrated == fresh


@pytest.mark.postgres
def test_postgres_migrated_fk_rejects_orphans(contract, v2, postgres_dsn):
    import psycopg2

    con = psycopg2.connect(postgres_dsn)
    con.autocommit = True
    with con.cursor() as cur:
        cur.execute(create(contract, "postgres", schema="mig_fk"))
        cur.execute(migration(contract, v2, "postgres", schema="mig_fk"))
        with pytest.raises(psycopg2.errors.ForeignKeyViolation):
            cur.execute(
                "INSERT INTO mig_fk.products (product_id, product_category_name) "
                "VALUES ('{}', 'nao_traduzida')".format("b" * 32)
            )
    con.close()


@pytest.mark.parametrize("name", list(DIALECTS))
def test_migration_parses_in_every_dialect(contract, v2, name):
    script = migration(contract, v2, name)
    assert [s for s in sqlglot.parse(script, read=get(name).sqlglot) if s is not None]


@pytest.mark.parametrize(
    "name,marker",
    [
        ("databricks", "REBUILD (STUB"),
        ("bigquery", "REBUILD (STUB"),
        ("snowflake", "REBUILD (STUB"),
    ],
)
def test_rebuild_stub_marked_where_dialect_cannot_alter(contract, v2, name, marker):
    assert marker in migration(contract, v2, name)
