"""Checkpoint runners: pre-load on raw CSVs (pandas), post-load on the warehouse (DuckDB, Postgres)."""

from __future__ import annotations

import copy
import time
import warnings
from contextlib import contextmanager
from pathlib import Path

from contractbook.contract import Contract, naming

from . import suites as gen
from .rawcsv import read_text, with_typed
from .results import CheckRun, TableResult
from .targets import strftime_format, target
from .tolerances import check, mostly_for

DATASOURCES = {"duckdb": "add_or_update_sql", "postgres": "add_or_update_postgres"}
# Post-load checks only read, and the contract's SQL rules run among them: every GX connection
# is confined. DuckDB: external access off and settings locked (no files, extensions or ATTACH);
# PostgreSQL: every transaction READ ONLY, each statement bounded by a timeout.
STATEMENT_TIMEOUT_MS = 300_000
ENGINE_KWARGS = {
    "duckdb": {"connect_args": {"config": {"enable_external_access": False,
                                           "lock_configuration": True}}},
    "postgres": {"connect_args": {"options": "-c default_transaction_read_only=on "
                                             f"-c statement_timeout={STATEMENT_TIMEOUT_MS}"}},
}


@contextmanager
def _known_warnings():
    """Silence two warnings that say nothing about the data (schema_name, pandas regex groups)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="`schema_name` is deprecated")
        warnings.filterwarnings("ignore", message="This pattern is interpreted as a regular")
        yield


def apply_tolerances(suite: dict, tolerances: dict[str, float]) -> dict:
    """A copy of suite with `mostly` set on row-level expectations, and the tolerances in meta."""
    out = copy.deepcopy(suite)
    for e in out["expectations"]:
        m = mostly_for(e["meta"]["rule_id"], e["meta"]["kind"], tolerances)
        if e["type"] in gen.MOSTLY_TYPES and m < 1.0:
            e["kwargs"]["mostly"] = m
    out["meta"]["contractbook"]["tolerances"] = dict(tolerances)
    return out


def _gx_suite(ctx, suite: dict):
    import great_expectations as gx

    exps = [{"type": e["type"], "kwargs": e["kwargs"], "meta": e["meta"],
             "severity": e["severity"]} for e in suite["expectations"]]
    return ctx.suites.add_or_update(gx.ExpectationSuite(
        name=suite["name"], expectations=exps, meta=suite["meta"], notes=suite["notes"]))


def _checkpoint(ctx, name: str, batch_definition, suite, result_format: dict):
    import great_expectations as gx

    vd = ctx.validation_definitions.add_or_update(
        gx.ValidationDefinition(name=name, data=batch_definition, suite=suite))
    return ctx.checkpoints.add_or_update(gx.Checkpoint(
        name=name, validation_definitions=[vd], result_format=result_format, actions=[]))


def _validation(checkpoint_result):
    return next(iter(checkpoint_result.run_results.values()))


def _formats(contract: Contract, table: str) -> dict[str, str]:
    t = contract.table(table)
    return {c.name: strftime_format(c.format, c.type.kind, c.name) for c in t.columns
            if c.type.kind in ("timestamp", "timestamptz", "date")}


def with_parent_flags(contract: Contract, frames: dict, table: str, frame):
    """frame plus one boolean helper per single-column FK: value found among the parent's keys."""
    import pandas as pd

    out = frame
    for rel in contract.table(table).relationships:
        if len(rel.columns) > 1:
            continue
        child = frame[rel.columns[0]]
        parent = frames.get(rel.to_table)
        keys = parent[rel.to_columns[0]].dropna() if parent is not None else pd.Series([], dtype=object)
        found = pd.array(child.isin(keys), dtype="boolean")
        found[child.isna().to_numpy()] = pd.NA
        out = out.assign(**{gen.parent_check_column(rel): found})
    return out


@_known_warnings()
def run_preload(ctx, contract: Contract, data_dir: str | Path, tolerances: dict | None = None,
                tables: list[str] | None = None, prefix: str = "preload") -> CheckRun:
    """One checkpoint per table on data_dir/<table>.csv read as text (see rawcsv)."""
    tolerances = check(tolerances or {}, [r.id for r in contract.rules])
    tables = tables or contract.table_names
    started = time.perf_counter()
    raws = {t: read_text(Path(data_dir) / f"{t}.csv", contract.table(t))
            for t in contract.table_names if (Path(data_dir) / f"{t}.csv").exists() or t in tables}
    frames = {t: r.frame for t, r in raws.items()}
    ds = ctx.data_sources.add_or_update_pandas(f"{prefix}_csv")
    run = CheckRun(target="csv", source=str(data_dir), tolerances=dict(tolerances))
    for name in tables:
        t0 = time.perf_counter()
        suite = apply_tolerances(gen.table_suite(contract, contract.table(name), "csv"), tolerances)
        bd = ds.add_dataframe_asset(name).add_batch_definition_whole_dataframe("all")
        cp = _checkpoint(ctx, f"{prefix}.{name}", bd, _gx_suite(ctx, suite),
                         {"result_format": "COMPLETE"})
        frame = with_typed(raws[name].frame, contract.table(name), _formats(contract, name))
        frame = with_parent_flags(contract, frames, name, frame)
        result = cp.run(batch_parameters={"dataframe": frame})
        run.tables.append(TableResult.from_gx(name, suite, _validation(result), frame=frame,
                                              malformed=raws[name].malformed,
                                              seconds=time.perf_counter() - t0))
        print(f"pre-load {name}: {run.tables[-1].verdict}", flush=True)
    run.seconds = time.perf_counter() - started
    return run


@_known_warnings()
def run_postload(ctx, contract: Contract, url: str, target_name: str = "duckdb",
                 schema: str | None = gen.DEFAULT_SCHEMA, tolerances: dict | None = None,
                 tables: list[str] | None = None, prefix: str = "postload") -> CheckRun:
    """One checkpoint per table on the warehouse at url, pushed down as SQL.

    url is a SQLAlchemy URL, or `${ENV_VAR}` naming the variable that holds it: GX then stores
    the reference, never the secret, in its context (and the report shows the reference).
    """
    tgt = target(target_name)
    schema = schema or naming.dataset(contract, tgt.name)
    if tgt.engine != "sql" or tgt.name not in DATASOURCES:
        raise ValueError(f"post-load runs on SQL targets ({', '.join(DATASOURCES)}), not {target_name!r}")
    tolerances = check(tolerances or {}, [r.id for r in contract.rules])
    started = time.perf_counter()
    ds_name = f"{prefix}_{tgt.name}"
    if ds_name in [d.name for d in ctx.data_sources.all().values()]:
        ctx.data_sources.delete(ds_name)
    ds = getattr(ctx.data_sources, DATASOURCES[tgt.name])(ds_name, connection_string=url,
                                                           kwargs=ENGINE_KWARGS[tgt.name])
    run = CheckRun(target=tgt.name, source=_redact(url), tolerances=dict(tolerances))
    for name in tables or contract.table_names:
        t0 = time.perf_counter()
        suite = apply_tolerances(gen.table_suite(contract, contract.table(name), tgt.name, schema),
                                 tolerances)
        bd = ds.add_table_asset(name, table_name=name, schema_name=schema) \
            .add_batch_definition_whole_table("all")
        fmt = {"result_format": "COMPLETE"}
        if contract.table(name).primary_key:
            fmt["unexpected_index_column_names"] = list(contract.table(name).primary_key)
        cp = _checkpoint(ctx, f"{prefix}.{tgt.name}.{name}", bd, _gx_suite(ctx, suite), fmt)
        result = cp.run()
        run.tables.append(TableResult.from_gx(name, suite, _validation(result),
                                              seconds=time.perf_counter() - t0))
        print(f"post-load {tgt.name} {name}: {run.tables[-1].verdict}", flush=True)
    run.seconds = time.perf_counter() - started
    return run


def _redact(url: str) -> str:
    """A URL without its password (never in reports or logs); `${VAR}` references as they are."""
    from sqlalchemy.engine import make_url

    if url.startswith("${"):
        return url
    return make_url(url).render_as_string(hide_password=True)
