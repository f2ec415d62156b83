"""GX on Spark DataFrames: the `spark` suites (every relationship an UnexpectedRowsExpectation).

The Spark engine's Parquet outputs are registered as tables of database `schema` (default: the
contract's dataset) under their physicalName, so the cross-table queries of the suites
(`olist.customers`, ...) resolve in Spark SQL; GX substitutes each batch's DataFrame for `{batch}`.
"""

from __future__ import annotations

import time
from pathlib import Path

from contractbook.contract import Contract, naming
from contractbook.gx import suites as gen
from contractbook.gx.results import CheckRun, TableResult
from contractbook.gx.runner import (
    _checkpoint,
    _gx_suite,
    _known_warnings,
    _validation,
    apply_tolerances,
)
from contractbook.gx.tolerances import check

from .sql import folder, ident, lit

TARGET = "spark"


def register(spark, contract: Contract, out: str | Path, schema: str | None = None) -> None:
    """Tables schema.<physical> over the Parquet folders the Spark engine writes (replaced if
    present): the warehouse's names, as the suites of an SQL target read them."""
    schema = schema or naming.loaded_dataset(contract)
    spark.sql(f"CREATE DATABASE IF NOT EXISTS {ident(schema)}")
    for t in contract.tables:
        name = f"{ident(schema)}.{ident(t.physical)}"
        where = (Path(out) / folder(t.physical)).resolve().as_uri()
        spark.sql(f"DROP TABLE IF EXISTS {name}")
        spark.sql(f"CREATE TABLE {name} USING PARQUET LOCATION {lit(where)}")


@_known_warnings()
def run_spark(
    ctx,
    spark,
    contract: Contract,
    schema: str | None = None,
    tolerances: dict | None = None,
    tables: list[str] | None = None,
    prefix: str = "postload",
) -> CheckRun:
    """One checkpoint per table on the Spark table schema.<table>, as a DataFrame batch."""
    schema = schema or naming.loaded_dataset(contract)
    tolerances = check(tolerances or {}, [r.id for r in contract.rules])
    started = time.perf_counter()
    ds = ctx.data_sources.add_or_update_spark(f"{prefix}_{TARGET}")
    run = CheckRun(target=TARGET, source=f"spark:{schema}", tolerances=dict(tolerances))
    for name in tables or contract.table_names:
        t0 = time.perf_counter()
        suite = apply_tolerances(
            gen.table_suite(contract, contract.table(name), TARGET, schema), tolerances
        )
        bd = ds.add_dataframe_asset(name).add_batch_definition_whole_dataframe("all")
        fmt: dict[str, object] = {"result_format": "COMPLETE"}
        if contract.table(name).primary_key:
            t = contract.table(name)
            fmt["unexpected_index_column_names"] = [t.column(c).physical for c in t.primary_key]
        cp = _checkpoint(ctx, f"{prefix}.{TARGET}.{name}", bd, _gx_suite(ctx, suite), fmt)
        physical = contract.table(name).physical
        frame = spark.table(f"{ident(schema)}.{ident(physical)}").cache()  # read once per table
        result = cp.run(batch_parameters={"dataframe": frame})
        frame.unpersist()
        run.tables.append(
            TableResult.from_gx(name, suite, _validation(result), seconds=time.perf_counter() - t0)
        )
        print(f"post-load {TARGET} {name}: {run.tables[-1].verdict}", flush=True)
    run.seconds = time.perf_counter() - started
    return run
