"""Bring your own contract: versions, the one type table, engine type spellings, names."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from contractbook.contract import load, naming, parse
from contractbook.contract.kinds import TYPE_KINDS
from contractbook.contract.types import TypeProblem, resolve
from contractbook.contract.versions import VERSIONS, schema_path
from contractbook.ddl import DIALECTS, DdlError, create, get

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "contracts"
MINIMAL = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")


def _write(tmp_path, text: str) -> Path:
    p = tmp_path / "c.yaml"
    p.write_text(text, encoding="utf-8")
    return p


# --- versions ----------------------------------------------------------------------------------


def test_every_version_has_its_official_schema_installed():
    import json

    for api, v in VERSIONS.items():
        schema = json.loads(schema_path(api).read_text(encoding="utf-8"))
        assert api in schema["properties"]["apiVersion"]["enum"], (api, v.package)


@pytest.mark.parametrize("api", ["v3.1.0"])  # v3.0 has no relationships at all
def test_older_versions_read_v32_fields_with_a_warning(tmp_path, api):
    contract, problems = parse(
        _write(tmp_path, MINIMAL.replace("apiVersion: v3.2.0", f"apiVersion: {api}"))
    )
    assert contract is not None and contract.api_version == api
    assert any("relationship `id` is ODCS v3.2" in w.message for w in contract.warnings)
    assert contract.relationships[0].id == "orders_customer"


def test_v300_says_which_schema_checks_it():
    contract = load(FIXTURES / "world" / "v300_crm_customers.yaml")
    assert any(
        "v3.0.0 has no JSON Schema release of its own" in w.message for w in contract.warnings
    )


def test_v30_forms_are_read_with_a_warning_each():
    contract = load(FIXTURES / "world" / "v300_crm_customers.yaml")
    said = " ".join(w.message for w in contract.warnings)
    assert "`rule: validValues` is read as" in said and "read as a timestamp" in said
    assert contract.table("customers").column("segment").allowed_values == (
        "retail",
        "business",
        "vip",
    )


def test_v30_rules_not_enforced_are_warnings():
    contract = load(FIXTURES / "world" / "v301_inventory_pg.yaml")
    assert "quality rule 'nullCheck' is declared but not enforced by contractbook" in [
        w.message for w in contract.warnings
    ]


def test_a_field_the_version_does_not_know_is_an_error(tmp_path):
    text = MINIMAL.replace("apiVersion: v3.2.0", "apiVersion: v3.1.0").replace(
        "status: draft\n", "status: draft\ncontext: {}\n", 1
    )
    contract, problems = parse(_write(tmp_path, text))
    assert contract is None and any("context" in p.message for p in problems)


def test_missing_schema_tells_to_run_make_setup(tmp_path, monkeypatch):
    import importlib

    from contractbook.contract import versions

    load_mod = importlib.import_module("contractbook.contract.load")

    monkeypatch.setattr(versions, "SCHEMA_DIR", tmp_path / "nowhere")
    load_mod._odcs_validator.cache_clear()
    try:
        contract, problems = parse(_write(tmp_path, MINIMAL))
    finally:
        load_mod._odcs_validator.cache_clear()
    assert contract is None and "make setup" in problems[0].fix
    assert "not installed" in problems[0].message


def test_contract_without_schema_loads_with_no_tables(tmp_path):
    text = MINIMAL[: MINIMAL.index("schema:")]
    assert "schema" not in text.split("\n", 1)[1]
    contract = load(_write(tmp_path, text))
    assert contract.tables == () and create(contract, "postgres")


# --- never stricter than the standard ----------------------------------------------------------


def test_primary_key_without_required_is_not_null_with_a_warning(tmp_path):
    text = MINIMAL.replace(
        "        primaryKey: true\n        required: true\n", "        primaryKey: true\n", 1
    )
    contract = load(_write(tmp_path, text))
    assert contract.table("orders").column("order_id").required
    assert any("is not `required`: read as required" in w.message for w in contract.warnings)
    assert '"order_id" TEXT NOT NULL' in create(contract, "postgres")


@pytest.mark.parametrize("name", ["Order Items", "Kundenstraße", "Montant €", "eventId", "9lives"])
def test_names_with_capitals_spaces_and_symbols_are_quoted_everywhere(tmp_path, name):
    text = MINIMAL.replace("      - name: customer_state\n", f"      - name: {name}\n", 1)
    contract = load(_write(tmp_path, text))
    con = duckdb.connect()
    con.execute(create(contract, "duckdb"))
    cols = {r[0] for r in con.execute("SELECT column_name FROM duckdb_columns()").fetchall()}
    assert name in cols
    for d in DIALECTS:
        assert get(d).ident(name).strip('"`').replace('""', '"') in (name, name.upper())


def test_snowflake_folds_only_plain_lower_case_names():
    sf = get("snowflake")
    assert sf.ident("orders") == '"ORDERS"' and sf.ident("eventId") == '"eventId"'


def test_names_an_engine_cannot_hold_are_refused_naming_the_limit(tmp_path):
    long = "x" * 64
    text = MINIMAL.replace("      - name: customer_state\n", f"      - name: {long}\n", 1)
    contract = load(_write(tmp_path, text))
    assert create(contract, "duckdb")
    with pytest.raises(DdlError, match="PostgreSQL names hold at most 63 bytes"):
        create(contract, "postgres")


def test_sql_syntax_in_a_name_is_quoted_and_a_line_break_refused(tmp_path):
    text = MINIMAL.replace("- name: orders\n", '- name: "a;b\'c"\n', 1)
    contract = load(_write(tmp_path, text))
    assert "a;b'c" in contract.table_names
    text = MINIMAL.replace("- name: customers\n", '- name: "a\\nb"\n', 1)
    contract, problems = parse(_write(tmp_path, text))
    assert contract is None and "contains the control character U+000A" in problems[0].message


# --- the one type table ------------------------------------------------------------------------


def test_every_kind_has_every_field_for_every_engine():
    for k in TYPE_KINDS.values():
        assert set(k.sql) == set(DIALECTS), k.name
        assert k.json_schema and k.dlt and k.cast and k.synth, k.name
        assert set(k.gx_types) == {"duckdb", "postgres"}, k.name


@pytest.mark.parametrize(
    "physical,logical,kind",
    [
        ("int4", "integer", "integer"),
        ("int8", "integer", "bigint"),
        ("serial", "integer", "integer"),
        ("bigserial", "integer", "bigint"),
        ("uuid", "string", "string"),
        ("bpchar(3)", "string", "string"),
        ("float8", "number", "double"),
        ("timestamptz", "timestamp", "timestamptz"),
        ("timestamp with time zone", "timestamp", "timestamptz"),
        ("jsonb", "object", "object"),
        ("text[]", "array", "array"),
        ("INT64", "integer", "bigint"),
        ("FLOAT64", "number", "double"),
        ("NUMERIC(12,3)", "number", "decimal"),
        ("BIGNUMERIC", "number", "decimal"),
        ("NUMBER(38,0)", "integer", "bigint"),
        ("NUMBER(10,2)", "number", "decimal"),
        ("VARIANT", "object", "object"),
        ("TIMESTAMP_NTZ", "timestamp", "timestamp"),
        ("ARRAY<STRING>", "array", "array"),
        ("MAP<STRING, INT>", "map", "map"),
        ("STRUCT<a INT>", "object", "object"),
        ("MEDIUMINT", "integer", "integer"),
        ("LONGTEXT", "string", "string"),
        ("NVARCHAR(50)", "string", "string"),
        ("BIT", "boolean", "boolean"),
        ("DATETIME2", "timestamp", "timestamp"),
        ("DATETIMEOFFSET", "timestamp", "timestamptz"),
        ("varchar(max)", "string", "string"),
        ("timestamp", "date", "timestamp"),
    ],
)
def test_engine_spellings_resolve(physical, logical, kind):
    assert resolve(logical, physical, {}).kind == kind


def test_uuid_keeps_its_length_and_unknown_types_stay_errors():
    assert resolve("string", "uuid", {}).length == 36
    with pytest.raises(TypeProblem, match="not understood"):
        resolve("string", "geography", {})


@pytest.mark.parametrize(
    "kind,good,bad",
    [("object", '{"a": 1}', "[1]"), ("array", "[1, 2]", '{"a": 1'), ("map", '{"k": "v"}', "nope")],
)
def test_json_kinds_cast_only_valid_json_of_their_shape(kind, good, bad):
    from contractbook.contract.model import Column
    from contractbook.contract.types import ColumnType
    from contractbook.ingest.castmap import cast_expr

    col = Column("c", ColumnType(kind), kind, None, False)
    con = duckdb.connect()
    got = con.execute(
        f"SELECT {cast_expr(col, '$1')} IS NOT NULL, {cast_expr(col, '$2')} IS NULL", [good, bad]
    ).fetchone()
    assert got == (True, True)


# --- names from the contract -------------------------------------------------------------------


def test_dataset_comes_from_the_server_of_the_destination_else_the_name(tmp_path):
    contract = load(FIXTURES / "world" / "v310_sales_composite.yaml")
    assert naming.dataset(contract, "postgres") == "sales"
    tiny = load(FIXTURES / "world" / "v310_no_servers_minimal.yaml")
    assert naming.dataset(tiny, "duckdb") == "tiny"


def test_pipeline_names_are_sanitized_from_the_contract():
    contract = load(FIXTURES / "world" / "v320_arrays_maps.yaml")
    assert naming.pipeline_name(contract, "duckdb") == "contractbook_user_profiles_duckdb"
    assert naming.slug("urn:x:y") == "urn_x_y" and naming.slug("Boutique Paris") == "boutique_paris"
    assert naming.slug("9 lives") == "c_9_lives"


def test_physical_names_are_the_engines_and_must_be_distinct(tmp_path):
    text = MINIMAL.replace(
        "- name: orders\n", '- name: orders\n    physicalName: "Order\'s Table"\n', 1
    )
    contract = load(_write(tmp_path, text))
    assert contract.table("orders").physical == "Order's Table"
    assert '"Order\'s Table"' in create(contract, "duckdb")
    clash = MINIMAL.replace("- name: orders\n", "- name: orders\n    physicalName: customers\n", 1)
    contract, problems = parse(_write(tmp_path, clash))
    assert (
        contract is None
        and "table physical name 'customers' is declared twice"
        in [p.message for p in problems if p.severity == "error"][0]
    )


@pytest.mark.parametrize(
    ("name", "char"), [("a.b", "."), ("it's", "'"), ('x"y', '"'), ("a\\b", "\\"), ("s;c", ";")]
)
def test_names_dlt_cannot_carry_are_relayed_or_refused_naming_the_reason(tmp_path, name, char):
    """A SQL destination loads them through a relay table; one without a SQL client refuses
    them, and an engine that cannot hold a character refuses it as its DDL does."""
    from contractbook.ingest.destinations import get
    from contractbook.ingest.hints import dlt_problem, names_problem

    phys = name.replace("\\", "\\\\").replace('"', '\\"')
    text = MINIMAL.replace("- name: orders\n", f'- name: orders\n    physicalName: "{phys}"\n', 1)
    table = load(_write(tmp_path, text)).table("orders")
    assert table.physical == name and repr(char) in dlt_problem(table)
    assert names_problem(table, get("duckdb")) == names_problem(table, get("postgres")) == ""
    refused = names_problem(table, get("filesystem"))
    assert "load-file paths" in refused and "no SQL client" in refused
    assert "cannot hold" in names_problem(table, get("bigquery"))
    ok = MINIMAL.replace(
        "- name: orders\n", '- name: orders\n    physicalName: "Ordres (v2), Ü"\n', 1
    )
    assert names_problem(load(_write(tmp_path, ok)).table("orders"), get("filesystem")) == ""


@pytest.mark.parametrize(
    ("threshold", "warned"),
    [("mustBe: 0", False), ("mustBeLessThan: 5", True), ("mustBe: 2", True)],
)
def test_a_sql_rule_tolerance_ingest_does_not_apply_is_a_warning(tmp_path, threshold, warned):
    text = (
        "apiVersion: v3.1.0\nkind: DataContract\nid: urn:x:tol\nname: tol\nversion: 1.0.0\n"
        "status: active\nschema:\n  - name: t\n    quality:\n      - id: few_bad\n"
        "        type: sql\n        query: SELECT COUNT(*) FROM (SELECT id FROM t WHERE x < 0)\n"
        f"        {threshold}\n    properties:\n"
        "      - {name: id, logicalType: integer, primaryKey: true, required: true}\n"
        "      - {name: x, logicalType: integer}\n"
    )
    contract, problems = parse(_write(tmp_path, text))
    assert contract is not None
    found = [p for p in problems if "is not applied (read as mustBe: 0)" in p.message]
    assert bool(found) == warned and all(p.severity == "warning" for p in found)
    assert not warned or threshold in found[0].message
