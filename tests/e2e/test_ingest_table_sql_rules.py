"""A SQL rule returning one number is a table-level check of ingest: its line and exit code."""

from __future__ import annotations

import json
import os
import subprocess
import sys

CONTRACT = """\
apiVersion: v3.0.2
kind: DataContract
id: urn:test:claims
name: claims
version: 1.0.0
status: draft
schema:
  - name: Claims
    quality:
      - type: sql
        name: cap
        query: SELECT MAX(amount) FROM "Claims"
        mustBeLessThan: 100
      - type: sql
        name: some_rows
        query: SELECT COUNT(*) FROM "Claims"
        mustBeGreaterOrEqualTo: 5
        severity: warning
    properties:
      - name: id
        logicalType: integer
        primaryKey: true
        required: true
      - name: amount
        logicalType: number
"""


def _ingest(tmp_path, amounts: list[int], contract: str = CONTRACT) -> subprocess.CompletedProcess:
    """Write the contract and one CSV of amounts under tmp_path, run `contractbook ingest`."""
    data = tmp_path / "data"
    data.mkdir()
    rows = "".join(f"{i},{a}\n" for i, a in enumerate(amounts))
    (data / "Claims.csv").write_text("id,amount\n" + rows, encoding="utf-8")
    (tmp_path / "c.yaml").write_text(contract, encoding="utf-8")
    args = ["ingest", str(tmp_path / "c.yaml"), "--data", str(data)]
    for opt, name in (("--warehouse", "w.duckdb"), ("--rejects", "rj"), ("--state", "st")):
        args += [opt, str(tmp_path / name)]
    return subprocess.run(
        [sys.executable, "-m", "contractbook", *args],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
        env={**os.environ},
    )


def test_a_failed_error_rule_is_reported_and_exits_1_with_every_row_loaded(tmp_path):
    proc = _ingest(tmp_path, [5, 150, 7])
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert "Traceback" not in out
    assert "read 3 = loaded 3 + rejected 0: accounting OK" in proc.stdout
    assert "table check Claims.sql.cap: 150 < 100: FAILED (error)" in proc.stderr
    assert "table check Claims.sql.some_rows: 3 >= 5: FAILED (warning)" in proc.stdout
    assert "1 table-level SQL check(s) failed (Claims.sql.cap)" in proc.stderr


def test_passing_rules_exit_0_and_a_failed_warning_rule_is_only_reported(tmp_path):
    proc = _ingest(tmp_path, [5, 99, 7])
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "table check Claims.sql.cap: 99 < 100: passed" in proc.stdout
    assert "table check Claims.sql.some_rows: 3 >= 5: FAILED (warning)" in proc.stdout


def test_the_receipt_of_the_run_holds_the_table_checks(tmp_path):
    from contractbook.contract import load
    from contractbook.ingest import receipt
    from contractbook.ingest.report import render
    from contractbook.ingest.run import ingest

    proc = _ingest(tmp_path, [1, 2, 3, 4, 500])
    assert proc.returncode == 1, proc.stdout + proc.stderr
    result = ingest(
        load(tmp_path / "c.yaml"),
        tmp_path / "data",
        warehouse=tmp_path / "w2.duckdb",
        rejects_dir=tmp_path / "rj2",
        state_dir=tmp_path / "st2",
        progress=lambda *_: None,
    )
    doc = json.loads(receipt.write(result, tmp_path / "r.json").read_text())
    got = {t["rule"]: (t["value"], t["operator"], t["passed"]) for t in doc["table_checks"]}
    assert got == {
        "Claims.sql.cap": (500, "mustBeLessThan", False),
        "Claims.sql.some_rows": (5, "mustBeGreaterOrEqualTo", True),
    }
    assert receipt.read(tmp_path / "r.json").table_checks[0].rule == "Claims.sql.cap"
    import duckdb

    from contractbook.contract import naming

    with duckdb.connect(str(tmp_path / "w2.duckdb"), read_only=True) as con:
        schema = naming.loaded_dataset(result.contract, "duckdb")
        (checks,) = con.execute(
            f'SELECT table_checks FROM "{schema}"._run_metrics WHERE run_id = ?', [result.run_id]
        ).fetchone()
    stored = json.loads(checks)
    assert stored["Claims.sql.cap"]["passed"] is False and stored["Claims.sql.cap"]["value"] == 500
    assert stored["Claims.sql.some_rows"]["operator"] == "mustBeGreaterOrEqualTo"
    html = render(result)
    assert "Table-level SQL checks" in html and "NO (error)" in html


PLANTABLE = """\
apiVersion: v3.1.0
kind: DataContract
id: urn:test:plant
name: plant
version: 1.0.0
status: draft
schema:
  - name: Claims
    quality:
      - type: sql
        name: cap
        query: SELECT MAX(amount) FROM "Claims"
        mustBeLessThan: 1000000000
    properties:
      - name: id
        logicalType: integer
        primaryKey: true
        required: true
      - name: amount
        logicalType: number
        required: true
"""


def test_synth_plants_a_table_level_defect_that_ingest_reports_failed(tmp_path):
    import duckdb

    from contractbook.contract import load
    from contractbook.ingest.run import check_all, new_run
    from contractbook.synth import generate

    (tmp_path / "c.yaml").write_text(PLANTABLE, encoding="utf-8")
    contract = load(tmp_path / "c.yaml")
    raw = tmp_path / "raw"
    result = generate(contract, 150, 5, raw, defects="primary_key=1", progress=None)
    defects = json.loads((raw / "manifest.json").read_text())["defects"]
    planted = defects["table_level"]["Claims.sql.cap"]
    assert planted["column"] == "amount" and planted["metric"] >= 1000000000
    assert "Claims.sql.cap" not in defects["not_plantable"]
    checks = check_all(duckdb.connect(), contract, raw, new_run(), progress=lambda *_: None)
    (rule,) = checks["Claims"].table_rules
    assert (rule.rule, rule.passed, rule.value) == ("Claims.sql.cap", False, planted["metric"])
    assert checks["Claims"].rejected == len(result.defects) == 1  # the duplicate key only
    generate(contract, 150, 5, tmp_path / "clean", defects="", progress=None)
    doc = json.loads((tmp_path / "clean" / "manifest.json").read_text())
    assert "table_level" not in doc["defects"]
    again = check_all(
        duckdb.connect(), contract, tmp_path / "clean", new_run(), progress=lambda *_: None
    )
    assert [r.passed for r in again["Claims"].table_rules] == [True]


def test_a_query_of_several_rows_is_one_line_naming_the_rule_exit_2(tmp_path):
    rows = CONTRACT.replace('SELECT COUNT(*) FROM "Claims"', 'SELECT amount FROM "Claims"')
    proc = _ingest(tmp_path, [5, 6], rows)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    assert proc.stderr.strip() == (
        "ingest: SQL rule Claims.sql.some_rows: its query returns several row(s) of 1 "
        "column(s), not one value; write a query returning one number, e.g. "
        "SELECT MAX(amount) FROM t"
    )
