"""dlt hints from the contract (pure): column types, primary keys, write disposition per table.

The ingest runner and the generated standalone pipeline (contractbook.dltgen) both take their
hints from `table_hints`, so the two cannot drift apart.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from contractbook.contract import Column, Contract, Table
from contractbook.contract.kinds import by_field

if TYPE_CHECKING:
    from .destinations import Destination

# portable kind -> dlt column hint fragment (a view of TYPE_KINDS)
DLT_TYPES: dict[str, dict] = by_field("dlt")

# Tables without a primary key hold a full snapshot per file: reloaded with replace.
NO_KEY_DISPOSITION = "replace"


def column_hint(table: Table, col: Column) -> dict:
    """The dlt column schema of one contract column."""
    if col.type.kind not in DLT_TYPES:
        raise ValueError(f"column {table.name}.{col.name}: type {col.type} has no dlt mapping")
    hint = {"name": col.physical, **DLT_TYPES[col.type.kind], "nullable": not col.required}
    if col.type.kind == "decimal":
        hint.update(precision=col.type.precision, scale=col.type.scale)
    if col.name in table.primary_key:
        hint["primary_key"] = True
    if col.description:
        hint["description"] = col.description
    return hint


def table_hints(contract: Contract, table: str) -> dict:
    """Keyword arguments for dlt.resource / apply_hints of one contract table, in the engine's
    names (physicalName, else name): the table the DDL creates."""
    t = contract.table(table)
    return {
        "name": t.physical,
        "primary_key": [t.column(c).physical for c in t.primary_key],
        "write_disposition": "merge" if t.primary_key else NO_KEY_DISPOSITION,
        "columns": {c.physical: column_hint(t, c) for c in t.columns},
    }


def rejects_table(t: Table) -> str:
    """The warehouse table holding a table's rejects: <physical name>__rejects."""
    return f"{t.physical}__rejects"


def renamed(t: Table, alias=None) -> str:
    """A DuckDB `RENAME (...)` clause from the contract's names to the loaded ones ('' if none):
    the engine's (physicalName), or alias(physical) where a relay table loads them."""
    from contractbook.sqltext import ident

    def loaded(c: Column) -> str:
        return alias(c.physical) if alias else c.physical

    pairs = [f"{ident(c.name)} AS {ident(loaded(c))}" for c in t.columns if loaded(c) != c.name]
    return f" RENAME ({', '.join(pairs)})" if pairs else ""


def dlt_problem(t: Table) -> str:
    """Why dlt alone cannot load table t under its engine names ('' when it can)."""
    from .dltnaming import REFUSED

    pattern, why = REFUSED["table"]
    for name in (t.physical, rejects_table(t)):
        if m := pattern.search(name):
            return f"table {t.label()}: {m.group()!r} in {name!r}: {why}"
    pattern, why = REFUSED["column"]
    for c in t.columns:
        if m := pattern.search(c.physical):
            return f"column {t.name}.{c.name}: {m.group()!r} in {c.physical!r}: {why}"
    return ""


def names_problem(t: Table, dest: Destination) -> str:
    """Why ingest cannot load table t into dest (a Destination) under its engine names ('' when
    it can): a character the engine cannot hold (as its DDL dialect refuses it), or, where dest
    has no SQL client to move a relay table's rows (ingest/relay.py), one dlt cannot carry."""
    if dest.dialect is None:
        problem = dlt_problem(t)
        return problem and (
            f"{problem}; destination {dest.name} has no SQL client to load it through a relay table"
        )
    from contractbook.ddl import registry
    from contractbook.ddl.types import DdlError

    dialect = registry.get(dest.dialect)
    names = [(t.physical, "table"), (rejects_table(t), "table")]
    try:
        for name, kind in names + [(c.physical, "column") for c in t.columns]:
            if kind in dialect.refused_chars:
                dialect.check_name(name, f"{kind} of {t.label()}", kind)
    except DdlError as e:
        return str(e)
    return ""


REJECT_COLUMNS: dict[str, dict] = {
    "reject_reasons": {
        "data_type": "text",
        "nullable": False,
        "description": "JSON array of every rule id the record broke",
    },
    "reject_detail": {
        "data_type": "text",
        "description": "parser message for malformed records; "
        "for a row whose parent was rejected (not missing), JSON with cause "
        "parent_rejected, the parent table, key and rules",
    },
    "raw_line": {
        "data_type": "text",
        "description": "text of a malformed record (bytes that are "
        "not UTF-8, and NUL, written as \\xNN)",
    },
    "raw_bytes": {"data_type": "binary", "description": "exact bytes of a malformed record"},
    "source_offset": {
        "data_type": "bigint",
        "description": "byte offset of the record in the (decompressed) file",
    },
    "source_length": {
        "data_type": "bigint",
        "description": "its length in bytes (line break "
        "excluded): the exact bytes are recoverable from the file",
    },
    "source_file": {"data_type": "text", "nullable": False, "primary_key": True},
    "source_line": {
        "data_type": "bigint",
        "nullable": False,
        "primary_key": True,
        "description": "physical line where the record starts (header = 1)",
    },
    "contract_id": {"data_type": "text", "nullable": False},
    "contract_version": {"data_type": "text", "nullable": False},
    "run_id": {
        "data_type": "text",
        "nullable": False,
        "primary_key": True,
        "description": "the run that rejected the record",
    },
    "ingested_at": {"data_type": "timestamp", "timezone": True, "nullable": False},
    "resolved_by_run": {
        "data_type": "text",
        "description": "the later run that closed this reject; NULL: still open",
    },
    "resolution": {
        "data_type": "text",
        "description": "loaded, rejected again, read again or replaced",
    },
}


def rejects_hints(contract: Contract, table: str) -> dict:
    """Hints of <table>__rejects: raw values as text plus provenance, merged on (file, line, run):
    the history of every run, each reject open until a later run resolves it."""
    t = contract.table(table)
    raw = {
        c.physical: {"name": c.physical, "data_type": "text", "nullable": True} for c in t.columns
    }
    return {
        "name": rejects_table(t),
        "primary_key": ["source_file", "source_line", "run_id"],
        "write_disposition": "merge",
        "columns": {**raw, **{k: {"name": k, **v} for k, v in REJECT_COLUMNS.items()}},
    }


METRICS_HINTS = {
    "name": "_run_metrics",
    "write_disposition": "append",
    "primary_key": [],
    "columns": {},
}
