"""Planted defects: the manifest lists exactly the records breaking each rule, nothing else."""

from __future__ import annotations

import csv
import json

import duckdb
import pytest
import sqlglot

from contractbook.synth import DEFECT_KINDS, generate
from support.readback import load as read_back
from support.rule_sql import typed_select, violation_query


def _build(contract, out, n, seed, spec):
    result = generate(contract, n, seed, out, defects=spec, progress=None)
    con = duckdb.connect()
    reads = read_back(con, out, contract)
    for t in contract.tables:
        con.execute(
            f'CREATE VIEW "{t.name}" AS {typed_select(t, f"raw_{t.name}", keep=("_line",))}'
        )
    with open(out / "defects.csv", newline="", encoding="utf-8") as fh:
        manifest = list(csv.DictReader(fh))
    return result, con, reads, manifest


@pytest.fixture(scope="module")
def planted(tmp_path_factory, contract):
    """2000 orders with 3 defects of every kind."""
    return _build(contract, tmp_path_factory.mktemp("synth") / "raw", 2000, 3, "all=3")


@pytest.fixture(scope="module")
def by_rate(tmp_path_factory, contract):
    """1000 orders with a defect rate (many records per rule, several per table)."""
    return _build(contract, tmp_path_factory.mktemp("synth") / "raw", 1000, 4, "rate=0.01")


def _violations(con, contract, rule) -> set:
    """Start lines of the records breaking rule (SQL rules: the planted records sharing the key)."""
    query = violation_query(contract, rule, relation=lambda t: f"raw_{t}", ordinal="_line")
    if rule.kind != "sql":
        return {r[0] for r in con.execute(f"SELECT _line FROM ({query})").fetchall()}
    table = contract.table(rule.table)
    cols = [
        c
        for c in sqlglot.parse_one(rule.params["rows_query"], read="duckdb").named_selects
        if c in table.column_names
    ]
    keys = ", ".join(f'"{c}"' for c in cols)
    return {
        r[0]
        for r in con.execute(
            f"SELECT _line FROM raw_{rule.table} WHERE ({keys}) IN (SELECT ({keys}) FROM ({query}))"
        ).fetchall()
    }


def _manifest_lines(manifest, rule_id) -> set:
    return {int(m["line"]) for m in manifest if m["rule_id"] == rule_id}


def _check_exact(contract, con, manifest):
    """Every rule: violations == manifest rows (SQL rules: the rows of the planted keys)."""
    wrong = {}
    for rule in contract.rules:
        got, want = _violations(con, contract, rule), _manifest_lines(manifest, rule.id)
        if rule.kind == "sql":  # the rule flags the key; the manifest names the changed record
            ok = want <= got and len(want) == len(
                {
                    json.dumps(json.loads(m["key"]).get("order_id"))
                    for m in manifest
                    if m["rule_id"] == rule.id
                }
            )
        else:
            ok = got == want
        if not ok:
            wrong[rule.id] = (sorted(got), sorted(want))
    assert wrong == {}


def test_manifest_lists_exactly_the_rows_breaking_each_rule(planted, contract):
    _, con, _, manifest = planted
    _check_exact(contract, con, manifest)


def test_rate_spec_keeps_isolation(by_rate, contract):
    _, con, _, manifest = by_rate
    assert len(manifest) > 100
    _check_exact(contract, con, manifest)


def test_every_kind_is_planted_as_asked(planted):
    _, _, _, manifest = planted
    counts = {k: sum(1 for m in manifest if m["kind"] == k) for k in DEFECT_KINDS}
    assert counts == dict.fromkeys(DEFECT_KINDS, 3)


def test_duplicate_keys_are_single_and_composite(planted, contract):
    _, _, _, manifest = planted
    widths = {
        len(contract.table(m["table"]).primary_key) for m in manifest if m["kind"] == "primary_key"
    }
    assert widths == {1, 2}


def test_manifest_rows_point_at_the_records_they_name(planted, contract):
    _, _, reads, manifest = planted
    for m in manifest:
        t = contract.table(m["table"])
        records = dict(reads[t.name].records)
        key = json.loads(m["key"])
        if m["kind"].startswith("csv_"):
            assert key == {} and m["rule_id"] == f"{t.name}.csv.{m['kind'][4:]}"
            continue
        row = dict(zip(t.column_names, records[int(m["line"])], strict=True))
        assert key == {c: row[c] for c in t.primary_key}
        assert m["rule_id"] in {r.id for r in contract.rules if r.table == t.name}


def test_malformed_rows_are_malformed_for_python_csv(planted):
    _, _, reads, manifest = planted
    want = {
        (m["table"], int(m["line"]), m["kind"][4:])
        for m in manifest
        if m["kind"].startswith("csv_")
    }
    got = {(t, line, why) for t, r in reads.items() for line, why in r.malformed}
    assert got == want


# (DuckDB checks UTF-8 only for columns it reads: select them, a bare count(*) skips the check.)
DUCKDB_ERRORS = {
    "column_count": {"TOO MANY COLUMNS", "MISSING COLUMNS"},
    "quoting": {"UNQUOTED VALUE"},
    "encoding": {"INVALID ENCODING", "INVALID UNICODE"},
}


def test_malformed_rows_are_the_only_rejects_of_duckdbs_strict_reader(planted, contract):
    result, _, _, manifest = planted
    con = duckdb.connect()
    for t in contract.tables:
        columns = ", ".join(f"'{c}': 'VARCHAR'" for c in t.column_names)
        readable = con.execute(f"""SELECT * FROM read_csv('{result.path(t.name)}', header = true,
            auto_detect = false, columns = {{{columns}}}, delim = ',', quote = '"', escape = '"',
            strict_mode = true, store_rejects = true, rejects_table = 'rej_{t.name}',
            rejects_scan = 'scan_{t.name}')""").fetchall()
        got = {
            (line, err)
            for line, err in con.execute(f"SELECT line, error_type FROM rej_{t.name}").fetchall()
        }
        want = [
            (int(m["line"]), m["kind"][4:])
            for m in manifest
            if m["table"] == t.name and m["kind"].startswith("csv_")
        ]
        assert {line for line, _ in got} == {line for line, _ in want}, t.name
        for line, why in want:
            assert {e for ln, e in got if ln == line} <= DUCKDB_ERRORS[why], (t.name, line)
        assert len(readable) == result.rows[t.name] - len(want)  # every other record is recovered


def test_rejecting_the_planted_records_leaves_sql_totals_intact(planted, contract):
    """Drop every planted record a reject rule flags: no total changes, so payments_match_items
    flags only the orders the manifest names, and the only orphans are children of planted
    orders."""
    _, con, _, manifest = planted
    warn = {r.id for r in contract.rules if r.policy == "warn"}  # warned rows are loaded
    for t in contract.tables:
        lines = [
            m["line"] for m in manifest if m["table"] == t.name and m["rule_id"] not in warn
        ] or ["-1"]
        con.execute(
            f"CREATE OR REPLACE TABLE kept_{t.name} AS SELECT * FROM raw_{t.name} "
            f"WHERE _line NOT IN ({', '.join(lines)})"
        )
        con.execute(
            f'CREATE OR REPLACE VIEW "{t.name}" AS '
            f"{typed_select(t, f'kept_{t.name}', keep=('_line',))}"
        )
    named = {json.loads(m["key"])["order_id"] for m in manifest if m["kind"] == "sql"}
    for rule in contract.rules:
        query = violation_query(contract, rule, relation=lambda t: f"kept_{t}", ordinal="_line")
        if rule.kind == "sql":
            flagged = {r[0] for r in con.execute(f"SELECT order_id FROM ({query})").fetchall()}
            assert flagged <= named, rule.id
        elif rule.id in warn:
            continue
        elif rule.kind == "foreign_key" and rule.params["to_table"] == "orders":
            orphans = {r[0] for r in con.execute(f"SELECT order_id FROM ({query})").fetchall()}
            assert orphans <= named, rule.id
        else:
            assert con.execute(f"SELECT count(*) FROM ({query})").fetchall()[0][0] == 0, rule.id
    con.execute("DROP VIEW IF EXISTS order_items")  # restore the module fixture's views
    for t in contract.tables:
        con.execute(
            f'CREATE OR REPLACE VIEW "{t.name}" AS '
            f"{typed_select(t, f'raw_{t.name}', keep=('_line',))}"
        )
