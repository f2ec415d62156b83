"""Measured steps of `make bench`: each a function (JSON-able kwargs -> dict), run in its own process.

Every step returns at least `seconds` (one per run), `import_seconds` (heavy imports, timed apart
and paid once per process), `rows` (records the step handled, None when rows mean nothing) and
`peak_rss_mb` (the process's max RSS). A step whose first run is short is run again in the same
process, up to `repeats` times, so its figure can be a median (see `repeat`).
"""

from __future__ import annotations

import importlib
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from contractbook.bench import engines
from contractbook.bench import ingest as ingest_bench

SHORT_SECONDS = 5.0  # a step faster than this is repeated and reported as a median


def peak_mb() -> float:
    """This process's peak resident memory (max RSS), MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed_imports(*modules: str) -> float:
    """Import modules (heavy ones, paid once per process); seconds it took."""
    started = time.perf_counter()
    for m in modules:
        importlib.import_module(m)
    return time.perf_counter() - started


def repeat(body, repeats: int, short: float = SHORT_SECONDS) -> tuple[list[float], object]:
    """Run body() once, then again while runs are short, up to repeats runs; (seconds, last value)."""
    seconds, value = [], None
    for _ in range(max(repeats, 1)):
        started = time.perf_counter()
        value = body()
        seconds.append(time.perf_counter() - started)
        if seconds[0] >= short:
            break
    return seconds, value


def csv_rows(data_dir) -> int:
    """Records in the run's CSVs, from the generator's manifest.json."""
    return json.loads((Path(data_dir) / "manifest.json").read_text())["total_rows"]


def generate(contract: str, n_orders: int, seed: int, out_dir: str, defects: str = "all=2",
             repeats: int = 3) -> dict:
    """The synthetic generator writing every CSV, the defect manifest and manifest.json."""
    imports = timed_imports("duckdb", "pyarrow", "contractbook.synth")
    from contractbook.synth import generate as synth

    seconds, result = repeat(lambda: synth(contract, n_orders, seed, out_dir, defects=defects,
                                           progress=None), repeats)
    size = sum(p.stat().st_size for p in Path(out_dir).glob("*.csv"))
    return {"seconds": seconds, "import_seconds": imports, "rows": result.total_rows,
            "csv_bytes": size, "peak_rss_mb": peak_mb()}


def validate(contract: str, data_dir: str | None = None, sample_rows: int = 500,
             repeats: int = 3) -> dict:
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
    return {"seconds": seconds, "import_seconds": imports, "rows": None,
            "rules": len(model.rules), "problems": len(problems),
            "sample_rows": sample_rows if data_dir else 0, "sample_violations": len(violations),
            "peak_rss_mb": peak_mb()}


def ddl(contract: str, out_dir: str, repeats: int = 3) -> dict:
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

    seconds, files = _quiet(lambda: repeat(body, repeats))
    return {"seconds": seconds, "import_seconds": imports, "rows": None, "files": len(files),
            "peak_rss_mb": peak_mb()}


def _quiet(fn):
    """fn() with its prints (one line per file) sent to stderr, keeping stdout for the result."""
    import contextlib

    with contextlib.redirect_stdout(sys.stderr):
        return fn()


def duckdb_alone(contract: str, data_dir: str, db_path: str, repeats: int = 3) -> dict:
    """Anchor (a): DuckDB alone loading the CSVs into typed tables of a file (bad records skipped)."""
    imports = timed_imports("duckdb")
    from contractbook.contract import load

    model = load(contract)
    seconds, rows = repeat(lambda: _duckdb_load(model, Path(data_dir), Path(db_path)), repeats)
    return {"seconds": seconds, "import_seconds": imports, "rows": rows,
            "csv_rows": csv_rows(data_dir), "peak_rss_mb": peak_mb()}


def _duckdb_load(model, data_dir: Path, db_path: Path) -> int:
    """Every table into a fresh DuckDB file, parents first; rows loaded."""
    import duckdb

    db_path.unlink(missing_ok=True)
    rows = 0
    with duckdb.connect(str(db_path)) as con:
        for name in model.dependency_order:
            con.execute(f'CREATE TABLE "{name}" AS {ingest_bench.typed_select(model.table(name), data_dir)}')
            rows += con.execute(f'SELECT count(*) FROM "{name}"').fetchall()[0][0]
    return rows


def ingest(contract: str, data_dir: str, work_dir: str, repeats: int = 3) -> dict:
    """contractbook ingest: every check, rejects (table + Parquet) and the dlt load (bench.ingest's)."""
    imports = timed_imports("duckdb", "pyarrow", "dlt", "contractbook.ingest.run")
    runs = []
    seconds, _ = repeat(lambda: runs.append(ingest_bench.contractbook_ingest(contract, data_dir,
                                                                             work_dir)), repeats)
    last = runs[-1]
    return {"seconds": seconds, "import_seconds": imports, "rows": last["rows_read"],
            "check_seconds": [r["check_seconds"] for r in runs],
            "load_seconds": [r["load_seconds"] for r in runs],
            "rows_loaded": last["rows_loaded"], "rows_rejected": last["rows_rejected"],
            "accounting_ok": all(r["accounting_ok"] for r in runs), "peak_rss_mb": peak_mb()}


def dlt_arrow(contract: str, data_dir: str, work_dir: str, disposition: str = "merge",
              repeats: int = 3) -> dict:
    """Anchor (b): dlt loading the same typed tables as Arrow batches, no checks, into DuckDB.

    The tables are read exactly as anchor (a) reads them (typed, bad rows skipped) and streamed to
    dlt with the contract's hints; disposition `merge` (on the primary key, as the real ingest
    declares) or `replace`.
    """
    imports = timed_imports("duckdb", "pyarrow", "dlt", "contractbook.ingest.load")
    from contractbook.contract import load

    model = load(contract)
    seconds, counts = repeat(lambda: _dlt_load(model, Path(data_dir), Path(work_dir), disposition),
                             repeats)
    return {"seconds": seconds, "import_seconds": imports,
            "rows": sum(v for k, v in counts.items() if not k.startswith("_dlt")),
            "disposition": disposition, "peak_rss_mb": peak_mb()}


def _dlt_load(model, data_dir: Path, work: Path, disposition: str) -> dict:
    """One dlt run of every table into a fresh DuckDB file; dlt's normalized row counts."""
    import dlt
    import duckdb

    from contractbook.ingest import destinations
    from contractbook.ingest.hints import table_hints
    from contractbook.ingest.load import arrow_batches

    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    dest = destinations.get("duckdb")
    pipe = dlt.pipeline(pipeline_name=f"bench_dlt_{disposition}", pipelines_dir=str(work / "state"),
                        destination=dest.build(work / "dlt.duckdb"), dataset_name="olist")
    con = duckdb.connect()
    resources = []
    for name in model.dependency_order:
        hints = table_hints(model, name)
        wd = disposition if hints["primary_key"] or disposition == "replace" else "replace"
        # no checks: nothing is declared NOT NULL (planted NULLs would stop the load)
        columns = {c: {**h, "nullable": True} for c, h in hints["columns"].items()}
        kwargs = {"name": name, "write_disposition": wd, "columns": columns}
        if hints["primary_key"]:
            kwargs["primary_key"] = hints["primary_key"]
        sql = ingest_bench.typed_select(model.table(name), data_dir)
        resources.append(dlt.resource(arrow_batches(con, sql), **kwargs))
    pipe.extract(resources)
    info = pipe.normalize()
    pipe.load().raise_on_failed_jobs()
    con.close()
    return dict(info.row_counts)


def largest_table(data_dir) -> str:
    """The contract table with the most records in this run (manifest.json)."""
    rows = json.loads((Path(data_dir) / "manifest.json").read_text())["rows"]
    return max(rows, key=rows.get)


PORTABLE_EXPECTATIONS = frozenset({
    "expect_table_row_count_to_be_between", "expect_table_columns_to_match_set",
    "expect_column_values_to_not_be_null", "expect_column_values_to_be_unique",
    "expect_compound_columns_to_be_unique", "expect_column_values_to_be_in_set",
    "expect_column_values_to_match_regex", "expect_column_values_to_be_between",
    "expect_column_value_lengths_to_be_between"})


def portable_suite(contract, table: str) -> list[dict]:
    """The table's warehouse suite minus what only one engine runs (SQL type names, SQL queries)."""
    from contractbook.gx import table_suite

    suite = table_suite(contract, contract.table(table), "duckdb")
    return [e for e in suite["expectations"] if e["type"] in PORTABLE_EXPECTATIONS]


def gx_engine(contract: str, warehouse: str, table: str, engine: str, state_dir: str,
              schema: str = "olist", repeats: int = 3) -> dict:
    """Anchor (c): the same GX suite on one warehouse table, run by pandas or as DuckDB SQL."""
    rows = table_rows(warehouse, schema, table)  # before GX holds the file open
    imports = timed_imports("great_expectations", "duckdb", "pandas")
    import great_expectations as gx

    from contractbook.contract import load
    from contractbook.gx.context import open_context

    started = time.perf_counter()
    ctx = open_context(state_dir, Path(state_dir) / "docs")
    setup = time.perf_counter() - started
    model = load(contract)
    exps = portable_suite(model, table)
    suite = ctx.suites.add_or_update(gx.ExpectationSuite(
        name=f"bench_{engine}_{table}",
        expectations=[{"type": e["type"], "kwargs": e["kwargs"]} for e in exps]))
    read_seconds = 0.0
    if engine == "pandas":
        import duckdb

        t0 = time.perf_counter()
        with duckdb.connect(warehouse, read_only=True) as con:
            frame = con.sql(f'SELECT * FROM {schema}."{table}"').df()
        read_seconds = time.perf_counter() - t0
        bd = ctx.data_sources.add_or_update_pandas("bench_pandas").add_dataframe_asset(table) \
            .add_batch_definition_whole_dataframe("all")
        params = {"dataframe": frame}
    elif engine == "sql":
        ds = ctx.data_sources.add_or_update_sql("bench_sql",
                                                connection_string=f"duckdb:///{Path(warehouse).resolve()}")
        bd = ds.add_table_asset(table, table_name=table, schema_name=schema) \
            .add_batch_definition_whole_table("all")
        params = {}
    else:
        raise ValueError(f"gx_engine: unknown engine {engine!r} (pandas or sql)")
    vd = ctx.validation_definitions.add_or_update(
        gx.ValidationDefinition(name=f"bench_{engine}_{table}", data=bd, suite=suite))

    def body():
        return vd.run(batch_parameters=params or None, result_format="SUMMARY")

    seconds, result = _quiet(lambda: repeat(body, repeats))
    return {"seconds": seconds, "import_seconds": imports, "setup_seconds": setup,
            "read_seconds": read_seconds, "rows": rows,
            "table": table, "engine": engine, "expectations": len(exps),
            "success": bool(result.success), "peak_rss_mb": peak_mb()}


def table_rows(warehouse: str, schema: str, table: str) -> int:
    """Rows of a warehouse table."""
    import duckdb

    with duckdb.connect(warehouse, read_only=True) as con:
        return con.execute(f'SELECT count(*) FROM {schema}."{table}"').fetchall()[0][0]


def gx(contract: str, data_dir: str, warehouse: str, state_dir: str, repeats: int = 3) -> dict:
    """The DAG's GX step: pre-load on the raw CSVs (pandas), post-load on the warehouse (SQL), docs."""
    imports = timed_imports("great_expectations", "pandas", "duckdb")
    from contractbook.contract import load
    from contractbook.gx.context import build_docs, open_context
    from contractbook.gx.runner import run_postload, run_preload

    model = load(contract)
    parts = []

    def body():
        t0 = time.perf_counter()
        ctx = open_context(state_dir, Path(state_dir) / "docs")
        t1 = time.perf_counter()
        pre = run_preload(ctx, model, data_dir)
        t2 = time.perf_counter()
        post = run_postload(ctx, model, f"duckdb:///{Path(warehouse).resolve()}")
        t3 = time.perf_counter()
        build_docs(ctx)
        parts.append({"context": t1 - t0, "preload": t2 - t1, "postload": t3 - t2,
                      "docs": time.perf_counter() - t3, "preload_failed": len(pre.errors),
                      "postload_failed": len(post.errors)})

    seconds, _ = _quiet(lambda: repeat(body, repeats))
    return {"seconds": seconds, "import_seconds": imports, "rows": csv_rows(data_dir),
            "parts": parts, "peak_rss_mb": peak_mb()}


def metrics(contract: str, warehouse: str, repeats: int = 3) -> dict:
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
    return {"seconds": seconds, "import_seconds": imports, "rows": rows,
            "models_seconds": model_seconds, "check_seconds": seconds[-1] - model_seconds,
            "curated_rows": {m.model: m.rows for m in result.models},
            "check_ok": result.ok, "peak_rss_mb": peak_mb()}


STEPS = {"generate": generate, "validate": validate, "ddl": ddl, "duckdb_alone": duckdb_alone,
         "ingest": ingest, "dlt_arrow": dlt_arrow, "gx_engine": gx_engine, "gx": gx,
         "metrics": metrics, "duckdb_checks": engines.duckdb_checks,
         "spark_checks": engines.spark_checks}


def child(step: str, profile: str | None = None, **kwargs) -> dict:
    """Run one step in a fresh interpreter (its own peak memory); its dict, plus the wall time.

    profile: a path; the step then runs under cProfile, its stats written there.
    """
    code = ("import json, sys; from contractbook.bench.steps import main; main(sys.argv[1:])")
    argv = [sys.executable, "-c", code, step, json.dumps(kwargs)] + ([profile] if profile else [])
    started = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True,
                          env={**os.environ, "PYTHONWARNINGS": "ignore"})
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"bench step {step} failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}")
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    return {**out, "process_seconds": wall}


def main(argv: list[str]) -> None:
    """Child entry point: `step kwargs-json [profile-path]`; prints the step's dict as JSON."""
    step, kwargs = argv[0], json.loads(argv[1])
    fn = STEPS[step]
    if len(argv) > 2:
        import cProfile

        prof = cProfile.Profile()
        result = prof.runcall(fn, **kwargs)
        prof.dump_stats(argv[2])
    else:
        result = fn(**kwargs)
    sys.stdout.flush()
    print(json.dumps(result, default=str), flush=True)
