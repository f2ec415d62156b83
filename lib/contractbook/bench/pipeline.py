"""The whole bench at one size: every DAG step and the three anchors, on the same CSVs.

Steps are data (`PLAN`): name, whether it is a DAG step or an anchor, the measured function of
`contractbook.bench.steps`, and its keyword arguments for a run directory. Each runs in its own
process (`steps.child`); `summarize` turns the runs into the reported figures.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from pathlib import Path

from . import engines, steps

ANCHOR = "duckdb_alone"  # every figure is also given as a ratio to this one
GX_MAX_ORDERS = None  # no cap: the pre-load FK checks are vectorized (was rows x parent keys)
SKIP_REASONS = {
    "gx": "not run above {max:,} orders (--gx-max-orders): its pandas pre-load holds each CSV in "
          "memory, about 3 GB at 1M orders",
}


@dataclass(frozen=True)
class Step:
    """One measured step: its name in the reports, role, step function and what it does."""

    name: str
    role: str  # "dag" | "anchor"
    fn: str  # key of steps.STEPS
    label: str
    kwargs: object  # (Run) -> dict
    max_orders: int | None = None  # above this size the step is not run (reason in SKIP_REASONS)
    missing: object = None  # () -> why the step cannot run here (an optional extra), or None


@dataclass(frozen=True)
class Run:
    """Where one size's bench reads and writes."""

    contract: str
    n_orders: int
    seed: int
    work: Path
    repeats: int

    @property
    def data(self) -> Path:
        return self.work / f"raw-{self.n_orders}"

    @property
    def warehouse(self) -> Path:
        return self.work / f"ingest-{self.n_orders}" / "warehouse.duckdb"


def _common(r: Run) -> dict:
    return {"contract": r.contract, "repeats": r.repeats}


PLAN: tuple[Step, ...] = (
    Step("generate", "dag", "generate", "synthetic CSVs + defect manifest (contractbook.synth)",
         lambda r: {**_common(r), "n_orders": r.n_orders, "seed": r.seed, "out_dir": str(r.data)}),
    Step("validate", "dag", "validate",
         "contract validation (ODCS schema, semantic rules, JSON Schema on 500 rows per CSV)",
         lambda r: {**_common(r), "data_dir": str(r.data)}),
    Step("ddl", "dag", "ddl", "DDL for every dialect, DuckDB script executed",
         lambda r: {**_common(r), "out_dir": str(r.work / "ddl")}),
    Step("duckdb_alone", "anchor", "duckdb_alone", "(a) DuckDB alone: CSV -> typed tables in a file",
         lambda r: {**_common(r), "data_dir": str(r.data), "db_path": str(r.work / "alone.duckdb")}),
    Step("dlt_merge", "anchor", "dlt_arrow", "(b) dlt, Arrow, no checks, merge on the PK",
         lambda r: {**_common(r), "data_dir": str(r.data), "work_dir": str(r.work / "dlt-merge"),
                    "disposition": "merge"}),
    Step("dlt_replace", "anchor", "dlt_arrow", "(b) dlt, Arrow, no checks, replace",
         lambda r: {**_common(r), "data_dir": str(r.data), "work_dir": str(r.work / "dlt-replace"),
                    "disposition": "replace"}),
    Step("ingest", "dag", "ingest", "ingest: every check, rejects (table + Parquet), dlt load",
         lambda r: {**_common(r), "data_dir": str(r.data), "work_dir": str(r.warehouse.parent)}),
    Step("metrics", "dag", "metrics",
         "metrics: every SQL model into schema curated + check against the curated contract",
         lambda r: {**_common(r), "warehouse": str(r.warehouse)}),
    Step("gx", "dag", "gx", "GX: pre-load on CSVs (pandas) + post-load on the warehouse (SQL) + docs",
         lambda r: {**_common(r), "data_dir": str(r.data), "warehouse": str(r.warehouse),
                    "state_dir": str(r.work / "gx")}, max_orders=GX_MAX_ORDERS),
    Step("gx_pandas", "anchor", "gx_engine", "(c) GX on pandas, same suite, largest table",
         lambda r: {**_common(r), "warehouse": str(r.warehouse), "engine": "pandas",
                    "table": steps.largest_table(r.data), "state_dir": str(r.work / "gx-pandas")}),
    Step("gx_sql", "anchor", "gx_engine", "(c) GX on DuckDB SQL (shim), same suite, largest table",
         lambda r: {**_common(r), "warehouse": str(r.warehouse), "engine": "sql",
                    "table": steps.largest_table(r.data), "state_dir": str(r.work / "gx-sql")}),
    Step("checks_duckdb", "engine", "duckdb_checks", "(d) DuckDB engine: every check, no load",
         lambda r: {**_common(r), "data_dir": str(r.data)}),
    Step("checks_spark", "engine", "spark_checks",
         "(d) Spark engine, local[2]: every check, Parquet out (session start not timed)",
         lambda r: {**_common(r), "data_dir": str(r.data), "work_dir": str(r.work / "spark")},
         missing=lambda: engines.spark_missing()),
)
ENGINE_RATIO = ("checks_spark", "checks_duckdb")  # reported as Spark checks / DuckDB checks


def summarize(name: str, role: str, label: str, raw: dict, anchor_seconds: float | None) -> dict:
    """The reported figures of one step: median seconds, rows/s, peak MB, ratio to anchor (a)."""
    runs = list(raw["seconds"])
    median = statistics.median(runs)
    rows = raw.get("rows")
    return {"step": name, "role": role, "label": label, "seconds": median, "runs": runs,
            "import_seconds": raw.get("import_seconds"), "rows": rows,
            "rows_per_second": rows / median if rows and median else None,
            "peak_rss_mb": raw.get("peak_rss_mb"),
            "ratio": median / anchor_seconds if anchor_seconds else None,
            "process_seconds": raw.get("process_seconds")}


def run_size(contract: str, n_orders: int, work, seed: int = 42, repeats: int = 3,
             only: tuple[str, ...] | None = None, progress=print, child=steps.child,
             limits: dict[str, int | None] | None = None) -> dict:
    """Every step of PLAN at one size, in order; {n_orders, rows, csv_bytes, steps, skipped, raw}.

    limits: step -> max orders, overriding Step.max_orders (None: no limit).
    """
    r = Run(contract, n_orders, seed, Path(work), repeats)
    r.work.mkdir(parents=True, exist_ok=True)
    raw, skipped = {}, []
    for step in PLAN:
        if only and step.name not in only:
            continue
        cap = (limits or {}).get(step.name, step.max_orders)
        if cap is not None and n_orders > cap:
            reason = SKIP_REASONS.get(step.name, "not run above {max:,} orders").format(max=cap)
            skipped.append({"step": step.name, "label": step.label, "reason": reason})
            progress(f"  {n_orders:>9,} orders  {step.name:<13} skipped: {reason}")
            continue
        why = step.missing() if step.missing else None
        if why:
            skipped.append({"step": step.name, "label": step.label, "reason": why})
            progress(f"  {n_orders:>9,} orders  {step.name:<13} skipped: {why}")
            continue
        raw[step.name] = child(step.fn, **step.kwargs(r))
        s = raw[step.name]
        progress(f"  {n_orders:>9,} orders  {step.name:<13} {statistics.median(s['seconds']):8.2f} s "
                 f"(runs {len(s['seconds'])}, imports {s.get('import_seconds') or 0:.1f} s) "
                 f"peak {s.get('peak_rss_mb') or 0:,.0f} MB")
    anchor = statistics.median(raw[ANCHOR]["seconds"]) if ANCHOR in raw else None
    summary = [summarize(s.name, s.role, s.label, raw[s.name], anchor) for s in PLAN if s.name in raw]
    gen = raw.get("generate", {})
    spark, duck = (statistics.median(raw[n]["seconds"]) if n in raw else None for n in ENGINE_RATIO)
    return {"n_orders": n_orders, "seed": seed, "rows": gen.get("rows"),
            "csv_bytes": gen.get("csv_bytes"), "anchor_seconds": anchor, "steps": summary,
            "skipped": skipped, "raw": raw,
            "spark_over_duckdb_checks": spark / duck if spark and duck else None}
