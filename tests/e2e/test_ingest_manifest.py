"""Every defect the synthetic generator plants is in rejects with its rule id, nothing else is.

Expected rejects = the manifest's rows (policy reject), widened and cascaded as the rules say:
- a SQL rule rejects every row sharing the key its query returns (payments_match_items returns
  order ids, so every payment of the planted order is rejected, not only the changed one);
- a child row whose parent key was not accepted is rejected for its foreign key (keys are checked
  against the parent's accepted rows).
Both are computed here independently, with Python's csv module, from the files themselves.
"""

from __future__ import annotations

import csv
import json

import duckdb
import pytest
import sqlglot

from contractbook.ingest.run import check_all, new_run
from contractbook.reading.find import sources

synth = pytest.importorskip("contractbook.synth.run")


def _records(path):
    """(physical start line, row dict) of every well-formed record."""
    with open(path, encoding="utf-8-sig", errors="replace", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        prev = reader.line_num
        for row in reader:
            start, prev = prev + 1, reader.line_num
            if len(row) == len(header):
                yield start, dict(zip(header, row, strict=True))


def _expected(contract, data, files=None):
    warn = {r.id for r in contract.rules if r.policy == "warn"}
    manifest = list(csv.DictReader(open(data / "defects.csv", encoding="utf-8")))
    expected = {
        (m["table"], int(m["line"]), m["rule_id"]) for m in manifest if m["rule_id"] not in warn
    }
    accepted_keys: dict[str, set] = {}
    for name in contract.dependency_order:
        t = contract.table(name)
        records = list(_records(data / (files or {}).get(name, f"{name}.csv")))
        for m in (
            m
            for m in manifest
            if m["table"] == name and m["kind"] == "sql" and m["rule_id"] not in warn
        ):
            rule = next(r for r in contract.rules if r.id == m["rule_id"])
            cols = [
                c
                for c in sqlglot.parse_one(rule.params["rows_query"]).named_selects
                if c in t.column_names
            ]
            key = json.loads(m["key"])
            expected |= {
                (name, line, rule.id)
                for line, row in records
                if all(row[c] == key[c] for c in cols)
            }
        rejected_lines = {line for tbl, line, _ in expected if tbl == name}
        for rel in t.relationships:
            rule = f"{name}.foreign_key.{rel.id}"
            if rule in warn:
                continue
            parents = accepted_keys[rel.to_table][rel.to_columns]
            for line, row in records:
                key = tuple(row[c] for c in rel.columns)
                if all(key) and key not in parents:
                    expected.add((name, line, rule))
                    rejected_lines.add(line)
        keysets = {
            tuple(c.name for c in t.columns if c.name in cols)
            for cols in [r.to_columns for r in contract.relationships if r.to_table == name]
        }
        accepted_keys[name] = {
            k: {tuple(row[c] for c in k) for line, row in records if line not in rejected_lines}
            for k in keysets
        }
    return expected, manifest


@pytest.mark.slow
def test_every_planted_defect_is_rejected_with_its_rule(contract, tmp_path):
    data = tmp_path / "raw"
    synth.generate(contract, 2000, 11, data, defects="all=2", progress=None)
    expected, manifest = _expected(contract, data)
    con = duckdb.connect()
    checks = check_all(con, contract, data, new_run(), progress=lambda *_: None)
    got = {
        (t, line, rule)
        for t in checks
        for line, reasons in con.execute(
            f'SELECT source_line, reject_reasons FROM work."rej_{t}"'
        ).fetchall()
        for rule in json.loads(reasons)
    }
    assert sorted(expected - got) == [] and sorted(got - expected) == []
    planted_kinds = {m["kind"] for m in manifest}
    assert {
        "csv_column_count",
        "csv_quoting",
        "csv_encoding",
        "type",
        "required",
        "primary_key",
        "pattern",
        "range",
        "allowed_values",
        "foreign_key",
        "sql",
    } <= planted_kinds
    warned = [
        m for m in manifest if m["rule_id"] in {r.id for r in contract.rules if r.policy == "warn"}
    ]
    for m in warned:  # policy warn: the row is loaded and the warning counted
        assert checks[m["table"]].warnings[m["rule_id"]] == sum(
            1 for w in warned if w["rule_id"] == m["rule_id"]
        )
    assert all(c.read == c.accepted + c.rejected for c in checks.values())


@pytest.mark.slow
def test_kaggle_layout_planted_defects_are_caught_and_accounted(contract, tmp_path):
    """The published layout with its quirks: planted defects still rejected, nothing else is."""
    data = tmp_path / "raw"
    result = synth.generate(
        contract, 2000, 11, data, defects="all=4", progress=None, layout="kaggle"
    )
    expected, manifest = _expected(contract, data, result.files)
    con = duckdb.connect()
    checks = check_all(
        con,
        contract,
        data,
        new_run(),
        progress=lambda *_: None,
        paths=sources(contract, data, "kaggle"),
    )
    got = {
        (t, line, rule)
        for t in checks
        for line, reasons in con.execute(
            f'SELECT source_line, reject_reasons FROM work."rej_{t}"'
        ).fetchall()
        for rule in json.loads(reasons)
    }
    assert sorted(expected - got) == [] and sorted(got - expected) == []
    warn = {r.id for r in contract.rules if r.policy == "warn"}
    planted_warn = {m["rule_id"] for m in manifest if m["rule_id"] in warn}
    assert {
        "orders.sql.order_handover_sequence",
        "order_payments.sql.payments_below_items",
        "products.foreign_key.products_category",
    } <= planted_warn
    for rule in planted_warn:  # quirks warn too: at least the planted ones are counted
        table = rule.split(".")[0]
        assert checks[table].warnings[rule] >= sum(1 for m in manifest if m["rule_id"] == rule)
    assert all(c.read == c.accepted + c.rejected for c in checks.values())
