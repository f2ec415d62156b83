"""Generic SQL-rule defects: a mutation the rule's own query flags, and only that rule."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from contractbook.contract import load
from contractbook.synth import generate, sqlplant

WORLD = Path(__file__).resolve().parents[1] / "fixtures" / "contracts" / "world"
ROWS = 120


def _run(name: str, out: Path, defects: str = "sql=1", seed: int = 3):
    contract = load(WORLD / f"{name}.yaml")
    result = generate(contract, ROWS, seed, out, defects=defects, progress=None)
    doc = json.loads((out / "manifest.json").read_text())
    return contract, result, doc["defects"]["not_plantable"]


def _csv(path: Path) -> duckdb.DuckDBPyRelation:
    """The file as text, with each record's physical line (header = line 1)."""
    con = duckdb.connect()
    return con.sql(
        "SELECT *, CAST(row_number() OVER () + 1 AS INTEGER) AS line FROM "
        "read_csv(?, header=true, all_varchar=true)",
        params=[str(path)],
    )


def test_cross_column_rule_planted_by_copying_the_other_column(tmp_path):
    _, result, unplanted = _run("v310_sql_transfers", tmp_path)
    sql = [d for d in result.defects if d["kind"] == "sql"]
    assert [d["rule_id"] for d in sql] == ["transfers.sql.no_self_transfer"]
    rows = _csv(result.path("transfers")).fetchall()
    same = [r[-1] for r in rows if r[1] == r[2]]
    assert same == [sql[0]["line"]] and len(rows) == ROWS
    assert "transfers.sql.no_self_transfer" not in unplanted


def test_duplicate_rule_planted_by_a_copy_under_a_fresh_key(tmp_path):
    _, result, _ = _run("v320_sql_sessions", tmp_path)
    sql = sorted(d["line"] for d in result.defects if d["kind"] == "sql")
    assert len(sql) == 2  # the rule flags both sessions: the original and its copy
    rows = {r[-1]: r for r in _csv(result.path("sessions")).fetchall()}
    a, b = rows[sql[0]], rows[sql[1]]
    assert a[0] != b[0] and (a[1], a[2]) == (b[1], b[2])
    pairs = [(r[1], r[2]) for r in rows.values()]
    assert len(pairs) - len(set(pairs)) == 1 and len(rows) == ROWS + 1


def test_group_rule_planted_and_table_level_aggregate_listed_with_the_reason(tmp_path):
    _, result, unplanted = _run("v302_sql_expenses", tmp_path)
    sql = [d for d in result.defects if d["kind"] == "sql"]
    assert {d["rule_id"] for d in sql} == {"Expenses.sql.receipt_claimed_once"}
    rows = {r[-1]: r for r in _csv(result.path("Expenses")).fetchall()}
    flagged = [rows[d["line"]] for d in sql]
    assert len({r[2] for r in flagged}) == 1 and len({r[1] for r in flagged}) == 2
    why = unplanted["Expenses.sql.largest_claim_below_cap"]  # amount's maximum is 9999.99
    assert why.startswith("no value inside the columns' own rules makes its metric fail")
    assert "amount=10001 (outside the column's own rules)" in why and "amount=9999)" in why


def test_rule_the_column_rules_imply_stays_not_plantable_with_what_was_tried(tmp_path):
    _, result, unplanted = _run("v310_quality_rules", tmp_path)
    assert not [d for d in result.defects if d["kind"] == "sql"]
    why = unplanted["meter_readings.sql.no_negative_total"]
    assert why.startswith("no mutation within the budget") and "min:kwh" in why


def test_search_is_seeded(tmp_path):
    first = _run("v320_sql_sessions", tmp_path / "a", defects="all=1")[1]
    again = _run("v320_sql_sessions", tmp_path / "b", defects="all=1")[1]
    other = _run("v320_sql_sessions", tmp_path / "c", defects="all=1", seed=4)[1]
    assert first.defects == again.defects and first.defects != other.defects
    assert first.path("sessions").read_bytes() == again.path("sessions").read_bytes()


def test_a_rule_on_a_parent_table_or_of_another_shape_is_not_tried(contract):
    rules = {r.id: r for r in contract.rules}
    # orders is a foreign-key parent: a rejecting rule there would cascade, a warning does not
    assert sqlplant.why_not(contract, rules["orders.sql.order_timestamps_ordered"]) == (
        sqlplant.PARENT
    )
    assert sqlplant.why_not(contract, rules["orders.sql.order_handover_sequence"]) == ""
    meters = load(WORLD / "v310_quality_rules.yaml")
    assert sqlplant.plantable(meters) == {"meter_readings.sql.no_negative_total"}


def test_several_instances_each_flag_their_own_rows(tmp_path):
    _, result, _ = _run("v310_sql_transfers", tmp_path, defects="sql=3")
    lines = sorted(d["line"] for d in result.defects if d["kind"] == "sql")
    same = sorted(r[-1] for r in _csv(result.path("transfers")).fetchall() if r[1] == r[2])
    assert len(lines) == 3 and same == lines
    _, result, _ = _run("v320_sql_sessions", tmp_path / "s", defects="sql=2")
    rows = _csv(result.path("sessions")).fetchall()
    pairs = [(r[1], r[2]) for r in rows]
    assert len([d for d in result.defects if d["kind"] == "sql"]) == 4
    assert len(pairs) - len(set(pairs)) == 2 and len(rows) == ROWS + 2


@pytest.mark.parametrize("name", ["v310_sql_transfers", "v320_sql_sessions"])
def test_no_sql_defect_without_a_count(name, tmp_path):
    _, result, _ = _run(name, tmp_path, defects="required=1")
    assert not [d for d in result.defects if d["kind"] == "sql"]


LINES = """\
apiVersion: v3.1.0
kind: DataContract
id: urn:test:lines
name: lines_with_orders
version: 1.0.0
status: active
schema:
  - name: orders
    properties:
      - {name: order_id, logicalType: integer, primaryKey: true, required: true}
      - {name: placed_at, logicalType: timestamp, required: true}
  - name: lines
    quality:
      - id: one_line_per_sku
        type: sql
        query: |-
          SELECT COUNT(*) FROM (
            SELECT order_id, sku FROM lines GROUP BY order_id, sku HAVING COUNT(*) > 1
          )
        mustBe: 0
    properties:
      - name: order_id
        logicalType: integer
        primaryKey: true
        primaryKeyPosition: 1
        required: true
        relationships: [{to: orders.order_id}]
      - {name: line_no, logicalType: integer, primaryKey: true, primaryKeyPosition: 2,
         required: true}
      - name: sku
        logicalType: string
        required: true
        logicalTypeOptions: {pattern: "^[0-9a-f]{32}$"}
"""


def test_a_copy_keeps_its_foreign_key_and_ingest_rejects_exactly_the_flagged_rows(tmp_path):
    from contractbook.ingest.run import check_all, new_run

    path = tmp_path / "lines.yaml"
    path.write_text(LINES, encoding="utf-8")
    contract = load(path)
    result = generate(contract, ROWS, 3, tmp_path / "raw", defects="sql=1", progress=None)
    planted = {(d["table"], d["line"], d["rule_id"]) for d in result.defects}
    assert len(planted) == 2 and {p[0] for p in planted} == {"lines"}
    con = duckdb.connect()
    checks = check_all(con, contract, tmp_path / "raw", new_run(), progress=lambda *_: None)
    rejected = {
        ("lines", line, rule)
        for line, reasons in con.execute(
            'SELECT source_line, reject_reasons FROM work."rej_lines"'
        ).fetchall()
        for rule in json.loads(reasons)
    }
    assert rejected == planted and checks["orders"].rejected == 0
