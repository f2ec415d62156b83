"""Bench steps comparing the check engines: DuckDB checks alone vs Spark checks (same plan).

Both run every rule of the contract on the same CSVs and write no dlt load: DuckDB keeps its
work tables in memory; Spark (local[2]) writes accepted rows and rejects as Parquet. The Spark
step is skipped, with the reason, where pyspark or Java is missing. Session start-up is timed
apart (`session_seconds`) and not in `seconds`.
"""

from __future__ import annotations

import importlib.util
import shutil
import time
from pathlib import Path

from .harness import peak_mb, repeat, timed_imports
from .records import EngineDetail, StepRun


def spark_missing() -> str | None:
    """Why the Spark step cannot run here, or None."""
    if importlib.util.find_spec("pyspark") is None:
        return "pyspark is not installed (pip install 'contractbook[spark]')"
    if shutil.which("java") is None:
        return "no Java runtime on PATH (Spark needs Java 17+)"
    return None


def duckdb_checks(contract: str, data_dir: str, repeats: int = 3) -> StepRun:
    """Every check of the DuckDB engine (typed pass, pairs, SQL rules, rejects), no load."""
    imports = timed_imports("duckdb", "contractbook.ingest.run")
    import duckdb

    from contractbook.contract import load
    from contractbook.ingest.run import MEMORY_LIMIT, check_all, new_run

    model = load(contract)

    def body():
        with duckdb.connect(config={"memory_limit": MEMORY_LIMIT}) as con:
            checks = check_all(con, model, data_dir, new_run(), progress=lambda *_: None)
            return checks

    seconds, checks = repeat(body, repeats)
    ok = all(c.read == c.accepted + c.rejected for c in checks.values())
    return StepRun(
        seconds,
        imports,
        sum(c.read for c in checks.values()),
        peak_mb(),
        EngineDetail(accounting_ok=ok),
    )


def spark_checks(contract: str, data_dir: str, work_dir: str, repeats: int = 1) -> StepRun:
    """Every check of the Spark engine, accepted rows and rejects written as Parquet."""
    imports = timed_imports("pyspark.sql", "contractbook.spark.ingest")
    from contractbook.contract import load
    from contractbook.ingest.run import new_run
    from contractbook.spark.ingest import check_all
    from contractbook.spark.session import session

    model = load(contract)
    work = Path(work_dir)
    started = time.perf_counter()
    spark = session(warehouse=work / "warehouse")
    session_seconds = time.perf_counter() - started

    def body():
        shutil.rmtree(work / "run", ignore_errors=True)
        checks = check_all(
            spark,
            model,
            data_dir,
            new_run(),
            work / "run" / "work",
            work / "run" / "out",
            progress=lambda *_: None,
        )
        spark.catalog.clearCache()
        return checks

    seconds, checks = repeat(body, repeats)
    ok = all(c.read == c.accepted + c.rejected for c in checks.values())
    spark.stop()
    return StepRun(
        seconds,
        imports,
        sum(c.read for c in checks.values()),
        peak_mb(),
        EngineDetail(accounting_ok=ok, session_seconds=session_seconds),
    )
