"""Hostile text in every free-text field of the contract stays text, through every step.

The contract copy (tests/support/hostile.py) carries quotes, `;`, comments, CR/LF, backslashes,
non-ASCII and 10,000 characters in its id, name, version, domain, descriptions, relationship ids,
rule names and descriptions, tags and server fields, and its SQL rules hide `COPY ... TO` in
comments. Every step must run it without creating a table or schema the contract does not
declare, without reading or writing the canary files, and keep the text exactly where it is stored.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest
import sqlglot
import yaml
from sqlglot import exp

from contractbook import sqltext
from contractbook.contract import load, naming, parse
from contractbook.ddl.generate import create, drop
from contractbook.ingest import report
from support.hostile import CANARY_TEXT, SCHEMA, hostile_contract

# the contract's server schema, sanitized into a plain dataset name (contract.naming.dataset)
DATASET = naming.slug(SCHEMA)
REJECTS = "rejects 'x\"; --"  # a user path with quotes reaches SQL only as a bound/escaped value
DLT_TABLES = {"_dlt_loads", "_dlt_pipeline_state", "_dlt_version", "_run_metrics"}


def _only_the_contracts(got: set, names: list[str]) -> bool:
    """The warehouse holds the contract's tables, their rejects and dlt's own, in the contract's
    dataset, and nothing else but dlt's staging copy of merged tables."""
    tables = {*names, *(f"{n}__rejects" for n in names), *DLT_TABLES}
    main = {n for s, n in got if s == DATASET}
    staging = {n for s, n in got if s == f"{DATASET}_staging"}
    return (
        main == tables
        and staging <= tables
        and all(s in (DATASET, f"{DATASET}_staging") for s, _ in got)
    )


def _cli(*args, cwd=None, timeout=600) -> subprocess.CompletedProcess:
    """Run the CLI; output decoded without newline translation (a CR in the text stays a CR)."""
    out = subprocess.run(
        [sys.executable, "-m", "contractbook", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        timeout=timeout,
    )
    out.stdout, out.stderr = out.stdout.decode("utf-8"), out.stderr.decode("utf-8", "replace")
    return out


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, contract_path):
    """(dir, contract path, YAML document, loaded contract); the canary holds CANARY_TEXT."""
    d = tmp_path_factory.mktemp("hostile")
    (d / "canary.txt").write_text(CANARY_TEXT, encoding="utf-8")
    path = d / "contract.yaml"
    doc = hostile_contract(contract_path, path, d / "canary.txt", d / "canary_out.csv")
    return d, path, doc, load(path)


def _no_canary(d: Path) -> None:
    assert not (d / "canary_out.csv").exists()
    assert sorted(p.name for p in d.iterdir() if p.name.startswith("canary")) == ["canary.txt"]


def _descriptions(doc: dict) -> tuple[dict, dict]:
    tables = {o["name"]: o["description"].strip() for o in doc["schema"]}
    columns = {
        (o["name"], p["name"]): p["description"].strip()
        for o in doc["schema"]
        for p in o["properties"]
    }
    return tables, columns


def test_validate_keeps_every_text_exactly(hostile):
    d, path, doc, contract = hostile
    out = _cli("validate", path)
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
    assert (contract.id, contract.name, contract.version) == (
        doc["id"],
        doc["name"],
        doc["version"],
    )
    assert contract.description == doc["description"]["purpose"].strip()
    tables, columns = _descriptions(doc)
    assert {t.name: t.description for t in contract.tables} == tables
    assert len(contract.id) > 10_000 and "\n" in contract.id and "\r" in contract.id
    rel_ids = {r.id for r in contract.relationships}
    assert any("\n" in r for r in rel_ids) and any("\r" in r for r in rel_ids)


def test_ddl_runs_in_duckdb_with_exact_comments_and_nothing_else(hostile):
    import duckdb

    d, path, doc, contract = hostile
    con = duckdb.connect()
    before = set(con.sql("SELECT schema_name FROM information_schema.schemata").fetchall())
    con.execute(create(contract, "duckdb"))
    schemas = set(con.sql("SELECT schema_name FROM information_schema.schemata").fetchall())
    assert schemas - before == {(SCHEMA,)}
    got = con.sql("SELECT schema_name, table_name, comment FROM duckdb_tables()").fetchall()
    tables, columns = _descriptions(doc)
    assert {(s, t): c for s, t, c in got} == {(SCHEMA, t): c for t, c in tables.items()}
    cols = con.sql(
        "SELECT table_name, column_name, comment FROM duckdb_columns() WHERE schema_name = $1",
        params=[SCHEMA],
    ).fetchall()
    assert {(t, c): m for t, c, m in cols if m is not None} == columns
    con.execute(drop(contract, "duckdb"))
    assert con.sql("SELECT count(*) FROM duckdb_tables()").fetchall() == [(0,)]
    _no_canary(d)


@pytest.mark.postgres
def test_ddl_runs_in_postgres_with_exact_comments_and_nothing_else(hostile, postgres_dsn):
    import psycopg2

    d, path, doc, contract = hostile
    con = psycopg2.connect(postgres_dsn)
    con.autocommit = True
    cur = con.cursor()
    user_schemas = (
        "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' "
        "AND nspname <> 'information_schema'"
    )
    cur.execute(user_schemas)
    before = set(cur.fetchall())
    cur.execute(create(contract, "postgres"))
    try:
        cur.execute(user_schemas)
        assert set(cur.fetchall()) - before == {(SCHEMA,)}
        cur.execute(
            "SELECT c.relname, obj_description(c.oid, 'pg_class') FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND c.relkind = 'r'",
            [SCHEMA],
        )
        tables, columns = _descriptions(doc)
        assert dict(cur.fetchall()) == tables
        cur.execute(
            "SELECT c.relname, a.attname, col_description(c.oid, a.attnum) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a "
            "ON a.attrelid = c.oid AND a.attnum > 0 WHERE n.nspname = %s "
            "AND c.relkind = 'r'",
            [SCHEMA],
        )
        assert {(t, c): m for t, c, m in cur.fetchall() if m is not None} == columns
        cur.execute(drop(contract, "postgres"))
        cur.execute("SELECT count(*) FROM pg_tables WHERE schemaname = %s", [SCHEMA])
        assert cur.fetchone()[0] == 0
    finally:
        cur.execute(f"DROP SCHEMA IF EXISTS {sqltext.ident(SCHEMA, 'postgres')} CASCADE")
        con.close()
    _no_canary(d)


@pytest.mark.parametrize("dialect", ["bigquery", "snowflake", "databricks"])
def test_ddl_of_other_dialects_parses_to_creates_with_exact_comments(hostile, dialect):
    """Not executable here: sqlglot, reading each dialect, must see only the expected statements,
    and every description back exactly as a string literal."""
    d, path, doc, contract = hostile
    trees = [t for t in sqlglot.parse(create(contract, dialect), read=dialect) if t]
    kinds = {type(t).__name__ for t in trees}
    assert kinds <= {"Create", "Use"}, kinds
    creates = [t for t in trees if isinstance(t, exp.Create)]
    assert len(creates) == 1 + len(contract.tables)  # the schema and the tables
    strings = {s.this for t in trees for s in t.find_all(exp.Literal) if s.is_string}
    tables, columns = _descriptions(doc)
    assert set(tables.values()) | set(columns.values()) <= strings


@pytest.fixture(scope="module")
def ingested(hostile, contract_path):
    """Small synthetic data with defects, ingested with the hostile contract."""
    d, path, doc, contract = hostile
    out = _cli(
        "synth",
        "--n-orders",
        200,
        "--defects",
        "all=1",
        "--out",
        d / "raw",
        "--contract",
        contract_path,
        "--quiet",
    )
    assert out.returncode == 0, out.stderr
    out = _cli(
        "ingest",
        path,
        "--data",
        d / "raw",
        "--warehouse",
        d / "w.duckdb",
        "--rejects",
        d / REJECTS,
        "--state",
        d / "state",
        cwd=d,
    )
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    return d / "w.duckdb"


def test_ingest_stores_contract_text_exactly_and_no_extra_table(hostile, ingested):
    import duckdb

    d, path, doc, contract = hostile
    con = duckdb.connect(str(ingested), read_only=True)
    got = set(con.sql("SELECT table_schema, table_name FROM information_schema.tables").fetchall())
    names = contract.table_names
    assert _only_the_contracts(got, names)
    rejects = con.sql(
        "SELECT DISTINCT contract_id, contract_version FROM ("
        + " UNION ALL ".join(
            f'SELECT contract_id, contract_version FROM {DATASET}."{n}__rejects"' for n in names
        )
        + ")"
    ).fetchall()
    assert rejects == [(doc["id"], doc["version"])]
    metrics = con.sql(
        f"SELECT DISTINCT contract_id, contract_version FROM {DATASET}._run_metrics"
    ).fetchall()
    assert metrics == [(doc["id"], doc["version"])]
    # the SQL rule ran (its comment, with a COPY in it, did not): it rejected its planted row
    sql_rejects = con.sql(
        f"SELECT count(*) FROM {DATASET}.orders__rejects "
        "WHERE reject_reasons LIKE '%orders.sql.order_timestamps_ordered%'"
    ).fetchall()
    assert sql_rejects[0][0] >= 1
    # rule ids carrying relationship ids with line breaks come back exactly
    fk_ids = {r.id for r in contract.rules if r.kind == "foreign_key"}
    reasons = {
        x
        for (j,) in con.sql(f"SELECT reject_reasons FROM {DATASET}.order_items__rejects").fetchall()
        for x in json.loads(j)
    }
    assert reasons and reasons <= {r.id for r in contract.rules_for("order_items")} | {
        f"order_items.csv.{k}" for k in ("column_count", "quoting", "encoding")
    }
    assert any(r in fk_ids for r in reasons)
    texts = con.sql(
        f"SELECT string_agg(CAST(COLUMNS(*) AS VARCHAR), '') FROM {DATASET}.orders__rejects"
    ).fetchall()
    assert CANARY_TEXT not in str(texts)
    run_id = con.sql(f"SELECT DISTINCT run_id FROM {DATASET}._run_metrics").fetchall()[0][0]
    # the rejects' Parquet under a quoted path reads back: one sample set per table with rejects
    samples = report.samples(d / REJECTS, run_id)
    for n in names:
        reasons = {
            x
            for (j,) in con.sql(f'SELECT reject_reasons FROM {DATASET}."{n}__rejects"').fetchall()
            for x in json.loads(j)
        }
        assert (set(samples[n]["reason"]) if n in samples else set()) == reasons, n
    _no_canary(d)


def test_gx_on_the_hostile_contract(hostile, ingested):
    d, path, doc, contract = hostile
    out = _cli(
        "gx",
        "check",
        "--url",
        f"duckdb:///{ingested}",
        "--state",
        d / "gx",
        "--docs",
        d / "docs",
        "--warn-only",
        path,
        cwd=d,
        timeout=900,
    )
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    assert CANARY_TEXT not in out.stdout + out.stderr
    import duckdb

    con = duckdb.connect(str(ingested), read_only=True)
    names = contract.table_names
    got = set(con.sql("SELECT table_schema, table_name FROM information_schema.tables").fetchall())
    con.close()
    assert _only_the_contracts(got, names)
    suites = d / "suites"
    assert _cli("gx", "suites", "--out", suites, path).returncode == 0
    orders = json.loads((suites / "duckdb" / "orders.json").read_text(encoding="utf-8"))
    rule = next(e for e in orders["expectations"] if e["meta"]["kind"] == "sql")
    assert "COPY" not in rule["kwargs"]["unexpected_rows_query"]
    same = next(r for r in contract.rules_for("orders") if r.id == rule["meta"]["rule_id"])
    assert rule["meta"]["description"] == same.description
    _no_canary(d)


def test_dlt_pipeline_module_imports_with_the_text_as_data(hostile, tmp_path):
    d, path, doc, contract = hostile
    out = _cli("dlt-pipeline", path, "--out", tmp_path / "dlt")
    assert out.returncode == 0, out.stderr
    spec = importlib.util.spec_from_file_location(
        "hostile_pipeline", tmp_path / "dlt" / "pipeline.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules["hostile_pipeline"] = module  # dlt's decorators look their module up there
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules["hostile_pipeline"]
    assert module.__doc__ == (
        f"Standalone dlt pipeline for {contract.name}: python pipeline.py [DATA_DIR]."
    )
    assert module.TABLES == contract.dependency_order
    assert set(module.HINTS) == set(contract.table_names)
    readme = (tmp_path / "dlt" / "README.md").read_text(encoding="utf-8")
    # the header comment ends only where the generator ends it, right before the title
    assert readme.index("-->") == readme.index("-->\n\n# dlt pipeline for ")
    _no_canary(d)


def test_diff_of_two_hostile_versions_migrates_in_duckdb(hostile, tmp_path, contract_path):
    import duckdb

    d, path, doc, contract = hostile
    old_path, new_path = tmp_path / "old.yaml", tmp_path / "new.yaml"
    hostile_contract(contract_path, old_path, d / "canary.txt", d / "canary_out.csv", "1.0.0")
    new = yaml.safe_load(path.read_text(encoding="utf-8"))
    new["version"] = "1.1.0"
    orders = next(o for o in new["schema"] if o["name"] == "orders")
    orders["description"] = "changed\n-- */ DROP TABLE orders; '\\"
    orders["properties"].append(
        {
            "name": "note",
            "logicalType": "string",
            "description": "new column\r\nDROP TABLE customers; --",
        }
    )
    new_path.write_text(
        yaml.safe_dump(new, sort_keys=False, allow_unicode=True, width=100_000), encoding="utf-8"
    )
    out = _cli("diff", old_path, new_path, "--dialect", "duckdb", "--date", "2026-12-01")
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    migration = out.stdout[out.stdout.index("-- Migration for DuckDB") :]
    migration = migration[: migration.index("\n```")] if "\n```" in migration else migration
    con = duckdb.connect()
    old = load(old_path)
    con.execute(create(old, "duckdb"))
    con.execute(migration)
    got = dict(con.sql("SELECT table_name, comment FROM duckdb_tables()").fetchall())
    assert set(got) == set(old.table_names)
    assert got["orders"] == orders["description"].strip()
    cols = dict(
        con.sql(
            "SELECT column_name, comment FROM duckdb_columns() WHERE table_name = 'orders'"
        ).fetchall()
    )
    assert cols["note"] == "new column\r\nDROP TABLE customers; --"
    _no_canary(d)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        (("description", "purpose"), "nul\x00byte"),
        (("schema", 0, "description"), "bell\x07"),
        (("schema", 0, "properties", 0, "description"), "escape\x1b[31m"),
    ],
)
def test_control_characters_are_refused_naming_the_field(tmp_path, contract_path, field, value):
    doc = yaml.safe_load(contract_path.read_text(encoding="utf-8"))
    node = doc
    for k in field[:-1]:
        node = node[k]
    node[field[-1]] = value
    path = tmp_path / "c.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    contract, problems = parse(path)
    errors = [p for p in problems if p.severity == "error"]
    assert contract is None
    position = next(i for i, ch in enumerate(value) if ord(ch) < 32)
    assert [p.message for p in errors] == [
        f"text contains the control character U+{ord(value[position]):04X} at position {position}"
    ]


def test_stable_ids_refuse_hostile_text(tmp_path, contract_path):
    """ODCS gives quality rule ids a pattern: hostile text there is an ODCS error, not SQL."""
    doc = yaml.safe_load(contract_path.read_text(encoding="utf-8"))
    orders = next(o for o in doc["schema"] if o["name"] == "orders")
    orders["quality"][0]["id"] = "x'; DROP TABLE orders; --"
    path = tmp_path / "c.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    contract, problems = parse(path)
    assert contract is None
    assert [p.message for p in problems] == [
        "not valid ODCS: \"x'; DROP TABLE orders; --\" does not match '^[A-Za-z0-9_-]+$'"
    ]
