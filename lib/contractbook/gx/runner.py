"""Checkpoint runners: pre-load on the staged input text (DuckDB SQL through the shim, or pandas
when asked), post-load on the warehouse (DuckDB, Postgres)."""

from __future__ import annotations

import copy
import time
import warnings
from contextlib import contextmanager
from pathlib import Path

from contractbook.contract import Contract, naming
from contractbook.registry import unknown

from . import suites as gen
from .results import CheckRun, TableResult
from .staged import MEMORY_LIMIT
from .targets import target
from .tolerances import check, mostly_for

DATASOURCES = {"duckdb": "add_or_update_sql", "postgres": "add_or_update_postgres"}
# Post-load checks only read, and the contract's SQL rules run among them: every GX connection
# is confined. DuckDB: external access off and settings locked (no files, extensions or ATTACH),
# memory capped (staged.MEMORY_LIMIT; the pre-load's staged inputs are opened the same way);
# PostgreSQL: every transaction READ ONLY, each statement bounded by a timeout.
STATEMENT_TIMEOUT_MS = 300_000
ENGINE_KWARGS = {
    "duckdb": {
        "connect_args": {
            "config": {
                "memory_limit": MEMORY_LIMIT,
                "enable_external_access": False,
                "lock_configuration": True,
            }
        }
    },
    "postgres": {
        "connect_args": {
            "options": "-c default_transaction_read_only=on "
            f"-c statement_timeout={STATEMENT_TIMEOUT_MS}"
        }
    },
}


@contextmanager
def _known_warnings():
    """Silence two warnings that say nothing about the data (schema_name, pandas regex groups)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="`schema_name` is deprecated")
        warnings.filterwarnings("ignore", message="This pattern is interpreted as a regular")
        yield


def _quoted(table: str):
    """A table name GX always quotes (a contract name may hold spaces, capitals, non-ASCII)."""
    from sqlalchemy.sql import quoted_name

    return quoted_name(table, quote=True)


def apply_tolerances(suite: gen.Suite, tolerances: dict[str, float]) -> gen.Suite:
    """A copy of suite with `mostly` set on row-level expectations, and the tolerances in meta."""
    exps = copy.deepcopy(suite.expectations)
    for e in exps:
        m = mostly_for(e["meta"]["rule_id"], e["meta"]["kind"], tolerances)
        if e["type"] in gen.MOSTLY_TYPES and m < 1.0:
            e["kwargs"]["mostly"] = m
    return suite.with_expectations(exps, tolerances=dict(tolerances))


def _gx_suite(ctx, suite: gen.Suite):
    import great_expectations as gx

    doc = suite.to_dict()
    exps = [
        {"type": e["type"], "kwargs": e["kwargs"], "meta": e["meta"], "severity": e["severity"]}
        for e in doc["expectations"]
    ]
    return ctx.suites.add_or_update(
        gx.ExpectationSuite(
            name=doc["name"], expectations=exps, meta=doc["meta"], notes=doc["notes"]
        )
    )


def _checkpoint(ctx, name: str, batch_definition, suite, result_format: dict):
    import great_expectations as gx

    vd = ctx.validation_definitions.add_or_update(
        gx.ValidationDefinition(name=name, data=batch_definition, suite=suite)
    )
    return ctx.checkpoints.add_or_update(
        gx.Checkpoint(
            name=name, validation_definitions=[vd], result_format=result_format, actions=[]
        )
    )


def _release(ds) -> None:
    """Close a SQL data source's connections now (GX keeps them until garbage collection)."""
    ds.get_execution_engine().close()
    ds.get_engine().dispose()


def _validation(checkpoint_result):
    return next(iter(checkpoint_result.run_results.values()))


PRELOAD_ENGINES = ("duckdb", "pandas")


def _with_index_rows(validation, ds, table: str):
    """Fill unexpected_index_list of compound-unique checks (GX leaves it empty in SQL)."""
    from .staged import qi

    todo = [
        r
        for r in validation.results
        if r.result
        and r.result.get("unexpected_count")
        and r.expectation_config.type == "expect_compound_columns_to_be_unique"
        and not r.result.get("unexpected_index_list")
    ]
    if not todo:
        return validation
    with ds.get_engine().connect() as conn:
        for r in todo:
            cols = ", ".join(qi(c) for c in r.expectation_config.kwargs["column_list"])
            present = " AND ".join(
                f"{qi(c)} IS NOT NULL" for c in r.expectation_config.kwargs["column_list"]
            )
            sql = (
                f"SELECT _line, {cols} FROM {qi(table)} WHERE ({cols}) IN (SELECT ({cols}) "
                f"FROM {qi(table)} WHERE {present} GROUP BY ALL HAVING count(*) > 1) "
                "ORDER BY _line"
            )
            r.result["unexpected_index_list"] = [
                dict(x) for x in conn.exec_driver_sql(sql).mappings().all()
            ]
    return validation


def _staged_db(ctx) -> Path:
    """A fresh file per run (GX may still hold the previous one open); older ones removed."""
    import uuid

    root = Path(ctx.root_directory) / "preload"
    root.mkdir(parents=True, exist_ok=True)
    for old in root.glob("staged-*.duckdb*"):
        old.unlink(missing_ok=True)
    return root / f"staged-{uuid.uuid4().hex[:8]}.duckdb"


@_known_warnings()
def run_preload(
    ctx,
    contract: Contract,
    data_dir: str | Path,
    tolerances: dict | None = None,
    tables: list[str] | None = None,
    prefix: str = "preload",
    engine: str = "duckdb",
    paths: dict | None = None,
) -> CheckRun:
    """One checkpoint per table on its input as read by the one reader (contractbook.reading).

    engine "duckdb" (default): the expectations run as SQL in DuckDB, through the shim, on the
    staged text (gx.staged); "pandas": the same staged tables handed to GX as DataFrames.
    paths: {table: input file} (default reading.find.sources of data_dir).
    """
    from contractbook.reading.find import require, sources

    from .staged import frame, sql_suite, stage_inputs

    if engine not in PRELOAD_ENGINES:
        raise unknown(PRELOAD_ENGINES, engine, "pre-load engine")
    tolerances = check(tolerances or {}, [r.id for r in contract.rules])
    tables = tables or contract.table_names
    started = time.perf_counter()
    paths = paths or sources(contract, data_dir)
    require(paths)
    staged = stage_inputs(contract, paths, _staged_db(ctx))
    run = CheckRun(target="csv", source=str(data_dir), tolerances=dict(tolerances))
    if engine == "duckdb":
        name_ = f"{prefix}_staged"
        if name_ in [d.name for d in ctx.data_sources.all().values()]:
            ctx.data_sources.delete(name_)
        ds = ctx.data_sources.add_or_update_sql(
            name_, connection_string=staged.url, kwargs=ENGINE_KWARGS["duckdb"]
        )
    else:
        ds = ctx.data_sources.add_or_update_pandas(f"{prefix}_csv")
    for name in tables:
        t0 = time.perf_counter()
        suite = apply_tolerances(gen.table_suite(contract, contract.table(name), "csv"), tolerances)
        malformed = staged.malformed[name].frame(name)
        if engine == "duckdb":
            bd = ds.add_table_asset(
                name, table_name=_quoted(name)
            ).add_batch_definition_whole_table("all")
            cp = _checkpoint(
                ctx,
                f"{prefix}.{name}",
                bd,
                _gx_suite(ctx, sql_suite(suite)),
                {"result_format": "COMPLETE", "unexpected_index_column_names": ["_line"]},
            )
            result = _with_index_rows(_validation(cp.run()), ds, name)
            table = TableResult.from_gx(
                name,
                suite,
                result,
                malformed=malformed,
                index="_line",
                seconds=time.perf_counter() - t0,
            )
        else:
            bd = ds.add_dataframe_asset(name).add_batch_definition_whole_dataframe("all")
            cp = _checkpoint(
                ctx, f"{prefix}.{name}", bd, _gx_suite(ctx, suite), {"result_format": "COMPLETE"}
            )
            df = frame(staged.path, name)
            result = cp.run(batch_parameters={"dataframe": df})
            table = TableResult.from_gx(
                name,
                suite,
                _validation(result),
                frame=df,
                malformed=malformed,
                seconds=time.perf_counter() - t0,
            )
        run.tables.append(table)
        print(f"pre-load {name}: {run.tables[-1].verdict}", flush=True)
    if engine == "duckdb":
        _release(ds)  # before the post-load opens the warehouse: one DuckDB at a time
    run.seconds = time.perf_counter() - started
    return run


@_known_warnings()
def run_postload(
    ctx,
    contract: Contract,
    url: str,
    target_name: str = "duckdb",
    schema: str | None = gen.DEFAULT_SCHEMA,
    tolerances: dict | None = None,
    tables: list[str] | None = None,
    prefix: str = "postload",
) -> CheckRun:
    """One checkpoint per table on the warehouse at url, pushed down as SQL.

    url is a SQLAlchemy URL, or `${ENV_VAR}` naming the variable that holds it: GX then stores
    the reference, never the secret, in its context (and the report shows the reference).
    """
    tgt = target(target_name)
    schema = schema or naming.loaded_dataset(contract, tgt.name)
    if tgt.engine != "sql" or tgt.name not in DATASOURCES:
        raise ValueError(
            f"post-load runs on SQL targets ({', '.join(DATASOURCES)}), not {target_name!r}"
        )
    tolerances = check(tolerances or {}, [r.id for r in contract.rules])
    started = time.perf_counter()
    ds_name = f"{prefix}_{tgt.name}"
    if ds_name in [d.name for d in ctx.data_sources.all().values()]:
        ctx.data_sources.delete(ds_name)
    ds = getattr(ctx.data_sources, DATASOURCES[tgt.name])(
        ds_name, connection_string=url, kwargs=ENGINE_KWARGS[tgt.name]
    )
    run = CheckRun(target=tgt.name, source=_redact(url), tolerances=dict(tolerances))
    for name in tables or contract.table_names:
        t0 = time.perf_counter()
        suite = apply_tolerances(
            gen.table_suite(contract, contract.table(name), tgt.name, schema), tolerances
        )
        tb = contract.table(name)  # the warehouse holds it under its physicalName
        bd = ds.add_table_asset(
            name, table_name=_quoted(tb.physical), schema_name=schema
        ).add_batch_definition_whole_table("all")
        fmt: dict[str, object] = {"result_format": "COMPLETE"}
        if tb.primary_key:
            fmt["unexpected_index_column_names"] = [tb.column(c).physical for c in tb.primary_key]
        cp = _checkpoint(ctx, f"{prefix}.{tgt.name}.{name}", bd, _gx_suite(ctx, suite), fmt)
        result = cp.run()
        run.tables.append(
            TableResult.from_gx(name, suite, _validation(result), seconds=time.perf_counter() - t0)
        )
        print(f"post-load {tgt.name} {name}: {run.tables[-1].verdict}", flush=True)
    _release(ds)
    run.seconds = time.perf_counter() - started
    return run


def _redact(url: str) -> str:
    """A URL without its password (never in reports or logs); `${VAR}` references as they are."""
    from sqlalchemy.engine import make_url

    if url.startswith("${"):
        return url
    return make_url(url).render_as_string(hide_password=True)
