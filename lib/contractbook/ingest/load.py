"""Runner: hand the accepted rows and the rejects to dlt as streamed Arrow record batches."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from contractbook.contract import Contract, naming
from contractbook.errors import one_line
from contractbook.sqltext import name_token

from . import relay
from .destinations import Destination
from .dltnaming import MODULE as NAMING
from .hints import METRICS_HINTS, rejects_hints, renamed, table_hints
from .plan import qi

# One Arrow batch is one row group of dlt's Parquet. The DuckDB destination reads a file in
# parallel by row group while keeping row order: with DuckDB's own row-group size (122,880) the
# load of the 1M-order tables took 5.3-5.6 s CPU, with 250,000-row groups 8.1-9.1 s (measured).
BATCH_ROWS = 122_880


def _quiet_dlt() -> None:
    os.environ.setdefault("RUNTIME__DLTHUB_TELEMETRY", "false")
    os.environ.setdefault("DLT_TELEMETRY_DISABLED", "1")
    # dlt logs a refused job with its traceback; ingest reports it as one line (failures.py)
    os.environ.setdefault("RUNTIME__LOG_LEVEL", "CRITICAL")
    # a job the destination refuses for good aborts its package (state restored): left pending,
    # every later run would replay it first and fail the same way
    os.environ.setdefault("LOAD__AUTO_ABORT_ON_TERMINAL_ERROR", "true")
    # resources are extracted one after another, so the metrics resource (last) sees final counts
    os.environ.setdefault("EXTRACT__NEXT_ITEM_MODE", "fifo")
    # dlt's Parquet files are intermediate (read once by the loader, then deleted): compressing
    # them cost a third of the extract time and made the load read slower (measured)
    os.environ.setdefault("DATA_WRITER__COMPRESSION", "none")
    # tables and columns land under the contract's physical names, as the DDL creates them
    os.environ.setdefault("SCHEMA__NAMING", NAMING)


def pipeline_name(contract: Contract, dest: Destination, location: str) -> str:
    """contractbook_<contract name>_<destination>_<hash of the warehouse>: state and pending
    packages of one warehouse are never loaded into another; a digest stands for a name that is
    not plain [a-z0-9_] (the name is a folder under the state directory: contract text is not a
    path)."""
    import hashlib

    digest = hashlib.sha256(location.encode()).hexdigest()[:10]
    return f"contractbook_{name_token(contract.name)}_{dest.name}_{digest}"


def pipeline(
    contract: Contract,
    dest: Destination,
    warehouse=None,
    state_dir=".state/dlt",
    dataset: str | None = None,
    memory_limit: str | None = None,
    location: str | None = None,
):
    """The dlt pipeline of one contract and warehouse, its state kept inside the project.

    dataset: default the contract's `servers` schema for the destination, else its name.
    """
    _quiet_dlt()
    import dlt

    Path(state_dir).mkdir(parents=True, exist_ok=True)
    location = location or dest.location(warehouse)
    return dlt.pipeline(
        pipeline_name=pipeline_name(contract, dest, location),
        pipelines_dir=str(Path(state_dir).resolve()),
        destination=dest.build(warehouse, memory_limit),
        dataset_name=dataset or naming.loaded_dataset(contract, dest.name),
    )


def arrow_batches(
    con, sql: str, batch_rows: int = BATCH_ROWS, counter: dict | None = None, key: str = ""
):
    """Yield the result of sql as Arrow record batches (bounded memory); an empty table if none.

    counter[key] accumulates the rows handed to dlt.
    """
    cur = con.cursor()
    try:
        reader = cur.sql(sql).to_arrow_reader(batch_rows)
        empty = True
        for batch in reader:
            if batch.num_rows:
                empty = False
                if counter is not None:
                    counter[key] = counter.get(key, 0) + batch.num_rows
                yield batch
        if empty:
            yield reader.schema.empty_table()
    finally:
        cur.close()


def _disposition(hints: dict, dest: Destination, holding: set[str] | None = None):
    wd = hints["write_disposition"]
    if wd == "merge" and holding is not None and hints["name"] not in holding:
        # nothing loaded there yet and keys are already unique: merging into an empty table is
        # an append, without dlt's staging copy and delete/insert (about half the load time)
        return "append"
    if wd == "merge" and dest.merge_strategy:
        return {"disposition": "merge", "strategy": dest.merge_strategy}
    return wd


def resource(data, hints: dict, dest: Destination, holding: set[str] | None = None):
    """A dlt resource with contract hints (types, key, disposition) over an Arrow iterator.

    holding: tables that already hold loaded data; a merge table outside it is appended to.
    """
    import dlt

    kwargs = {
        "name": hints["name"],
        "write_disposition": _disposition(hints, dest, holding),
        "columns": hints["columns"],
    }
    if hints["primary_key"]:
        kwargs["primary_key"] = hints["primary_key"]
    if dest.table_format:
        kwargs["table_format"] = dest.table_format
    unsafe = any(ch in name for name in hints["columns"] for ch in dest.header_unsafe)
    if dest.binary_file_format and (
        unsafe or any(c.get("data_type") == "binary" for c in hints["columns"].values())
    ):
        kwargs["file_format"] = dest.binary_file_format
    return dlt.resource(data, **kwargs)


def finish_pending(pipe) -> bool:
    """Load packages a crashed run left behind (dlt would load only them, skipping new data)."""
    if not pipe.has_pending_data:
        return False
    pipe.normalize()
    pipe.load().raise_on_failed_jobs()
    return True


@dataclass(frozen=True)
class Holding:
    """What the destination holds of the tables a run loads."""

    tables: set[str]  # already hold data: merged into
    missing: set[str]  # not there at all: dlt must create them


def holding_tables(pipe, tables=()) -> Holding:
    """Tables that already hold data: per the pipeline's schema (restored from the destination),
    or, for the others of `tables`, found in the destination itself (all, when it cannot be
    asked). A warehouse that another pipeline filled (a copied or moved file: pipeline names
    hold the location) is merged into, never appended to (merge is always correct, append only
    into empty tables)."""
    pipe.sync_destination()
    seen = (
        set(pipe.default_schema.data_table_names(seen_data_only=True))
        if pipe.default_schema_name
        else set()
    )
    found = _states(pipe, sorted(set(tables) | seen))
    if found is None:  # no SQL client for this destination
        return Holding(seen | set(tables), set())
    rows = {t for t, state in found.items() if state == "rows"}
    return Holding(seen | rows, {t for t, state in found.items() if state == "missing"})


def create_missing(pipe) -> None:
    """Let dlt create the tables the destination lacks, even when a schema version it stored
    says they exist (a table dropped by hand, or a failed load that recorded the schema)."""
    with pipe.destination_client() as client:
        if not client.is_storage_initialized():
            client.initialize_storage()  # a new dataset: dlt's load would create it first
        client.update_stored_schema(force=True)


def _states(pipe, tables: list[str]) -> dict[str, str] | None:
    """Per table: "rows", "empty" (e.g. created by the DDL) or "missing"; None when the
    destination cannot be asked."""
    try:
        client = pipe.sql_client()
    except Exception:  # no SQL client for this destination
        return None
    out = dict.fromkeys(tables, "missing")
    try:
        with client as c:
            for t in tables:
                try:
                    rows = c.execute_sql(f"SELECT 1 FROM {c.make_qualified_table_name(t)} LIMIT 1")
                    out[t] = "rows" if rows else "empty"
                except Exception:  # no such table
                    pass
    except Exception:  # no such dataset yet, or unreachable: nothing is there to append to
        pass
    return out


def _count(client, sql: str) -> int:
    rows = client.execute_sql(sql)
    return int(rows[0][0]) if rows else 0


def _moved(client, sql: relay.MoveSql, expected: int) -> int:
    """Run one move's statements, each on its own; the rows inserted (RelayError unless they
    are the relay's rows and dlt's count)."""
    client.execute_sql(sql.create)  # a table the DDL created is used as it is
    with client.begin_transaction():  # dlt's Databricks client: a no-op (no transactions)
        held = _count(client, sql.count_relay)
        if sql.delete:
            client.execute_sql(sql.delete)
        before = _count(client, sql.count_real)
        client.execute_sql(sql.insert)
        moved = _count(client, sql.count_real) - before
        if not held == moved == expected:
            raise relay.RelayError(
                f"dlt loaded {expected} rows, the relay table holds {held}, {moved} were moved"
            )
        client.execute_sql(sql.empty)
    return moved


def move(pipe, plan: relay.RelayPlan, dialect: str | None, expected: int) -> int:
    """Move a relay table's rows into its real table with dlt's sql client (in one transaction
    where it has them); the rows moved, which must be dlt's count, else RelayError."""
    try:
        if dialect is None:
            raise relay.RelayError("the destination has no SQL dialect to move rows with")
        loaded = list(pipe.default_schema.get_table_columns(plan.relay))
        with pipe.sql_client() as client:
            path = tuple(client.make_qualified_table_name_path(None, quote=False))
            return _moved(client, relay.move_sql(plan.covering(loaded), path, dialect), expected)
    except Exception as e:
        raise relay.RelayError(
            f"table {plan.real!r}: moving its rows from the relay table {plan.relay!r} failed "
            f"({one_line(e)[:300]}); nothing of it was loaded where the destination has "
            "transactions: run ingest again"
        ) from e


def drain(pipe, plans: list[relay.RelayPlan], dialect: str | None) -> int:
    """Move rows an earlier run left in relay tables (killed after its load, or a failed move),
    before this run's load replaces them; the rows moved."""
    known = set(pipe.default_schema.tables) if pipe.default_schema_name else set()
    moved = 0
    for p in (p for p in plans if p.relay in known and dialect is not None):
        held = _held(pipe, p, str(dialect))
        moved += move(pipe, p, dialect, held) if held else 0
    return moved


def _held(pipe, p: relay.RelayPlan, dialect: str) -> int:
    """The rows in p's relay table (0 when the destination has no such table)."""
    try:
        with pipe.sql_client() as client:
            path = tuple(client.make_qualified_table_name_path(None, quote=False))
            return _count(client, relay.move_sql(p, path, dialect).count_relay)
    except Exception:  # no such table or dataset: nothing left behind
        return 0


class Loader:
    """Hands every table to dlt as Arrow batches, then normalizes and loads (finish()).

    With overlap=True dlt extracts in a background thread while the checks run, each table's
    resource waiting for table_ready(name); on 2 busy cores this measured no faster (both are
    CPU-bound), so it is off by default. The last resource is _run_metrics, built by
    metrics(streamed) once every table is through. after_extract(), when given, runs once every
    row is in dlt's files (e.g. to free the work database before the load needs memory).
    A table whose names dlt cannot carry loads through a relay table (ingest/relay.py), whose
    rows finish() moves into the real one; a failed move is in move_errors, its count 0.
    """

    def __init__(
        self,
        pipe,
        con,
        contract: Contract,
        tables: list[str],
        dest: Destination,
        metrics=None,
        overlap: bool = False,
        after_extract=None,
    ):
        import threading

        import pyarrow as pa

        self.pipe, self.con, self.dialect = pipe, con, dest.dialect
        finish_pending(pipe)
        # contract name -> (its SQL, its hints): the warehouse table (physicalName, else name)
        sources = {
            n: v
            for t in tables
            for n, v in (
                (t, (f"SELECT *{{}} FROM ok.{qi(t)}", table_hints(contract, t))),
                (
                    f"{t}__rejects",
                    (
                        f"SELECT * EXCLUDE (_reason_list){{}} FROM work.{qi('rej_' + t)}",
                        rejects_hints(contract, t),
                    ),
                ),
            )
        }
        self.relays = {n: p for n, (_, h) in sources.items() if (p := relay.plan(h))}
        self.move_errors: dict[str, str] = {}
        drain(pipe, list(self.relays.values()), dest.dialect)
        hints = {
            n: relay.relay_hints(h, self.relays[n]) if n in self.relays else h
            for n, (_, h) in sources.items()
        }
        # contract name -> the table dlt loads it into: the warehouse table, or its relay
        self.loaded_as = {n: h["name"] for n, h in hints.items()}
        found = holding_tables(pipe, list(self.loaded_as.values()))
        holding, self.missing = found.tables, found.missing
        self.ready = {t: threading.Event() for t in tables}
        self.aborted = False
        self.error: BaseException | None = None
        self.streamed: dict[str, int] = {}
        self.names = [n for t in tables for n in (t, f"{t}__rejects")]
        self.seconds: dict[str, float] = {}  # dlt extract / normalize / load wall seconds
        self.after_extract = after_extract
        resources = []
        for name in tables:
            for key in (name, f"{name}__rejects"):
                p = self.relays.get(key)
                rename = renamed(contract.table(name), p.alias if p else None)
                sql = sources[key][0].format(rename)
                resources.append(resource(self._gated(name, sql, key), hints[key], dest, holding))
        if metrics is not None and tables:  # no tables, no metrics rows: nothing to create

            def metrics_rows():
                yield pa.Table.from_pylist(metrics(self.streamed))

            resources.append(resource(metrics_rows(), METRICS_HINTS, dest))
        self.thread = threading.Thread(target=self._extract, args=(resources,), daemon=True)
        if overlap:
            self.thread.start()

    def _gated(self, table: str, sql: str, key: str):
        self.ready[table].wait()
        if self.aborted:
            raise RuntimeError("ingest stopped before this table was checked")
        yield from arrow_batches(self.con, sql, counter=self.streamed, key=key)

    def _extract(self, resources) -> None:
        if not resources:  # a contract without tables: nothing to hand dlt
            return
        try:
            self.pipe.extract(resources)
        except BaseException as e:  # re-raised by finish()
            self.error = e

    def table_ready(self, name: str) -> None:
        """The checks of name are done: its rows may stream to dlt."""
        self.ready[name].set()

    def abort(self) -> None:
        """Stop the extraction (checks failed); nothing is loaded."""
        self.aborted = True
        for e in self.ready.values():
            e.set()
        if self.thread.is_alive():
            self.thread.join()

    def finish(self) -> dict[str, int]:
        """Wait for the extraction, then after_extract(), normalize and load; dlt's row counts."""
        import time

        started = time.perf_counter()
        if self.thread.ident is None:
            self.thread.start()
        self.thread.join()
        if self.error is not None:
            raise self.error
        if self.after_extract is not None:
            self.after_extract()
        extracted = time.perf_counter()
        if not self.names:
            return {}
        info = self.pipe.normalize()
        if self.missing:
            create_missing(self.pipe)
        normalized = time.perf_counter()
        self.pipe.load().raise_on_failed_jobs()
        self.seconds = {
            "extract": extracted - started,
            "normalize": normalized - extracted,
            "load": time.perf_counter() - normalized,
        }
        counts = dict(info.row_counts)
        # dlt counts by warehouse table (physicalName): count by the contract's names
        norm = self.pipe.default_schema.naming.normalize_table_identifier
        counts |= {n: counts.get(w, counts.get(norm(w), 0)) for n, w in self.loaded_as.items()}
        return counts | {n: self._move(n, p, counts[n]) for n, p in self.relays.items()}

    def _move(self, name: str, plan: relay.RelayPlan, expected: int) -> int:
        """The rows moved from name's relay table (0 and move_errors[name] if it failed)."""
        try:
            return move(self.pipe, plan, self.dialect, expected)
        except relay.RelayError as e:
            self.move_errors[name] = str(e)
            return 0
