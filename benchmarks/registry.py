"""The one STEPS registry: step name -> what it runs, what it is and what it is compared against.

`make bench` runs the steps in this order at every size, each in its own process
(`harness.child`), on the same CSVs. Roles: `dag` (a step of the pipeline), `anchor` (a
reference without checks), `engine` (the check engines side by side), `peer` (another tool on
the same files).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import engines, peer, steps
from .records import StepRun

ANCHOR = "duckdb_alone"  # every figure is also given as a ratio to this one
ENGINE_RATIO = ("checks_spark", "checks_duckdb")  # reported as Spark checks / DuckDB checks


@dataclass(frozen=True)
class Run:
    """Where one size's bench reads and writes, and the tools it uses."""

    contract: str
    n_orders: int
    seed: int
    work: Path
    repeats: int
    datacontract: str = str(peer.DEFAULT_EXECUTABLE)

    @property
    def data(self) -> Path:
        """The CSVs with planted defects every step reads."""
        return self.work / f"raw-{self.n_orders}"

    @property
    def clean_data(self) -> Path:
        """The same size without defects, for the peer tool that stops at the first bad line."""
        return self.work / f"clean-{self.n_orders}"

    @property
    def warehouse(self) -> Path:
        """The warehouse the ingest step writes and later steps read."""
        return self.work / f"ingest-{self.n_orders}" / "warehouse.duckdb"


@dataclass(frozen=True)
class Step:
    """One measured step: its function, what it does, and the step it is compared against."""

    name: str
    role: str  # dag | anchor | engine | peer
    fn: Callable[..., StepRun]
    label: str
    kwargs: Callable[[Run], dict]
    compared_to: str | None = None  # another step's name: its ratio is reported too
    max_orders: int | None = None  # above this size the step is not run
    missing: Callable[[Run], str | None] | None = None  # why it cannot run here, or None


def _common(r: Run) -> dict:
    return {"contract": r.contract, "repeats": r.repeats}


def _data(r: Run) -> dict:
    return {**_common(r), "data_dir": str(r.data)}


_STEPS: tuple[Step, ...] = (
    Step(
        "generate",
        "dag",
        steps.generate,
        "synthetic CSVs + defect manifest (contractbook.synth)",
        lambda r: {**_common(r), "n_orders": r.n_orders, "seed": r.seed, "out_dir": str(r.data)},
    ),
    Step(
        "validate",
        "dag",
        steps.validate,
        "contract validation (ODCS schema, semantic rules, JSON Schema on 500 rows per CSV)",
        _data,
    ),
    Step(
        "ddl",
        "dag",
        steps.ddl,
        "DDL for every dialect, DuckDB script executed",
        lambda r: {**_common(r), "out_dir": str(r.work / "ddl")},
    ),
    Step(
        "duckdb_alone",
        "anchor",
        steps.duckdb_alone,
        "(a) DuckDB alone: CSV -> typed tables in a file",
        lambda r: {**_data(r), "db_path": str(r.work / "alone.duckdb")},
    ),
    Step(
        "dlt_merge",
        "anchor",
        steps.dlt_arrow,
        "(b) dlt, Arrow, no checks, merge on the PK",
        lambda r: {**_data(r), "work_dir": str(r.work / "dlt-merge"), "disposition": "merge"},
    ),
    Step(
        "dlt_replace",
        "anchor",
        steps.dlt_arrow,
        "(b) dlt, Arrow, no checks, replace",
        lambda r: {**_data(r), "work_dir": str(r.work / "dlt-replace"), "disposition": "replace"},
    ),
    Step(
        "ingest",
        "dag",
        steps.ingest,
        "ingest: every check, rejects (table + Parquet), dlt load",
        lambda r: {**_data(r), "work_dir": str(r.warehouse.parent)},
        compared_to=ANCHOR,
    ),
    Step(
        "metrics",
        "dag",
        steps.metrics,
        "metrics: every SQL model into schema curated + check against the curated contract",
        lambda r: {**_common(r), "warehouse": str(r.warehouse)},
    ),
    Step(
        "gx",
        "dag",
        steps.gx,
        "GX: pre-load on the CSVs + post-load on the warehouse + docs",
        lambda r: {**_data(r), "warehouse": str(r.warehouse), "state_dir": str(r.work / "gx")},
        compared_to="ingest",
    ),
    Step(
        "gx_pandas",
        "anchor",
        steps.gx_engine,
        "(c) GX on pandas, same suite, largest table",
        lambda r: {
            **_common(r),
            "warehouse": str(r.warehouse),
            "engine": "pandas",
            "table": steps.largest_table(r.data),
            "state_dir": str(r.work / "gx-pandas"),
        },
        compared_to="gx_sql",
    ),
    Step(
        "gx_sql",
        "anchor",
        steps.gx_engine,
        "(c) GX on DuckDB SQL (shim), same suite, largest table",
        lambda r: {
            **_common(r),
            "warehouse": str(r.warehouse),
            "engine": "sql",
            "table": steps.largest_table(r.data),
            "state_dir": str(r.work / "gx-sql"),
        },
    ),
    Step(
        "checks_duckdb",
        "engine",
        engines.duckdb_checks,
        "(d) DuckDB engine: every check, no load",
        _data,
    ),
    Step(
        "datacontract",
        "peer",
        peer.datacontract,
        "(e) datacontract-cli `test`, same CSVs (planted defects), checks only",
        lambda r: {
            **_data(r),
            "work_dir": str(r.work / "datacontract"),
            "executable": r.datacontract,
        },
        compared_to="checks_duckdb",
        missing=lambda r: peer.missing(r.datacontract),
    ),
    Step(
        "generate_clean",
        "peer",
        steps.generate,
        "same size without planted defects, for (e) (datacontract-cli stops at a bad line)",
        lambda r: {
            **_common(r),
            "n_orders": r.n_orders,
            "seed": r.seed,
            "defects": "",
            "out_dir": str(r.clean_data),
            "repeats": 1,
        },
        missing=lambda r: peer.missing(r.datacontract),
    ),
    Step(
        "datacontract_clean",
        "peer",
        peer.datacontract,
        "(e) datacontract-cli `test`, the clean CSVs, checks only",
        lambda r: {
            **_common(r),
            "data_dir": str(r.clean_data),
            "work_dir": str(r.work / "datacontract-clean"),
            "executable": r.datacontract,
        },
        compared_to="checks_duckdb",
        missing=lambda r: peer.missing(r.datacontract),
    ),
    # last: on a loaded local[2] it is the longest step by far (about 100x DuckDB's checks)
    Step(
        "checks_spark",
        "engine",
        engines.spark_checks,
        "(d) Spark engine, local[2]: every check, Parquet out (session start not timed)",
        lambda r: {**_data(r), "work_dir": str(r.work / "spark")},
        compared_to="checks_duckdb",
        missing=lambda r: engines.spark_missing(),
    ),
)
STEPS: dict[str, Step] = {s.name: s for s in _STEPS}


def get(name: str) -> Step:
    """The registered step of that name; a clear error for an unknown one."""
    try:
        return STEPS[name]
    except KeyError:
        raise KeyError(f"unknown bench step {name!r}; known: {', '.join(STEPS)}") from None
