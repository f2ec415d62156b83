"""Table-level SQL rules (one number each) reach the same results in Spark as in DuckDB."""

from __future__ import annotations

import duckdb
import pytest

from contractbook.contract import load
from contractbook.ingest.run import check_all, new_run

pytestmark = pytest.mark.spark

CONTRACT = """\
apiVersion: v3.1.0
kind: DataContract
id: urn:test:spark-table-rules
name: Spark Table Rules
version: 1.0.0
status: draft
schema:
  - name: Policies
    physicalName: "Policy Book"
    quality:
      - type: sql
        name: enough_policies
        query: SELECT COUNT(*) FROM "Policies"
        mustBeGreaterOrEqualTo: 3
        severity: warning
    properties:
      - name: id
        logicalType: integer
        primaryKey: true
        required: true
      - name: holder
        logicalType: string
  - name: Claims
    quality:
      - type: sql
        name: cap
        query: SELECT MAX(amount) FROM "Claims"
        mustBeLessThan: 100
      - type: sql
        name: mean_between
        query: |
          -- the mean claim, on accepted rows only
          SELECT AVG(amount) FROM "Claims"
        mustBeBetween: [10, 50]
      - type: sql
        name: claims_per_policy
        query: >-
          SELECT COUNT(*) * 1.0 / (SELECT COUNT(*) FROM "Policies") FROM "Claims" AS c
          JOIN "Policies" AS p ON c.policy = p.id
        mustBeLessOrEqualTo: 2
      - type: sql
        name: nothing_negative
        query: SELECT MIN(amount) FROM "Claims" WHERE amount < 0
        mustBeGreaterThan: 0
        severity: warning
    properties:
      - name: id
        logicalType: integer
        primaryKey: true
        required: true
      - name: policy
        logicalType: integer
        relationships:
          - to: Policies.id
      - name: amount
        logicalType: number
        logicalTypeOptions:
          minimum: 0
"""


@pytest.fixture(scope="module")
def both(spark, tmp_path_factory):
    from contractbook.spark.ingest import ingest

    root = tmp_path_factory.mktemp("spark-table-rules")
    (root / "c.yaml").write_text(CONTRACT, encoding="utf-8")
    data = root / "data"
    data.mkdir()
    (data / "Policies.csv").write_text("id,holder\n1,a\n2,b\n", encoding="utf-8")
    # 150 breaks the cap; -5 breaks the range and is rejected, so no accepted amount is negative
    claims = "id,policy,amount\n1,1,5\n2,1,150\n3,2,7.5\n4,2,-5\n5,9,20\n"
    (data / "Claims.csv").write_text(claims, encoding="utf-8")
    contract = load(root / "c.yaml")
    spark_result = ingest(
        contract,
        data,
        out=root / "spark",
        rejects_dir=root / "rej",
        state_dir=root / "state",
        spark=spark,
        progress=lambda *_: None,
    )
    duck = check_all(duckdb.connect(), contract, data, new_run(), progress=lambda *_: None)
    return spark_result.checks, duck


def test_spark_evaluates_every_table_rule_as_duckdb_does(both):
    spark_checks, duck_checks = both
    for table in ("Policies", "Claims"):
        got = [r.to_dict() for r in spark_checks[table].table_rules]
        want = [r.to_dict() for r in duck_checks[table].table_rules]
        assert got == want, table
    results = {r.rule.rsplit(".", 1)[-1]: r for r in spark_checks["Claims"].table_rules}
    assert set(results) == {"cap", "mean_between", "claims_per_policy", "nothing_negative"}
    assert (results["cap"].value, results["cap"].passed) == (150, False)
    assert results["cap"].fails_run  # error severity: ingest exits 1
    # accepted rows only: 5, 150, 7.5 (-5 broke the range; the orphan's policy 9 is rejected)
    assert results["mean_between"].value == pytest.approx((5 + 150 + 7.5) / 3)
    assert results["mean_between"].passed is False
    assert results["claims_per_policy"].value == pytest.approx(1.5)
    assert results["claims_per_policy"].passed
    assert results["nothing_negative"].value is None and not results["nothing_negative"].passed
    assert not results["nothing_negative"].fails_run  # a warning
    policies = spark_checks["Policies"].table_rules
    assert [(r.value, r.passed) for r in policies] == [(2, False)]
