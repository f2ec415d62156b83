"""Relay tables (ingest/relay.py): the plan for names dlt cannot carry, the move SQL per dialect."""

from __future__ import annotations

import duckdb
import pytest
import sqlglot

from contractbook.ingest import relay
from contractbook.sqltext import SqlTextError

ODD = ("sales.orders v2", 'it\'s "quoted"', "a/b\\c", "semi;colon")
PATH = ("my db", "Odd; Schema")


def _hints(table: str, disposition: str = "merge", keys=("re'gion", "order;no")) -> dict:
    cols = [*keys, "total;net", "note"]
    return {
        "name": table,
        "primary_key": list(keys),
        "write_disposition": disposition,
        "columns": {c: {"name": c, "data_type": "text"} for c in cols},
    }


def test_safe_names_are_not_relayed():
    hints = {"name": "orders", "primary_key": ["id"], "write_disposition": "merge", "columns": {}}
    assert relay.plan(hints | {"columns": {"id": {}, "Note (ü)": {}}}) is None


@pytest.mark.parametrize("table", ODD)
def test_a_relay_has_a_safe_deterministic_name_and_safe_aliases(table):
    p = relay.plan(_hints(table))
    assert p is not None and p == relay.plan(_hints(table))
    assert p.relay.startswith(relay.PREFIX) and len(p.relay.encode()) <= 63
    assert not relay.unsafe(p.relay, "table")
    assert all(not relay.unsafe(a, "column") for _, a in p.columns)
    assert [c for c, _ in p.columns] == list(_hints(table)["columns"])
    assert p.alias("note") == "note" and p.alias("total;net") != "total;net"
    assert len({a for _, a in p.columns}) == len(p.columns)


def test_one_unsafe_column_relays_the_whole_table():
    p = relay.plan(_hints("orders"))
    assert p is not None and p.real == "orders" and p.relay != "orders"


def test_relay_hints_are_keyed_by_the_aliases_and_replace():
    hints = _hints("semi;colon")
    p = relay.plan(hints)
    out = relay.relay_hints(hints, p)
    assert out["name"] == p.relay and out["write_disposition"] == "replace"
    assert out["primary_key"] == [p.alias("re'gion"), p.alias("order;no")]
    assert all(k == v["name"] and not relay.unsafe(k, "column") for k, v in out["columns"].items())


# BigQuery is left out: it cannot hold these table names (names_problem refuses them) and reads
# a dotted name inside one pair of backticks as a path
@pytest.mark.parametrize("dialect", ["duckdb", "postgres", "snowflake", "databricks"])
@pytest.mark.parametrize("table", ODD)
def test_move_sql_parses_with_every_name_quoted(dialect, table):
    p = relay.plan(_hints(table))
    sql = relay.move_sql(p, PATH, dialect)
    statements = [sql.create, sql.count_relay, sql.count_real, sql.delete, sql.insert, sql.empty]
    for s in statements:
        assert s
        parsed = sqlglot.parse(s, read=dialect)
        assert len(parsed) == 1, s  # one statement each, never a `;`-joined script
        # Snowflake folds the plain relay name to upper case, as dlt creates it there
        tables = {t.name.lower() for t in parsed[0].find_all(sqlglot.exp.Table)}
        assert tables <= {table.lower(), p.relay} and tables, s
    # composite key: both parts correlate relay row r with real row t
    assert sql.delete.count(" AND ") == 1 and "EXISTS (SELECT 1 FROM" in sql.delete


@pytest.mark.parametrize("dialect", relay.MOVE_DIALECTS)
def test_every_dialect_gets_its_own_quoting(dialect):
    sql = relay.move_sql(relay.plan(_hints("a/b\\c")), PATH, dialect)
    quote = "`" if dialect in ("bigquery", "databricks") else '"'
    assert f"{quote}re'gion{quote}" in sql.insert
    assert sql.delete.startswith("DELETE FROM ")


def test_an_unknown_dialect_is_a_clear_error():
    with pytest.raises(SqlTextError, match="unknown dialect for relay tables 'oracle'; choose"):
        relay.move_sql(relay.plan(_hints("a.b")), PATH, "oracle")


@pytest.mark.parametrize(
    ("disposition", "keys", "after"),
    [("merge", ("re'gion", "order;no"), 3), ("append", (), 4), ("replace", (), 2)],
)
def test_the_move_runs_in_duckdb_by_disposition(disposition, keys, after):
    """Executed statement by statement: merge replaces rows by key, append adds, replace swaps."""
    table = 'it\'s "quoted"; v2.x'
    p = relay.plan(_hints(table))
    p = relay.RelayPlan(p.real, p.relay, p.columns, keys, disposition)
    sql = relay.move_sql(p, ("memory", "Odd; Schema"), "duckdb")
    con = duckdb.connect()
    con.execute('CREATE SCHEMA "Odd; Schema"')
    cols = ", ".join(f'"{a}" VARCHAR' for _, a in p.columns)
    con.execute(f'CREATE TABLE "Odd; Schema"."{p.relay}" ({cols})')
    con.execute(
        f"INSERT INTO \"Odd; Schema\".\"{p.relay}\" VALUES ('A', '1', 'x', NULL), "
        "('A', '2', 'y', NULL)"
    )
    con.execute(sql.create)
    con.execute(sql.insert)  # run 1 loaded these two rows
    con.execute(f"""UPDATE "Odd; Schema"."{p.relay}" SET "{p.alias("order;no")}" = '3'
                WHERE "{p.alias("order;no")}" = '1'""")  # run 2: key 2 again, key 3 new
    con.execute(sql.create)  # exists: kept as it is
    if sql.delete:
        con.execute(sql.delete)
    con.execute(sql.insert)
    con.execute(sql.empty)
    real = '"Odd; Schema"."it\'s ""quoted""; v2.x"'
    assert con.execute(f"SELECT count(*) FROM {real}").fetchone()[0] == after
    assert con.execute(sql.count_relay).fetchone()[0] == 0
    got = [r[0] for r in con.execute(f"DESCRIBE {real}").fetchall()]
    assert got == [c for c, _ in p.columns]


def test_an_unknown_disposition_or_a_merge_without_key_is_a_clear_error():
    p = relay.plan(_hints("a.b"))
    with pytest.raises(SqlTextError, match="unknown write disposition of 'a.b' 'upsert'"):
        relay.move_sql(
            relay.RelayPlan(p.real, p.relay, p.columns, p.keys, "upsert"), PATH, "duckdb"
        )
    with pytest.raises(SqlTextError, match="a merge needs a primary key"):
        relay.move_sql(relay.RelayPlan(p.real, p.relay, p.columns, (), "merge"), PATH, "duckdb")
