"""Runner: ingest every contract table (parents first), load with dlt, check the accounting."""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from contractbook import runhistory as runs
from contractbook.contract import Contract
from contractbook.errors import LoadRefused, UsageError

from . import destinations, failures, history, load, runlock, status
from .accounts import Account, TableMetrics
from .check import RunContext, TableCheck, check_table, setup
from .hints import names_problem
from .rejects import write_parquet
from .relay import RelayError


@dataclass
class IngestResult:
    """What one ingest run did: per-table checks, dlt row counts, accounting and metrics."""

    run_id: str
    contract: Contract = field(repr=False)
    destination: str = "duckdb"
    checks: dict[str, TableCheck] = field(default_factory=dict, repr=False)
    loaded: dict[str, int] = field(default_factory=dict)
    rejected_loaded: dict[str, int] = field(default_factory=dict)
    load_seconds: float = 0.0
    rejects_dir: Path | None = None
    phases: dict[str, float] = field(default_factory=dict)  # wall seconds per phase
    status: str = "started"  # then completed or failed (as the run history records it)
    location: str = ""  # the warehouse written: a path or a server's host:port/db, no secret
    resolved: dict[str, int] = field(default_factory=dict)  # earlier rejects this run closed
    load_errors: dict[str, str] = field(default_factory=dict)  # a relay table's failed move

    def accounting(self) -> list[Account]:
        """Per table: read, loaded and rejected (by dlt), whether read = loaded + rejected;
        warned: loaded rows with a warning (a known quirk), part of loaded."""
        out = []
        for name, c in self.checks.items():
            loaded, rejected = self.loaded.get(name, 0), self.rejected_loaded.get(name, 0)
            error = c.error or self.load_errors.get(name)
            out.append(
                Account(
                    name,
                    c.read,
                    loaded,
                    rejected,
                    error is None and c.read == loaded + rejected == c.accepted + c.rejected,
                    error,
                    c.warned,
                )
            )
        return out

    @property
    def ok(self) -> bool:
        """True when the accounting equation holds for every table."""
        return all(a.ok for a in self.accounting())

    def metrics(self) -> list[TableMetrics]:
        """One metrics row per table (the content of _run_metrics)."""
        acc = {a.table: a for a in self.accounting()}
        total = sum(c.read for c in self.checks.values()) or 1
        rows = []
        for name, c in self.checks.items():
            share = self.load_seconds * c.read / total  # load time apportioned by rows
            seconds = c.seconds + share
            rows.append(
                TableMetrics(
                    run_id=self.run_id,
                    contract_id=self.contract.id,
                    contract_version=self.contract.version,
                    destination=self.destination,
                    table_name=name,
                    rows_read=c.read,
                    rows_loaded=acc[name].loaded,
                    rows_rejected=acc[name].rejected,
                    rows_malformed=c.malformed,
                    rejected_by_reason=json.dumps(dict(sorted(c.reasons.items()))),
                    warnings_by_rule=json.dumps(dict(sorted(c.warnings.items()))),
                    check_seconds=round(c.seconds, 4),
                    load_seconds=round(share, 4),
                    duration_seconds=round(seconds, 4),
                    rows_per_second=round(c.read / seconds, 1) if seconds else None,
                    accounting_ok=acc[name].ok,
                    notes="; ".join(c.notes),
                    table_checks=json.dumps(
                        {
                            r.rule: {
                                k: v for k, v in r.to_dict().items() if k not in ("rule", "table")
                            }
                            for r in c.table_rules
                        },
                        sort_keys=True,
                    ),
                )
            )
        return rows

    def _repr_html_(self) -> str:
        from .report import render

        return render(self)


# Per DuckDB instance (work database, embedded DuckDB destination); beyond it DuckDB spills to
# disk. With it, bench-ingest at 1M orders (5.5M rows) peaked at 1.2 GB RSS (2.7 GB before).
MEMORY_LIMIT = "1GB"


def work_config(state_dir, memory_limit: str | None, overrides: dict | None = None) -> dict:
    """Settings of the in-memory work database: memory limit, spilling under state_dir."""
    config = {}
    if memory_limit:
        spill = Path(state_dir) / "duckdb-spill"
        spill.mkdir(parents=True, exist_ok=True)
        config = {"memory_limit": memory_limit, "temp_directory": str(spill)}
    return {**config, **(overrides or {})}


def new_run() -> RunContext:
    """Run id and ingest timestamp (UTC)."""
    now = datetime.now(UTC)
    return RunContext(now.strftime("%Y%m%dT%H%M%SZ-") + uuid.uuid4().hex[:8], now.isoformat())


def _parent_failed_policy(contract: Contract, table: str, failed: dict, fk_policy) -> dict:
    """FK rules of table pointing at a table that failed to read: warn (checked next run)."""
    rules = [
        r.id
        for r in contract.rules_for(table)
        if r.kind == "foreign_key" and r.params["to_table"] in failed
    ]
    return {**(fk_policy or {}), **{r: "warn" for r in rules}}


def check_all(
    con,
    contract: Contract,
    data_dir,
    run: RunContext,
    fk_policy=None,
    progress=print,
    on_table=None,
    paths: dict | None = None,
    work_dir=None,
):
    """Check every table parents first; returns {table: TableCheck} in that order.

    on_table(name) is called as soon as a table's accepted rows and rejects are ready. paths:
    {table: input file} (default: reading.find.sources). A file that cannot be read fails its
    own table (TableCheck.error, nothing of it loaded) and the others go on; foreign keys to it
    are only warned about in that run.
    """
    from contractbook.reading.ahead import ReadAhead
    from contractbook.reading.find import require, sources

    paths = paths or sources(contract, data_dir)
    require(paths)
    work_dir = Path(work_dir) if work_dir else Path(data_dir) / ".staging"
    setup(con)
    checks, failed = {}, dict[str, str]()
    ahead = ReadAhead([paths[n] for n in contract.dependency_order])
    try:
        for name in contract.dependency_order:
            checks[name] = _check_one(
                con, contract, name, data_dir, run, fk_policy, paths, work_dir, failed, ahead
            )
            c = checks[name]
            if on_table:
                on_table(name)
            if c.error:
                progress(f"  {name:<36} FAILED: {c.error}")
                continue
            reasons = ", ".join(f"{k} {v}" for k, v in c.reasons.most_common(3))
            progress(
                f"  {name:<36} read {c.read:>9,}  accepted {c.accepted:>9,}  rejected "
                f"{c.rejected:>7,}  {c.seconds:6.2f}s"
                + (f"  ({reasons})" if reasons else "")
                + (f"  warned {sum(c.warnings.values()):,}" if c.warnings else "")
            )
            for note in c.notes:
                progress(f"    note: {note}")
    finally:
        ahead.close()
    return checks


def _check_one(con, contract, name, data_dir, run, fk_policy, paths, work_dir, failed, ahead):
    """One table's checks; a file that cannot be read fails its table (recorded in failed)."""
    from contractbook.reading.files import ReadError

    policy = _parent_failed_policy(contract, name, failed, fk_policy)
    try:
        return check_table(
            con, contract, name, Path(data_dir), run, policy, paths[name], work_dir, ahead=ahead
        )
    except ReadError as e:
        failed[name] = str(e)
        return check_table(
            con,
            contract,
            name,
            Path(data_dir),
            run,
            policy,
            paths[name],
            work_dir,
            failed=str(e),
        )


def ingest(
    contract: Contract,
    data_dir,
    destination: str = "duckdb",
    warehouse=None,
    rejects_dir="data/rejects",
    state_dir=".state/dlt",
    fk_policy: dict | None = None,
    progress=print,
    duckdb_config: dict | None = None,
    overlap: bool = False,
    memory_limit: str | None = MEMORY_LIMIT,
    wait: float = 0.0,
    server: str | None = None,
) -> IngestResult:
    """Read, check, split and load every table; rejects also go to Parquet under rejects_dir.

    Every input is checked to exist before anything is created (server: the contract's file
    server that names the input files; default <table>.csv). One run at a time per warehouse and
    state directory: a busy one raises WarehouseBusy, at once or after waiting up to `wait`
    seconds. memory_limit bounds each DuckDB (the work database of the checks and an embedded
    DuckDB destination); beyond it they spill to disk, so memory stays bounded as input grows.
    duckdb_config overrides the work database's settings.
    """
    from contractbook.reading.find import require, sources

    paths = sources(contract, data_dir, server)
    require(paths)
    dest = destinations.get(destination)
    if problem := next(filter(None, (names_problem(t, dest) for t in contract.tables)), ""):
        raise UsageError(f"{contract.path}: {problem}; give it a physicalName without it")
    location = dest.location(warehouse)
    if "'" in str(Path(state_dir).resolve()):  # dlt writes its load files' paths into SQL text
        raise UsageError(
            f"{state_dir}: dlt cannot load from a state directory whose path holds "
            "an apostrophe; choose another --state"
        )
    run = new_run()
    locks = runlock.lock_files(dest.local_path(warehouse), location, state_dir)
    try:
        with runlock.exclusive(locks, run.run_id, wait, progress):
            return _ingest(
                contract,
                data_dir,
                dest,
                location,
                warehouse,
                rejects_dir,
                state_dir,
                fk_policy,
                progress,
                duckdb_config,
                overlap,
                memory_limit,
                run,
                paths,
            )
    except Exception as e:
        known = failures.translate(e, dest, location)
        if known is None or known is e:
            raise
        raise known from e


def _ingest(
    contract,
    data_dir,
    dest,
    location,
    warehouse,
    rejects_dir,
    state_dir,
    fk_policy,
    progress,
    duckdb_config,
    overlap,
    memory_limit,
    run,
    paths,
) -> IngestResult:
    """One run under its locks: status started, checks, load, then status and metrics."""
    import duckdb

    con = duckdb.connect(config=work_config(state_dir, memory_limit, duckdb_config))
    result = IngestResult(
        run.run_id, contract, dest.name, {}, rejects_dir=Path(rejects_dir), location=location
    )
    rec = status.RunRecord(
        run.run_id,
        contract.id,
        contract.version,
        dest.name,
        location,
        run.ingested_at,
        runs.store_near(dest.local_path(warehouse), Path(rejects_dir)),
        {"data": str(Path(data_dir).resolve()), "files": {t: p.name for t, p in paths.items()}},
        commit=runs.git_commit(),
    )
    pipe = load.pipeline(
        contract, dest, warehouse, state_dir, memory_limit=memory_limit, location=location
    )
    try:
        progress(f"ingest {contract.id} v{contract.version} run {run.run_id} -> {dest.name}")
        setup(con)
        load.finish_pending(pipe)  # a killed run's packages, into this same warehouse only
        status.record(pipe, dest, rec)
        # the work tables are no longer needed once every row is in dlt's files
        loader = load.Loader(
            pipe,
            con,
            contract,
            contract.dependency_order,
            dest,
            None,
            overlap,
            after_extract=con.close,
        )

        def ready(name: str) -> None:  # close earlier rejects, then let the table stream
            result.resolved[name] = history.resolve(
                con, contract, name, history.open_rejects(pipe, dest, name, contract), run.run_id
            )
            loader.table_ready(name)

        try:
            result.checks = check_all(
                con,
                contract,
                data_dir,
                run,
                fk_policy,
                progress,
                on_table=ready,
                paths=paths,
                work_dir=Path(state_dir) / "staging",
            )
        except BaseException:
            loader.abort()
            raise
        started = time.perf_counter()
        write_parquet(con, list(result.checks.values()), Path(rejects_dir), run.run_id)
        parquet = time.perf_counter()
        counts = loader.finish()
        result.load_seconds = time.perf_counter() - started
        result.phases = {
            "checks": sum(c.seconds for c in result.checks.values()),
            "rejects_parquet": parquet - started,
            **{f"dlt_{k}": v for k, v in loader.seconds.items()},
        }
        # the equation is checked on what dlt itself normalized
        result.loaded = {n: counts.get(n, 0) for n in result.checks}
        result.rejected_loaded = {
            n: counts.get(f"{n}__rejects", 0) - result.resolved.get(n, 0) for n in result.checks
        }  # closed earlier rejects are not this run's
        for n, e in loader.move_errors.items():  # a table's or its rejects' move: both named
            t = n.removesuffix("__rejects")
            result.load_errors[t] = "; ".join(filter(None, (result.load_errors.get(t), e)))
        progress(f"  loaded with dlt {result.load_seconds:.2f}s after the checks")
        for a in result.accounting():
            if a.error:
                progress(f"  FAILED {a.table}: {a.error}")
            elif not a.ok:
                progress(
                    f"  ACCOUNTING FAILED {a.table}: read {a.read} != loaded "
                    f"{a.loaded} + rejected {a.rejected}"
                )
        rec.finish(result.ok, None if result.ok else "accounting failed", result.accounting())
        status.record(pipe, dest, rec, result.metrics())
        result.status = rec.status
        if result.load_errors:  # recorded as failed, with the accounting: now the clear error
            raise RelayError("; ".join(result.load_errors.values()))
        return result
    except Exception as e:
        if isinstance(failures.translate(e, dest, location), LoadRefused):
            _abort(pipe)
        _record_failure(pipe, dest, rec, e)
        raise
    finally:
        con.close()


def _abort(pipe) -> None:
    """Drop a refused load's package: retrying it cannot succeed, and a pending package would be
    loaded before any later run's data (every later run reads every file again)."""
    if pipe.has_pending_data:
        try:
            pipe.abort_packages()
        except Exception:  # dlt finishes an interrupted abort on the next load
            pass


def _record_failure(pipe, dest, rec: status.RunRecord, e: Exception) -> None:
    """Best effort: mark the run failed, unless a package is pending (the next run loads it)."""
    from contractbook.errors import one_line

    if rec.status != "started" or pipe.has_pending_data:
        return
    known = failures.translate(e, dest, rec.location)  # the line the user reads, also here
    try:
        status.record(pipe, dest, rec.finish(False, one_line(known or e)[:500]))
    except Exception:  # the destination itself failed: the run stays "started" there
        pass
