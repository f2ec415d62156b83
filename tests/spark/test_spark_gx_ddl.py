"""Databricks DDL run on local Spark after the rewrite; GX on Spark DataFrames, planted defects."""

from __future__ import annotations

import pandas as pd
import pytest

from contractbook.ddl.generate import render

pytestmark = pytest.mark.spark
NOT_LOADED = ("type", "csv_column_count", "csv_quoting", "csv_encoding")


def test_databricks_ddl_runs_on_local_spark(spark, contract):
    from contractbook.spark.ddl import execute

    execute(spark, render(contract, "databricks"))
    try:
        for t in contract.tables:
            rows = spark.sql(f"DESCRIBE TABLE olist.{t.name}").collect()
            described = {r.col_name: r.comment for r in rows if r.col_name in t.column_names}
            assert described == {c.name: c.description for c in t.columns}, t.name
            detail = {
                r.col_name: r.data_type
                for r in spark.sql(f"DESCRIBE TABLE EXTENDED olist.{t.name}").collect()
            }
            assert detail["Provider"].lower() == "parquet" and detail["Comment"] == t.description
    finally:
        execute(spark, render(contract, "databricks", drop_script=True))
    assert not [
        r
        for r in spark.sql("SHOW TABLES IN olist").collect()
        if r.tableName in contract.table_names
    ]


@pytest.fixture(scope="module")
def planted_parquet(contract, tmp_path_factory):
    """A warehouse with the planted defects still in it (what a load without checks holds)."""
    import duckdb

    from contractbook.synth import generate
    from support.gx_data import load_frames_duckdb
    from support.readback import frame

    root = tmp_path_factory.mktemp("spark-gx")
    generate(contract, n_orders=300, seed=11, out_dir=root / "raw", defects="all=2")
    manifest = pd.read_csv(root / "raw" / "defects.csv", dtype=str, keep_default_na=False)
    frames = {}
    for t in contract.tables:
        drop = manifest[(manifest.table == t.name) & (manifest.kind == "type")].line.astype(int)
        frames[t.name] = frame(root / "raw" / f"{t.name}.csv", t).drop(index=list(drop))
    db = load_frames_duckdb(contract, frames, root / "wh.duckdb")
    con = duckdb.connect(str(db))
    for t in contract.tables:
        (root / "pq" / t.name).mkdir(parents=True)
        con.execute(f"COPY olist.{t.name} TO '{root / 'pq' / t.name / 'part-0.parquet'}'")
    con.close()
    return root / "pq", manifest


def test_gx_on_spark_flags_exactly_the_planted_keys(spark, contract, planted_parquet, tmp_path):
    from contractbook.gx.context import open_context
    from contractbook.gx.proof import compare
    from contractbook.spark.gx import register, run_spark

    out, manifest = planted_parquet
    register(spark, contract, out)
    run = run_spark(open_context(tmp_path / "state", tmp_path / "docs"), spark, contract)
    assert not [(c.rule_id, c.error) for c in run.checks if c.error]
    loaded = manifest[~manifest.kind.isin(NOT_LOADED)]
    rows = pd.DataFrame(compare(run, contract, loaded))
    assert rows.ok.all(), rows[~rows.ok].to_string()
    assert set(rows.rule_id) == set(loaded.rule_id)
    relationships = [c for c in run.checks if c.kind == "foreign_key"]
    assert len(relationships) == len(contract.relationships)
    assert {c.expectation for c in relationships} == {"unexpected_rows_expectation"}
    assert {
        "orders.sql.order_timestamps_ordered",
        "order_payments.sql.payments_match_items",
    } <= set(rows.rule_id)
