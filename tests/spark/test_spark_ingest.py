"""The Spark engine and the DuckDB engine accept and reject the same records for the same reasons.

One planted-defect dataset (every defect kind, twice) goes through both engines: the accepted
rows, the rejects (file line + reasons), the reject columns and the accounting must match.
"""

from __future__ import annotations

import json

import duckdb
import pytest

from contractbook.ingest.run import check_all, new_run

pytestmark = pytest.mark.spark


@pytest.fixture(scope="module")
def planted(contract, tmp_path_factory):
    from contractbook.synth import generate

    root = tmp_path_factory.mktemp("spark-planted")
    generate(contract, n_orders=200, seed=11, out_dir=root / "raw", defects="all=2")
    return root


@pytest.fixture(scope="module")
def both(spark, contract, planted):
    from contractbook.spark.ingest import ingest

    result = ingest(
        contract,
        planted / "raw",
        out=planted / "spark",
        rejects_dir=planted / "rej",
        state_dir=planted / "state",
        spark=spark,
        progress=lambda *_: None,
    )
    con = duckdb.connect()
    checks = check_all(con, contract, planted / "raw", new_run(), progress=lambda *_: None)
    return result, con, checks


def _parquet(planted, name: str) -> str:
    return f"'{planted / 'spark' / name}/*.parquet'"


def test_same_rejects_lines_and_reasons(both, planted, contract):
    result, con, checks = both
    duck = {
        (t, line, reasons)
        for t in checks
        for line, reasons in con.execute(
            f'SELECT source_line, reject_reasons FROM work."rej_{t}"'
        ).fetchall()
    }
    spark = {
        (t, line, reasons)
        for t in checks
        for line, reasons in con.execute(
            f"SELECT source_line, reject_reasons FROM {_parquet(planted, t + '__rejects')}"
        ).fetchall()
    }
    assert sorted(duck - spark) == [] and sorted(spark - duck) == []
    kinds = {json.loads(r)[0].split(".", 2)[1] for _, _, r in spark if ".csv." in r}
    assert kinds == {"csv"}  # malformed records are among them
    csv_rules = {rule for _, _, r in spark for rule in json.loads(r) if ".csv." in rule}
    assert {r.rsplit(".", 1)[1] for r in csv_rules} == {"column_count", "quoting", "encoding"}


def test_same_accepted_rows_and_reject_columns(both, planted, contract):
    _, con, checks = both
    for t in checks:
        cols = ", ".join(f'"{c}"' for c in contract.table(t).column_names)
        spark = f"SELECT {cols} FROM {_parquet(planted, t)}"
        duck = f'SELECT {cols} FROM ok."{t}"'
        assert con.execute(f"{duck} EXCEPT ALL {spark}").fetchall() == [], t
        assert con.execute(f"{spark} EXCEPT ALL {duck}").fetchall() == [], t
        d = con.execute(f'DESCRIBE SELECT * EXCLUDE (_reason_list) FROM work."rej_{t}"').fetchall()
        s = con.execute(f"DESCRIBE SELECT * FROM {_parquet(planted, t + '__rejects')}").fetchall()
        assert [c[0] for c in s] == [c[0] for c in d], t


def test_same_accounting(both):
    result, _, checks = both
    assert result.ok
    for name, c in result.checks.items():
        d = checks[name]
        assert (c.read, c.accepted, c.rejected, c.malformed) == (
            d.read,
            d.accepted,
            d.rejected,
            d.malformed,
        ), name
        assert c.reasons == d.reasons and c.warnings == d.warnings, name
    assert result.loaded == {n: c.accepted for n, c in checks.items()}
    assert sum(c.malformed for c in checks.values()) > 0


def test_same_reject_details_and_counts(both, planted):
    """Rejects carry the same detail (parent_rejected JSON, none, or the reader's words for a
    malformed record) in both engines."""
    result, con, checks = both
    for t in checks:
        q = "SELECT source_line, reject_detail FROM {}"
        duck = set(con.execute(q.format(f'work."rej_{t}"')).fetchall())
        spark = set(con.execute(q.format(_parquet(planted, t + "__rejects"))).fetchall())
        assert spark == duck, t
        c, d = result.checks[t], checks[t]
        assert (c.warned, c.cascaded) == (d.warned, d.cascaded), t
    assert sum(sum(c.cascaded.values()) for c in checks.values()) > 0
