"""GX on Spark DataFrames: the `spark` suites (every relationship an UnexpectedRowsExpectation).

The Spark engine's Parquet outputs are registered as tables of database `schema` (default
`olist`), so the cross-table queries of the suites (`olist.customers`, ...) resolve in Spark SQL;
GX substitutes each batch's DataFrame for `{batch}`.
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

from .sql import ident, lit

TARGET = "spark"


def register(spark, contract: Contract, out: str | Path, schema: str | None = None) -> None:
    """Tables schema.<table> over the Parquet folders out/<table> (replaced if present)."""
    schema = schema or naming.loaded_dataset(contract)
    spark.sql(f"CREATE DATABASE IF NOT EXISTS {ident(schema)}")
    for t in contract.table_names:
        name = f"{ident(schema)}.{ident(t)}"
        spark.sql(f"DROP TABLE IF EXISTS {name}")
        spark.sql(
            f"CREATE TABLE {name} USING PARQUET LOCATION {lit((Path(out) / t).resolve().as_uri())}"
        )


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
            fmt["unexpected_index_column_names"] = list(contract.table(name).primary_key)
        cp = _checkpoint(ctx, f"{prefix}.{TARGET}.{name}", bd, _gx_suite(ctx, suite), fmt)
        frame = spark.table(f"{ident(schema)}.{ident(name)}").cache()  # read once per table
        result = cp.run(batch_parameters={"dataframe": frame})
        frame.unpersist()
        run.tables.append(
            TableResult.from_gx(name, suite, _validation(result), seconds=time.perf_counter() - t0)
        )
        print(f"post-load {TARGET} {name}: {run.tables[-1].verdict}", flush=True)
    run.seconds = time.perf_counter() - started
    return run
