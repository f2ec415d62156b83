"""Typed records of the bench: what a step measured, a size's summary, a build, the whole run."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any


def to_json(record) -> Any:
    """A record (or a list/dict of them) as plain JSON values, a step detail tagged by its type."""
    if dataclasses.is_dataclass(record) and not isinstance(record, type):
        out = {f.name: to_json(getattr(record, f.name)) for f in dataclasses.fields(record)}
        if type(record).__name__ in DETAILS:
            out["kind"] = type(record).__name__
        return out
    if isinstance(record, list | tuple):
        return [to_json(x) for x in record]
    if isinstance(record, dict):
        return {k: to_json(v) for k, v in record.items()}
    return record


@dataclass(frozen=True)
class GenerateDetail:
    """The synthetic generator's output size."""

    csv_bytes: int


@dataclass(frozen=True)
class ValidateDetail:
    """Contract validation: rules parsed, problems found, JSON Schema sample checked."""

    rules: int
    problems: int
    sample_rows: int
    sample_violations: int


@dataclass(frozen=True)
class DdlDetail:
    """DDL files written."""

    files: int


@dataclass(frozen=True)
class AloneDetail:
    """DuckDB alone: the records in the CSVs (rows = the ones it loaded)."""

    csv_rows: int


@dataclass(frozen=True)
class IngestDetail:
    """contractbook ingest, one value per run where the step repeats."""

    check_seconds: list[float]
    load_seconds: list[float]
    rows_loaded: int
    rows_rejected: int
    accounting_ok: bool
    phase_seconds: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class DltDetail:
    """dlt alone: its write disposition."""

    disposition: str


@dataclass(frozen=True)
class GxEngineDetail:
    """The same GX suite on one table, by one engine."""

    table: str
    engine: str
    expectations: int
    success: bool
    setup_seconds: float
    read_seconds: float


@dataclass(frozen=True)
class GxPart:
    """One run of the DAG's GX step, split into its parts (seconds) and failures."""

    context: float
    preload: float
    postload: float
    docs: float
    preload_failed: int
    postload_failed: int


@dataclass(frozen=True)
class GxDetail:
    """The DAG's GX step: its parts, per run."""

    parts: list[GxPart]

    @classmethod
    def from_json(cls, d: dict) -> GxDetail:
        """From to_json's output."""
        return cls([GxPart(**p) for p in d["parts"]])


@dataclass(frozen=True)
class MetricsDetail:
    """The metrics step: models and curated check."""

    models_seconds: float
    check_seconds: float
    curated_rows: dict[str, int]
    check_ok: bool


@dataclass(frozen=True)
class EngineDetail:
    """A check engine (DuckDB or Spark): accounting and session start-up (not timed)."""

    accounting_ok: bool | None = None
    session_seconds: float | None = None


@dataclass(frozen=True)
class PeerDetail:
    """datacontract-cli `test` on the same CSVs: its verdict as it reported it."""

    tool: str
    version: str | None
    exit_code: int | None
    result: str  # what the tool said: passed / failed / warning / error / timeout
    checks_total: int
    checks_passed: int
    checks_failed: int
    checks_warned: int
    checks_errored: int
    tables: list[str]
    first_failures: list[str]
    error: str = ""


DETAILS = {
    c.__name__: c
    for c in (
        GenerateDetail,
        ValidateDetail,
        DdlDetail,
        AloneDetail,
        IngestDetail,
        DltDetail,
        GxEngineDetail,
        GxDetail,
        MetricsDetail,
        EngineDetail,
        PeerDetail,
    )
}


def detail_from_json(d: dict | None):
    """A step detail from to_json's output (tagged `kind`), or None."""
    if not d:
        return None
    d = dict(d)
    cls = DETAILS[d.pop("kind")]
    return cls.from_json(d) if hasattr(cls, "from_json") else cls(**d)


@dataclass(frozen=True)
class StepRun:
    """What one step measured in its own process: seconds per run and its peak memory."""

    seconds: list[float]
    import_seconds: float | None
    rows: int | None
    peak_rss_mb: float | None
    detail: Any = None
    process_seconds: float | None = None

    @classmethod
    def from_json(cls, d: dict) -> StepRun:
        """From to_json's output (the child's stdout)."""
        return cls(**{**d, "detail": detail_from_json(d.get("detail"))})


@dataclass(frozen=True)
class StepSummary:
    """The reported figures of one step at one size."""

    step: str
    role: str
    label: str
    seconds: float
    runs: list[float]
    import_seconds: float | None
    rows: int | None
    rows_per_second: float | None
    peak_rss_mb: float | None
    ratio: float | None  # to anchor (a), DuckDB alone
    process_seconds: float | None = None
    compared_to: str | None = None
    compared_ratio: float | None = None  # to the step it is compared against


@dataclass(frozen=True)
class Skipped:
    """A step not measured at a size, and why."""

    step: str
    label: str
    reason: str


@dataclass
class SizeResult:
    """Every step at one size."""

    n_orders: int
    seed: int
    rows: int | None
    csv_bytes: int | None
    anchor_seconds: float | None
    steps: list[StepSummary]
    skipped: list[Skipped] = field(default_factory=list)
    raw: dict[str, StepRun] = field(default_factory=dict)
    spark_over_duckdb_checks: float | None = None

    def step(self, name: str) -> StepSummary | None:
        """The summary of one step, or None."""
        return next((s for s in self.steps if s.step == name), None)


@dataclass(frozen=True)
class Timed:
    """One timed command: wall seconds, exit code, output tail when it failed, task seconds."""

    seconds: float
    exit_code: int | None
    ok: bool
    tail: str
    tasks: dict[str, float]
    target_seconds: float | None = None

    @property
    def target_met(self) -> bool | None:
        """Whether it ran and stayed within its target (None without a target)."""
        if self.target_seconds is None:
            return None
        return self.ok and self.seconds <= self.target_seconds


@dataclass(frozen=True)
class BuildResult:
    """`ploomber build` in a fresh copy, then the same again with everything up to date."""

    build: Timed
    noop: Timed
    n_orders: int | None = None


@dataclass(frozen=True)
class Machine:
    """What the figures were measured on, and the load when the bench started."""

    cores: int | None
    memory_gb: float | None
    cpu: str
    platform: str
    python: str
    packages: dict[str, str | None]
    load_start: list[float]
    started: str


@dataclass(frozen=True)
class FunctionRow:
    """One function of a cProfile dump."""

    function: str
    ncalls: int
    tottime: float
    cumtime: float


@dataclass(frozen=True)
class PackageRow:
    """Own time summed over one package."""

    package: str
    own_seconds: float
    share: float


@dataclass(frozen=True)
class ImportRow:
    """One package's cumulative import time."""

    module: str
    cumulative_s: float
    share: float | None


@dataclass(frozen=True)
class Profile:
    """The slowest step under cProfile, and what the profile shows."""

    step: str
    step_fn: str
    n_orders: int
    seconds: float
    stats: str
    cumulative: list[FunctionRow]
    tottime: list[FunctionRow]
    packages: list[PackageRow]
    import_module: str | None
    imports: list[ImportRow]
    findings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Target:
    """One target of the issues, with the measured figure and whether it is met."""

    target: str
    measured: str
    met: bool | None


@dataclass
class BenchResult:
    """One `make bench`: every size, the build timing, the profile."""

    command: str
    contract_id: str
    contract_version: str
    contract: str
    seed: int
    repeats: int
    machine: Machine
    sizes: list[SizeResult] = field(default_factory=list)
    build: BuildResult | None = None
    profile: Profile | None = None
    load_end: list[float] = field(default_factory=list)
    finished: str = ""
    bench_seconds: float | None = None

    def largest(self) -> SizeResult | None:
        """The largest size measured."""
        return max(self.sizes, key=lambda s: s.n_orders) if self.sizes else None

    def at(self, n_orders: int) -> SizeResult | None:
        """The size of n_orders, or None."""
        return next((s for s in self.sizes if s.n_orders == n_orders), None)


def _size_from_json(d: dict) -> SizeResult:
    return SizeResult(
        **{
            **d,
            "steps": [StepSummary(**s) for s in d["steps"]],
            "skipped": [Skipped(**s) for s in d["skipped"]],
            "raw": {k: StepRun.from_json(v) for k, v in d["raw"].items()},
        }
    )


def _profile_from_json(d: dict) -> Profile:
    rows = {k: [FunctionRow(**r) for r in d[k]] for k in ("cumulative", "tottime")}
    return Profile(
        **{
            **d,
            **rows,
            "packages": [PackageRow(**r) for r in d["packages"]],
            "imports": [ImportRow(**r) for r in d["imports"]],
        }
    )


def bench_from_json(d: dict) -> BenchResult:
    """A BenchResult from bench.json (to_json's output; its `targets` are recomputed)."""
    d = {k: v for k, v in d.items() if k != "targets"}
    build = d.get("build")
    return BenchResult(
        **{
            **d,
            "machine": Machine(**d["machine"]),
            "sizes": [_size_from_json(s) for s in d["sizes"]],
            "build": BuildResult(
                Timed(**build["build"]), Timed(**build["noop"]), build.get("n_orders")
            )
            if build
            else None,
            "profile": _profile_from_json(d["profile"]) if d.get("profile") else None,
        }
    )
