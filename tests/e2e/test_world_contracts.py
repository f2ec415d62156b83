"""A world of contracts written in other people's styles: each runs end to end.

validate -> DDL executed in DuckDB and PostgreSQL -> synthetic data with planted defects ->
ingest with dlt (every planted defect rejected with its rule, nothing else; accounting holds)
-> GX pre-load checks flag exactly the planted lines.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from contractbook.contract import load, naming, parse
from contractbook.ddl import DdlError, create, drop

WORLD = Path(__file__).resolve().parents[1] / "fixtures" / "contracts" / "world"
CONTRACTS = sorted(p.stem for p in WORLD.glob("*.yaml"))
DIALECTS = ("duckdb", "postgres", "bigquery", "snowflake", "databricks")
ROWS = 150
# dialects that cannot hold a contract's names (BigQuery: no ; ' ( ) in names, Unity Catalog: no
# space or period in table names)
REFUSED = {
    "v320_odd_names": ("bigquery", "databricks"),
    "v320_unicode_names": ("databricks",),
    "v310_dotted_names": ("bigquery", "databricks"),
}
# loaded through relay tables: table names dlt cannot carry (. ' " / \ ;), a column with ;
RELAYED = "v310_dotted_names"


def test_the_world_is_big_and_varied():
    contracts = [load(WORLD / f"{n}.yaml") for n in CONTRACTS]
    assert len(contracts) >= 15
    assert {c.api_version for c in contracts} == {"v3.0.0", "v3.0.1", "v3.0.2", "v3.1.0", "v3.2.0"}
    kinds = {col.type.kind for c in contracts for t in c.tables for col in t.columns}
    assert {"object", "array", "map", "timestamptz", "time", "boolean", "decimal"} <= kinds
    assert any(not c.tables for c in contracts) and any(not c.raw.get("servers") for c in contracts)
    assert any(len(t.primary_key) > 1 for c in contracts for t in c.tables)
    assert any(len(r.columns) > 1 for c in contracts for r in c.relationships)
    sql = [r for c in contracts for r in c.rules if r.kind == "sql"]
    # SQL rules of several shapes: failing rows (within a row, across rows, grouped), an aggregate
    assert len(sql) >= 5 and any(r.params["rows_tree"] is None for r in sql)


@pytest.mark.parametrize("name", CONTRACTS)
def test_validates_with_each_reading_named(name):
    contract, problems = parse(WORLD / f"{name}.yaml")
    assert contract is not None, [str(p) for p in problems]
    assert all(p.message and p.path is not None for p in problems)


@pytest.mark.parametrize("name", CONTRACTS)
def test_ddl_runs_in_duckdb_and_renders_everywhere(name):
    contract = load(WORLD / f"{name}.yaml")
    con = duckdb.connect()
    con.execute(create(contract, "duckdb"))
    tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert tables == {t.physical for t in contract.tables}  # physicalName is the engine's name
    con.execute(drop(contract, "duckdb"))
    for d in DIALECTS:
        try:
            assert create(contract, d) and drop(contract, d)
        except DdlError as e:  # only a name the engine cannot hold, and the limit is named
            assert d in REFUSED.get(name, ()) and "cannot hold" in str(e), (d, str(e))
        else:
            assert d not in REFUSED.get(name, ())


@pytest.mark.postgres
@pytest.mark.parametrize("name", CONTRACTS)
def test_ddl_runs_in_postgres(name, postgres_dsn):
    import psycopg2

    contract = load(WORLD / f"{name}.yaml")
    with psycopg2.connect(postgres_dsn) as conn, conn.cursor() as cur:
        cur.execute(create(contract, "postgres"))
        cur.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
            (naming.dataset(contract, "postgres"),),
        )
        assert {r[0] for r in cur.fetchall()} == {t.physical for t in contract.tables}
        if contract.tables:  # a DROP script of no tables is only comments
            cur.execute(drop(contract, "postgres"))


def _rejected(con, checks) -> set:
    return {
        (t, line, rule)
        for t in checks
        for line, reasons in con.execute(
            f'SELECT source_line, reject_reasons FROM work."rej_{t}"'
        ).fetchall()
        for rule in json.loads(reasons)
    }


@pytest.mark.slow
@pytest.mark.parametrize("name", CONTRACTS)
def test_end_to_end_every_planted_defect_is_caught(name, tmp_path):
    from contractbook.gx.context import open_context
    from contractbook.gx.proof import compare
    from contractbook.gx.runner import run_preload
    from contractbook.ingest.run import check_all, ingest, new_run
    from contractbook.synth import generate
    from contractbook.synth.tableplant import table_rules
    from contractbook.synth.targets import targets

    contract = load(WORLD / f"{name}.yaml")
    raw = tmp_path / "raw"
    found = targets(contract)  # the generic plug-in's SQL rules: those a mutation may break
    # one defect for every rule a defect kind can break (every target of every kind)
    spec = ",".join(f"{k}={len(v)}" for k, v in found.items() if v) or "all=2"
    result = generate(contract, ROWS, 5, raw, defects=spec, progress=None)
    planted = {(m["table"], int(m["line"]), m["rule_id"]) for m in result.defects}
    assert bool(planted) == bool(contract.tables)
    # every rule is broken once, or listed with the reason no defect can break it
    defects = json.loads((raw / "manifest.json").read_text())["defects"]
    unplanted, table_level = defects["not_plantable"], defects.get("table_level", {})
    rules = {r.id for r in contract.rules}
    assert {p[2] for p in planted} | set(unplanted) | set(table_level) >= rules
    assert all(unplanted.values())
    assert not ({p[2] for p in planted} | set(table_level)) & set(unplanted)
    con = duckdb.connect()
    checks = check_all(con, contract, raw, new_run(), progress=lambda *_: None)
    assert _rejected(con, checks) == planted
    # a one-number SQL rule is a table-level check: it fails exactly when a defect was planted
    verdicts = {r.rule: r.passed for c in checks.values() for r in c.table_rules}
    assert verdicts == {r.id: r.id not in table_level for r in table_rules(contract)}

    loaded = ingest(
        contract,
        raw,
        "duckdb",
        tmp_path / "wh.duckdb",
        tmp_path / "rejects",
        tmp_path / "state",
        progress=lambda *_: None,
    )
    assert loaded.ok, loaded.accounting()
    assert sum(c.rejected for c in loaded.checks.values()) == len({p[:2] for p in planted})

    if contract.tables:
        ctx = open_context(tmp_path / "gx", tmp_path / "docs")
        manifest = pd.read_csv(raw / "defects.csv", dtype=str, keep_default_na=False)
        manifest = manifest[manifest.kind != "sql"]  # GX runs SQL rules post-load (SQL sources)
        rows = pd.DataFrame(compare(run_preload(ctx, contract, raw), contract, manifest))
        assert rows.ok.all(), rows[~rows.ok].to_string()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "clean"),
    [
        ("v320_odd_names", False),
        ("v320_odd_names", True),
        (RELAYED, False),
        (RELAYED, True),
        ("v302_events_mixed_case", False),
        ("v300_crm_customers", True),
    ],
)
def test_ddl_and_ingest_name_the_same_tables(name, clean, tmp_path):
    """physicalName is the warehouse's name: ingest loads into the tables the DDL created."""
    from contractbook.ingest.run import ingest
    from contractbook.synth import generate

    contract = load(WORLD / f"{name}.yaml")
    assert any(
        t.physical != t.name
        or any(c.physical != c.name for c in t.columns)
        or t.name != t.name.lower()
        for t in contract.tables
    )
    schema = naming.loaded_dataset(contract, "duckdb")
    wh = tmp_path / "wh.duckdb"
    # without foreign keys: DuckDB enforces them and dlt loads a child's file before its parent's
    with duckdb.connect(str(wh)) as con:
        con.execute(create(contract, "duckdb", schema=schema, foreign_keys=False))
    raw = tmp_path / "raw"
    generate(contract, ROWS, 5, raw, defects="" if clean else "all=2", progress=None)
    loaded = ingest(
        contract,
        raw,
        "duckdb",
        wh,
        tmp_path / "rejects",
        tmp_path / "state",
        progress=lambda *_: None,
    )
    assert loaded.ok, loaded.accounting()
    with duckdb.connect(str(wh), read_only=True) as con:
        got = {
            r[0]
            for r in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE schema_name = ? "
                "AND table_name NOT LIKE '\\_%' ESCAPE '\\'",
                [schema],
            ).fetchall()
        }
        assert got == {n for t in contract.tables for n in (t.physical, f"{t.physical}__rejects")}
        assert _relays_empty(con.execute, schema, "duckdb", "?") == (name == RELAYED)
        for t in contract.tables:
            cols = [
                r[0]
                for r in con.execute(
                    "SELECT column_name FROM duckdb_columns() "
                    "WHERE schema_name = ? AND table_name = ? "
                    "ORDER BY column_index",
                    [schema, t.physical],
                ).fetchall()
            ]
            assert cols == [c.physical for c in t.columns]
            n = con.execute(
                f"SELECT count(*) FROM {naming_ident(schema)}.{naming_ident(t.physical)}"
            ).fetchone()[0]
            assert n == loaded.loaded[t.name] == loaded.checks[t.name].accepted > 0
    if clean:  # post-load GX reads the warehouse's names: every check runs and passes
        from contractbook.gx.context import open_context
        from contractbook.gx.runner import run_postload

        post = run_postload(
            open_context(tmp_path / "gx", tmp_path / "docs"),
            contract,
            f"duckdb:///{wh}",
            "duckdb",
            schema=schema,
        )
        failed = post.to_frame().query("not success")
        assert failed.empty and post.success and len(post.to_frame()) > 3, failed.to_string()


def naming_ident(name: str, dialect: str = "duckdb") -> str:
    """A quoted identifier."""
    from contractbook.sqltext import ident

    return ident(name, dialect)


@pytest.mark.slow
@pytest.mark.postgres
def test_odd_names_load_into_the_postgres_tables_the_ddl_created(
    tmp_path, postgres_dsn, monkeypatch
):
    """SQL syntax in physicalNames: the Postgres DDL's tables receive the rows, twice (merge)."""
    import psycopg2

    from contractbook.ingest.run import ingest
    from contractbook.synth import generate

    contract = load(WORLD / "v320_odd_names.yaml")
    schema = naming.loaded_dataset(contract, "postgres")
    user, rest = postgres_dsn.split("://", 1)[1].split("@", 1)  # dlt insists on a password
    monkeypatch.setenv(
        "DESTINATION__POSTGRES__CREDENTIALS", f"postgresql://{user.split(':')[0]}:unused@{rest}"
    )
    with psycopg2.connect(postgres_dsn) as conn, conn.cursor() as cur:
        # without foreign keys: dlt's merge deletes and re-inserts parents, which an enforced FK
        # refuses (a limit of merging into FK-constrained tables, whatever the names)
        cur.execute(create(contract, "postgres", schema=schema, foreign_keys=False))
    raw = tmp_path / "raw"
    generate(contract, ROWS, 5, raw, defects="all=2", progress=None)
    for _ in range(2):
        loaded = ingest(
            contract,
            raw,
            "postgres",
            None,
            tmp_path / "rejects",
            tmp_path / "state",
            progress=lambda *_: None,
        )
        assert loaded.ok, loaded.accounting()
    with psycopg2.connect(postgres_dsn) as conn, conn.cursor() as cur:
        cur.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s "
            "AND table_name NOT LIKE '\\_%%'",
            (schema,),
        )
        got = {r[0] for r in cur.fetchall()}
        assert got == {n for t in contract.tables for n in (t.physical, f"{t.physical}__rejects")}
        for t in contract.tables:
            cur.execute(
                f"SELECT count(*) FROM {naming_ident(schema, 'postgres')}."
                f"{naming_ident(t.physical, 'postgres')}"
            )
            assert cur.fetchone()[0] == loaded.checks[t.name].accepted > 0
        cur.execute(f"DROP SCHEMA {naming_ident(schema, 'postgres')} CASCADE")


def _relays_empty(execute, schema: str, dialect: str, mark: str) -> bool:
    """True when the schema holds relay tables (`_cb_relay_*`), every one of them empty."""
    found = execute(
        f"SELECT table_name FROM information_schema.tables WHERE table_schema = {mark} "
        "AND table_name LIKE '\\_cb\\_relay\\_%' ESCAPE '\\'",
        [schema],
    )
    names = [r[0] for r in (found.fetchall() if found is not None else [])]
    for n in names:
        cur = execute(
            f"SELECT count(*) FROM {naming_ident(schema, dialect)}.{naming_ident(n, dialect)}"
        )
        assert cur.fetchone()[0] == 0, n
    return bool(names)


def _ingest_twice_under_exact_names(contract, tmp_path, destination, warehouse, query):
    """Two merge runs: the same counts, no duplicate, tables and rejects under their exact
    names, every relay empty; query(sql, params) -> rows, on the warehouse."""
    from contractbook.ingest.run import ingest
    from contractbook.sqltext import ident
    from contractbook.synth import generate

    dialect = destination
    schema = naming.loaded_dataset(contract, destination)
    raw = tmp_path / "raw"
    generate(contract, ROWS, 5, raw, defects="all=2", progress=None)
    runs = [
        ingest(
            contract,
            raw,
            destination,
            warehouse,
            tmp_path / "rejects",
            tmp_path / "state",
            progress=lambda *_: None,
        )
        for _ in range(2)
    ]
    assert all(r.ok for r in runs), [r.accounting() for r in runs]
    assert runs[0].loaded == runs[1].loaded and runs[0].rejected_loaded == runs[1].rejected_loaded
    mark = "?" if dialect == "duckdb" else "%s"
    got = {
        r[0]
        for r in query(
            f"SELECT table_name FROM information_schema.tables WHERE table_schema = {mark}",
            [schema],
        )
    }
    wanted = {n for t in contract.tables for n in (t.physical, f"{t.physical}__rejects")}
    assert wanted <= got and all(n.startswith("_") for n in got - wanted)
    assert any(n.startswith("_cb_relay_") for n in got)
    for t in contract.tables:
        real = f"{ident(schema, dialect)}.{ident(t.physical, dialect)}"
        rej = f"{ident(schema, dialect)}.{ident(t.physical + '__rejects', dialect)}"
        keys = ", ".join(ident(t.column(k).physical, dialect) for k in t.primary_key) or "1"
        n, distinct = query(
            f"SELECT count(*), count(DISTINCT ({keys})) FROM {real}"
            if t.primary_key
            else f"SELECT count(*), count(*) FROM {real}",
            [],
        )[0]
        assert n == distinct == runs[1].loaded[t.name] == runs[1].checks[t.name].accepted > 0
        total, still_open = query(
            f"SELECT count(*), count(*) - count(resolved_by_run) FROM {rej}", []
        )[0]
        assert still_open == runs[1].rejected_loaded[t.name] == runs[1].checks[t.name].rejected
        assert total == 2 * still_open
    for n in (n for n in got if n.startswith("_cb_relay_")):  # moved: no row is stored twice
        assert query(f"SELECT count(*) FROM {ident(schema, dialect)}.{ident(n, dialect)}", []) == [
            (0,)
        ]


@pytest.mark.slow
def test_relayed_names_load_twice_under_their_exact_names_in_duckdb(tmp_path):
    """Names dlt cannot carry, no DDL first: the relay creates the real tables, merges twice."""
    contract = load(WORLD / f"{RELAYED}.yaml")
    wh = tmp_path / "wh.duckdb"

    def query(sql, params):
        with duckdb.connect(str(wh), read_only=True) as con:
            return con.execute(sql, params).fetchall()

    _ingest_twice_under_exact_names(contract, tmp_path, "duckdb", wh, query)


@pytest.mark.slow
@pytest.mark.postgres
def test_relayed_names_load_twice_into_the_postgres_ddl_tables(tmp_path, postgres_dsn, monkeypatch):
    """The same into PostgreSQL tables the DDL created (used as they are)."""
    import psycopg2

    contract = load(WORLD / f"{RELAYED}.yaml")
    schema = naming.loaded_dataset(contract, "postgres")
    user, rest = postgres_dsn.split("://", 1)[1].split("@", 1)  # dlt insists on a password
    monkeypatch.setenv(
        "DESTINATION__POSTGRES__CREDENTIALS", f"postgresql://{user.split(':')[0]}:unused@{rest}"
    )
    with psycopg2.connect(postgres_dsn) as conn, conn.cursor() as cur:
        cur.execute(create(contract, "postgres", schema=schema, foreign_keys=False))
        cur.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = %s", (schema,)
        )
        assert cur.fetchone()[0] == len(contract.tables)

    def query(sql, params):
        with psycopg2.connect(postgres_dsn) as conn, conn.cursor() as cur:
            cur.execute(sql, params or None)
            return cur.fetchall()

    try:
        _ingest_twice_under_exact_names(contract, tmp_path, "postgres", None, query)
    finally:
        with psycopg2.connect(postgres_dsn) as conn, conn.cursor() as cur:
            cur.execute(f"DROP SCHEMA {naming_ident(schema, 'postgres')} CASCADE")


@pytest.mark.slow
def test_a_move_that_counts_other_rows_fails_the_run_and_keeps_the_real_table(
    tmp_path, monkeypatch
):
    """A relay move inserting twice its rows: rolled back, the run fails with one clear error
    (exit code 3), recorded as failed with the accounting not OK."""
    from contractbook import runhistory
    from contractbook.errors import ENVIRONMENT, exit_code
    from contractbook.ingest import relay
    from contractbook.ingest.run import ingest
    from contractbook.synth import generate

    contract = load(WORLD / f"{RELAYED}.yaml")
    real = relay.move_sql

    def doubled(p, path, dialect):
        sql = real(p, path, dialect)
        source = sql.insert.split(" SELECT ", 1)[1]
        return replace(sql, insert=f"{sql.insert} UNION ALL SELECT {source}")

    monkeypatch.setattr(relay, "move_sql", doubled)
    raw, wh = tmp_path / "raw", tmp_path / "wh.duckdb"
    generate(contract, ROWS, 5, raw, defects="", progress=None)
    with pytest.raises(relay.RelayError) as e:
        ingest(contract, raw, "duckdb", wh, tmp_path / "rej", tmp_path / "state", progress=print)
    assert exit_code(e.value) == ENVIRONMENT and "\n" not in str(e.value)
    assert "'sales.orders v2': moving its rows from the relay table" in str(e.value)
    assert "were moved" in str(e.value)
    schema = naming.loaded_dataset(contract, "duckdb")
    with duckdb.connect(str(wh), read_only=True) as con:
        for t in contract.tables:  # created by the relay, but nothing moved into it
            q = f"SELECT count(*) FROM {naming_ident(schema)}.{naming_ident(t.physical)}"
            assert con.execute(q).fetchone()[0] == 0
    with duckdb.connect(str(runhistory.store_near(wh, tmp_path / "rej")), read_only=True) as con:
        status, error, accounting = con.execute(
            "SELECT status, error, accounting FROM main._runs WHERE origin = 'ingest'"
        ).fetchone()
    assert status == "failed" and error == "accounting failed"
    assert json.loads(accounting)["orders"]["loaded"] == 0


@pytest.mark.slow
def test_rows_an_earlier_run_left_in_a_relay_are_moved_before_the_next_load(tmp_path):
    """A run killed between dlt's load and the move leaves rows in the relay: the next run
    moves them into the real table before its own load replaces the relay."""
    from contractbook.ingest import relay
    from contractbook.ingest.run import ingest
    from contractbook.synth import generate

    contract = load(WORLD / f"{RELAYED}.yaml")
    raw, wh = tmp_path / "raw", tmp_path / "wh.duckdb"
    generate(contract, ROWS, 5, raw, defects="", progress=None)
    args = (contract, raw, "duckdb", wh, tmp_path / "rej", tmp_path / "state")
    assert ingest(*args, progress=lambda *_: None).ok
    schema = naming.loaded_dataset(contract, "duckdb")
    relayed = f"{naming_ident(schema)}.{naming_ident(relay.relay_name('semi;colon'))}"
    with duckdb.connect(str(wh)) as con:
        con.execute(f"INSERT INTO {relayed} VALUES (999999, 'left behind')")
    second = ingest(*args, progress=lambda *_: None)
    assert second.ok and second.loaded["semi"] == ROWS
    with duckdb.connect(str(wh), read_only=True) as con:
        real = f"{naming_ident(schema)}.{naming_ident('semi;colon')}"
        assert con.execute(f"SELECT count(*) FROM {real}").fetchone()[0] == ROWS + 1
        left = con.execute(f'SELECT "no;te" FROM {real} WHERE id = 999999').fetchall()
        assert left == [("left behind",)]
        assert con.execute(f"SELECT count(*) FROM {relayed}").fetchone()[0] == 0


def test_a_destination_without_sql_client_refuses_such_names_before_creating_anything(tmp_path):
    """The filesystem (Delta) destination cannot move a relay's rows: a usage error (exit 2)
    naming the character and the reason, before any folder is made."""
    from contractbook.errors import USAGE, UsageError, exit_code
    from contractbook.ingest.run import ingest
    from contractbook.synth import generate

    contract = load(WORLD / f"{RELAYED}.yaml")
    raw = tmp_path / "raw"
    generate(contract, 5, 5, raw, defects="", progress=None)
    with pytest.raises(UsageError) as e:
        ingest(contract, raw, "filesystem", tmp_path / "delta", tmp_path / "rej", tmp_path / "st")
    assert exit_code(e.value) == USAGE
    assert "'.' in 'sales.orders v2'" in str(e.value) and "no SQL client" in str(e.value)
    assert not (tmp_path / "delta").exists() and not (tmp_path / "st").exists()
