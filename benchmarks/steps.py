"""Measured steps of `make bench`: each a function (JSON-able kwargs -> StepRun), run in its own
process by `harness.child`.

Every step returns `seconds` (one per run), `import_seconds` (heavy imports, timed apart and paid
once per process), `rows` (records the step handled, None when rows mean nothing), `peak_rss_mb`
(the process's max RSS) and a typed detail. A step whose first run is short is run again in the
same process, up to `repeats` times, so its figure can be a median (see `harness.repeat`).
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from .harness import peak_mb, quiet, repeat, timed_imports
from .records import (
    AloneDetail,
    DdlDetail,
    DltDetail,
    GenerateDetail,
    GxDetail,
    GxEngineDetail,
    GxPart,
    IngestDetail,
    MetricsDetail,
    StepRun,
    ValidateDetail,
)


def csv_rows(data_dir) -> int:
    """Records in the run's CSVs, from the generator's manifest.json."""
    return json.loads((Path(data_dir) / "manifest.json").read_text())["total_rows"]


def largest_table(data_dir) -> str:
    """The contract table with the most records in this run (manifest.json)."""
    rows = json.loads((Path(data_dir) / "manifest.json").read_text())["rows"]
    return max(rows, key=rows.get)


def generate(
    contract: str, n_orders: int, seed: int, out_dir: str, defects: str = "all=2", repeats: int = 3
) -> StepRun:
    """The synthetic generator writing every CSV, the defect manifest and manifest.json."""
    imports = timed_imports("duckdb", "pyarrow", "contractbook.synth")
    from contractbook.synth import generate as synth

    seconds, result = repeat(
        lambda: synth(contract, n_orders, seed, out_dir, defects=defects, progress=None), repeats
    )
    size = sum(p.stat().st_size for p in Path(out_dir).glob("*.csv"))
    return StepRun(seconds, imports, result.total_rows, peak_mb(), GenerateDetail(size))


def validate(
    contract: str, data_dir: str | None = None, sample_rows: int = 500, repeats: int = 3
) -> StepRun:
    """The validate-contract task: ODCS schema + semantic rules (`parse`), then the JSON Schema
    check of the first sample_rows records of each CSV in data_dir (when given)."""
    imports = timed_imports("contractbook.contract", "contractbook.jsonschema")
    from contractbook.contract import parse
    from contractbook.jsonschema import check_sample

    def body():
        model, problems = parse(contract)
        if model is None:
            raise ValueError(f"{contract}: invalid contract: " + "; ".join(map(str, problems[:5])))
        violations = check_sample(model, data_dir, n=sample_rows) if data_dir else []
        return model, problems, violations

    seconds, (model, problems, violations) = repeat(body, repeats)
    return StepRun(
        seconds,
        imports,
        None,
        peak_mb(),
        ValidateDetail(
            len(model.rules), len(problems), sample_rows if data_dir else 0, len(violations)
        ),
    )


def ddl(contract: str, out_dir: str, repeats: int = 3) -> StepRun:
    """DDL of every dialect written to out_dir, and the DuckDB script run in memory."""
    imports = timed_imports("duckdb", "contractbook.ddl")
    from contractbook.contract import load
    from contractbook.ddl import create, target
    from contractbook.ddl.files import write
    from contractbook.ddl.inspect import try_duckdb

    def body():
        model = load(contract)
        files = write(model, out_dir)
        try_duckdb(create(model, "duckdb"), target(model, "duckdb").schema)
        return files

    seconds, files = quiet(lambda: repeat(body, repeats))
    return StepRun(seconds, imports, None, peak_mb(), DdlDetail(len(files)))


def typed_select(table, data_dir: Path) -> str:
    """Anchor (a): a table's CSV read by DuckDB alone with the contract types, bad records skipped.

    `store_rejects` rather than `ignore_errors`: on a record with an unterminated quote, DuckDB 2.0
    with ignore_errors skips the rest of the file (measured: 90% of geolocation at 10k orders,
    65,155 valid rows of a 1M-row file), with store_rejects only the bad record, like the ingest.
    """
    from contractbook.ingest.castmap import sql_type
    from contractbook.sqltext import literal

    cols = (
        "{" + ", ".join(f"{literal(c.name)}: {literal(sql_type(c))}" for c in table.columns) + "}"
    )
    path = literal(str(data_dir / (table.name + ".csv")))
    return (
        f"SELECT * FROM read_csv({path}, columns={cols}, "
        f"header=true, auto_detect=false, delim=',', quote='\"', escape='\"', "
        f"timestampformat='%Y-%m-%d %H:%M:%S', strict_mode=true, store_rejects=true)"
    )


def _field(record, name: str):
    """A field of a record: a dict (GX expectation configs) or a dataclass (suites, accounts)."""
    return record[name] if isinstance(record, dict) else getattr(record, name)


def duckdb_alone(contract: str, data_dir: str, db_path: str, repeats: int = 3) -> StepRun:
    """Anchor (a): DuckDB alone loads the CSVs into typed tables of a file, bad rows skipped."""
    imports = timed_imports("duckdb")
    from contractbook.contract import load

    model = load(contract)
    seconds, rows = repeat(lambda: _duckdb_load(model, Path(data_dir), Path(db_path)), repeats)
    return StepRun(seconds, imports, rows, peak_mb(), AloneDetail(csv_rows(data_dir)))


def _duckdb_load(model, data_dir: Path, db_path: Path) -> int:
    """Every table into a fresh DuckDB file, parents first; rows loaded."""
    import duckdb

    from contractbook.sqltext import ident

    db_path.unlink(missing_ok=True)
    rows = 0
    with duckdb.connect(str(db_path)) as con:
        for name in model.dependency_order:
            select = typed_select(model.table(name), data_dir)
            con.execute(f"CREATE TABLE {ident(name)} AS {select}")
            rows += con.execute(f"SELECT count(*) FROM {ident(name)}").fetchall()[0][0]
    return rows


@dataclass(frozen=True)
class _IngestOnce:
    """One ingest run's own timers and accounting."""

    checks: float
    load: float
    phases: dict[str, float]
    ok: bool
    read: int
    loaded: int
    rejected: int


def _ingest_once(model, data_dir: str, work: Path) -> _IngestOnce:
    """One contractbook ingest into a fresh DuckDB file; its own timers and accounting."""
    from contractbook.ingest.run import ingest

    shutil.rmtree(work, ignore_errors=True)
    result = ingest(
        model,
        data_dir,
        "duckdb",
        work / "warehouse.duckdb",
        rejects_dir=work / "rejects",
        state_dir=work / "state",
        progress=lambda *_: None,
    )
    acc = result.accounting()
    return _IngestOnce(
        checks=sum(c.seconds for c in result.checks.values()),
        load=result.load_seconds,
        phases=dict(result.phases),
        ok=result.ok,
        read=sum(_field(a, "read") for a in acc),
        loaded=sum(_field(a, "loaded") for a in acc),
        rejected=sum(_field(a, "rejected") for a in acc),
    )


def ingest(contract: str, data_dir: str, work_dir: str, repeats: int = 3) -> StepRun:
    """contractbook ingest: every check, rejects (table + Parquet) and the dlt load."""
    imports = timed_imports("duckdb", "pyarrow", "dlt", "contractbook.ingest.run")
    from contractbook.contract import load

    model = load(contract)  # outside the timing, as in duckdb_alone
    runs: list[_IngestOnce] = []
    seconds, _ = repeat(lambda: runs.append(_ingest_once(model, data_dir, Path(work_dir))), repeats)
    last = runs[-1]
    return StepRun(
        seconds,
        imports,
        last.read,
        peak_mb(),
        IngestDetail(
            check_seconds=[r.checks for r in runs],
            load_seconds=[r.load for r in runs],
            rows_loaded=last.loaded,
            rows_rejected=last.rejected,
            accounting_ok=all(r.ok for r in runs),
            phase_seconds=last.phases,
        ),
    )


def dlt_arrow(
    contract: str, data_dir: str, work_dir: str, disposition: str = "merge", repeats: int = 3
) -> StepRun:
    """Anchor (b): dlt loading the same typed tables as Arrow batches, no checks, into DuckDB.

    The tables are read exactly as anchor (a) reads them (typed, bad rows skipped) and streamed to
    dlt with the contract's hints; disposition `merge` (on the primary key, as the real ingest
    declares) or `replace`.
    """
    imports = timed_imports("duckdb", "pyarrow", "dlt", "contractbook.ingest.load")
    from contractbook.contract import load

    model = load(contract)
    seconds, counts = repeat(
        lambda: _dlt_load(model, Path(data_dir), Path(work_dir), disposition), repeats
    )
    rows = sum(v for k, v in counts.items() if not k.startswith("_dlt"))
    return StepRun(seconds, imports, rows, peak_mb(), DltDetail(disposition))


def _dlt_load(model, data_dir: Path, work: Path, disposition: str) -> dict[str, int]:
    """One dlt run of every table into a fresh DuckDB file; dlt's normalized row counts."""
    import dlt
    import duckdb

    from contractbook.ingest import destinations
    from contractbook.ingest.hints import table_hints
    from contractbook.ingest.load import arrow_batches

    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    dest = destinations.get("duckdb")
    pipe = dlt.pipeline(
        pipeline_name=f"bench_dlt_{disposition}",
        pipelines_dir=str(work / "state"),
        destination=dest.build(work / "dlt.duckdb"),
        dataset_name="olist",
    )
    con = duckdb.connect()
    resources = []
    for name in model.dependency_order:
        hints = table_hints(model, name)
        key = _field(hints, "primary_key")
        wd = disposition if key or disposition == "replace" else "replace"
        # no checks: nothing is declared NOT NULL (planted NULLs would stop the load)
        columns = {c: {**h, "nullable": True} for c, h in _field(hints, "columns").items()}
        kwargs = {"name": name, "write_disposition": wd, "columns": columns}
        if key:
            kwargs["primary_key"] = key
        sql = typed_select(model.table(name), data_dir)
        resources.append(dlt.resource(arrow_batches(con, sql), **kwargs))
    pipe.extract(resources)
    info = pipe.normalize()
    pipe.load().raise_on_failed_jobs()
    con.close()
    return dict(info.row_counts)


PORTABLE_EXPECTATIONS = frozenset(
    {
        "expect_table_row_count_to_be_between",
        "expect_table_columns_to_match_set",
        "expect_column_values_to_not_be_null",
        "expect_column_values_to_be_unique",
        "expect_compound_columns_to_be_unique",
        "expect_column_values_to_be_in_set",
        "expect_column_values_to_match_regex",
        "expect_column_values_to_be_between",
        "expect_column_value_lengths_to_be_between",
    }
)


def portable_suite(contract, table: str) -> list:
    """The table's warehouse suite minus what only one engine runs (SQL type names, SQL queries)."""
    from contractbook.gx import table_suite

    suite = table_suite(contract, contract.table(table), "duckdb")
    return [e for e in _field(suite, "expectations") if _field(e, "type") in PORTABLE_EXPECTATIONS]


def table_rows(warehouse: str, schema: str, table: str) -> int:
    """Rows of a warehouse table."""
    import duckdb

    from contractbook.sqltext import ident

    with duckdb.connect(warehouse, read_only=True) as con:
        return con.execute(f"SELECT count(*) FROM {ident(schema)}.{ident(table)}").fetchall()[0][0]


def gx_engine(
    contract: str,
    warehouse: str,
    table: str,
    engine: str,
    state_dir: str,
    schema: str = "olist",
    repeats: int = 3,
) -> StepRun:
    """Anchor (c): the same GX suite on one warehouse table, run by pandas or as DuckDB SQL."""
    rows = table_rows(warehouse, schema, table)  # before GX holds the file open
    imports = timed_imports("great_expectations", "duckdb", "pandas")
    import great_expectations as gx

    from contractbook.contract import load
    from contractbook.gx.context import open_context
    from contractbook.sqltext import ident

    started = time.perf_counter()
    ctx = open_context(state_dir, Path(state_dir) / "docs")
    setup = time.perf_counter() - started
    model = load(contract)
    exps = portable_suite(model, table)
    suite = ctx.suites.add_or_update(
        gx.ExpectationSuite(
            name=f"bench_{engine}_{table}",
            expectations=[{"type": _field(e, "type"), "kwargs": _field(e, "kwargs")} for e in exps],
        )
    )
    read_seconds = 0.0
    if engine == "pandas":
        import duckdb

        t0 = time.perf_counter()
        with duckdb.connect(warehouse, read_only=True) as con:
            frame = con.sql(f"SELECT * FROM {ident(schema)}.{ident(table)}").df()
        read_seconds = time.perf_counter() - t0
        bd = (
            ctx.data_sources.add_or_update_pandas("bench_pandas")
            .add_dataframe_asset(table)
            .add_batch_definition_whole_dataframe("all")
        )
        params = {"dataframe": frame}
    elif engine == "sql":
        url = f"duckdb:///{Path(warehouse).resolve()}"
        ds = ctx.data_sources.add_or_update_sql("bench_sql", connection_string=url)
        bd = ds.add_table_asset(
            table, table_name=table, schema_name=schema
        ).add_batch_definition_whole_table("all")
        params = {}
    else:
        raise ValueError(f"gx_engine: unknown engine {engine!r} (pandas or sql)")
    vd = ctx.validation_definitions.add_or_update(
        gx.ValidationDefinition(name=f"bench_{engine}_{table}", data=bd, suite=suite)
    )

    def body():
        return vd.run(batch_parameters=params or None, result_format="SUMMARY")

    seconds, result = quiet(lambda: repeat(body, repeats))
    return StepRun(
        seconds,
        imports,
        rows,
        peak_mb(),
        GxEngineDetail(table, engine, len(exps), bool(result.success), setup, read_seconds),
    )


def gx(contract: str, data_dir: str, warehouse: str, state_dir: str, repeats: int = 3) -> StepRun:
    """The DAG's GX step: pre-load on the raw CSVs, post-load on the warehouse (SQL), Data Docs."""
    imports = timed_imports("great_expectations", "pandas", "duckdb")
    from contractbook.contract import load
    from contractbook.gx.context import build_docs, open_context
    from contractbook.gx.runner import run_postload, run_preload

    model = load(contract)
    parts: list[GxPart] = []

    def body():
        t0 = time.perf_counter()
        ctx = open_context(state_dir, Path(state_dir) / "docs")
        t1 = time.perf_counter()
        pre = run_preload(ctx, model, data_dir)
        t2 = time.perf_counter()
        post = run_postload(ctx, model, f"duckdb:///{Path(warehouse).resolve()}")
        t3 = time.perf_counter()
        build_docs(ctx)
        parts.append(
            GxPart(
                t1 - t0,
                t2 - t1,
                t3 - t2,
                time.perf_counter() - t3,
                len(pre.errors),
                len(post.errors),
            )
        )

    seconds, _ = quiet(lambda: repeat(body, repeats))
    return StepRun(seconds, imports, csv_rows(data_dir), peak_mb(), GxDetail(parts))


def metrics(contract: str, warehouse: str, repeats: int = 3) -> StepRun:
    """The metrics step: every SQL model materialized in schema curated, then checked against
    the generated curated contract; rows = the accepted raw rows the models read."""
    imports = timed_imports("duckdb", "sqlglot", "contractbook.metrics.refresh")
    from contractbook.contract import load
    from contractbook.metrics import models
    from contractbook.metrics.refresh import refresh

    model = load(contract)
    inputs = sorted({t for m in models(model) for t in m.raw_inputs})
    rows = sum(table_rows(warehouse, "olist", t) for t in inputs)
    seconds, result = repeat(lambda: refresh(model, "duckdb", warehouse, progress=None), repeats)
    model_seconds = sum(m.seconds for m in result.models)
    return StepRun(
        seconds,
        imports,
        rows,
        peak_mb(),
        MetricsDetail(
            model_seconds,
            seconds[-1] - model_seconds,
            {m.model: m.rows for m in result.models},
            bool(result.ok),
        ),
    )
