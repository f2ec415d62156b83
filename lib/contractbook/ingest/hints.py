"""dlt hints from the contract (pure): column types, primary keys, write disposition per table.

The ingest runner and the generated standalone pipeline (contractbook.dltgen) both take their
hints from `table_hints`, so the two cannot drift apart.
"""

from __future__ import annotations

from contractbook.contract import Column, Contract, Table
from contractbook.contract.kinds import by_field

# portable kind -> dlt column hint fragment (a view of TYPE_KINDS)
DLT_TYPES: dict[str, dict] = by_field("dlt")

# Tables without a primary key hold a full snapshot per file: reloaded with replace.
NO_KEY_DISPOSITION = "replace"


def column_hint(table: Table, col: Column) -> dict:
    """The dlt column schema of one contract column."""
    if col.type.kind not in DLT_TYPES:
        raise ValueError(f"column {table.name}.{col.name}: type {col.type} has no dlt mapping")
    hint = {"name": col.name, **DLT_TYPES[col.type.kind], "nullable": not col.required}
    if col.type.kind == "decimal":
        hint.update(precision=col.type.precision, scale=col.type.scale)
    if col.name in table.primary_key:
        hint["primary_key"] = True
    if col.description:
        hint["description"] = col.description
    return hint


def table_hints(contract: Contract, table: str) -> dict:
    """Keyword arguments for dlt.resource / apply_hints of one contract table."""
    t = contract.table(table)
    return {
        "name": t.name,
        "primary_key": list(t.primary_key),
        "write_disposition": "merge" if t.primary_key else NO_KEY_DISPOSITION,
        "columns": {c.name: column_hint(t, c) for c in t.columns},
    }


REJECT_COLUMNS: dict[str, dict] = {
    "reject_reasons": {"data_type": "text", "nullable": False,
                       "description": "JSON array of every rule id the record broke"},
    "reject_detail": {"data_type": "text", "description": "parser message for malformed records"},
    "raw_line": {"data_type": "text", "description": "text of a malformed record (bytes that are "
                 "not UTF-8, and NUL, written as \\xNN)"},
    "raw_bytes": {"data_type": "binary", "description": "exact bytes of a malformed record"},
    "source_offset": {"data_type": "bigint", "description": "byte offset of the record in the "
                      "(decompressed) file"},
    "source_length": {"data_type": "bigint", "description": "its length in bytes (line break "
                      "excluded): the exact bytes are recoverable from the file"},
    "source_file": {"data_type": "text", "nullable": False, "primary_key": True},
    "source_line": {"data_type": "bigint", "nullable": False, "primary_key": True,
                    "description": "physical line where the record starts (header = 1)"},
    "contract_id": {"data_type": "text", "nullable": False},
    "contract_version": {"data_type": "text", "nullable": False},
    "run_id": {"data_type": "text", "nullable": False, "primary_key": True,
               "description": "the run that rejected the record"},
    "ingested_at": {"data_type": "timestamp", "timezone": True, "nullable": False},
    "resolved_by_run": {"data_type": "text",
                        "description": "the later run that closed this reject; NULL: still open"},
    "resolution": {"data_type": "text",
                   "description": "loaded, rejected again, read again or replaced"},
}


def rejects_hints(contract: Contract, table: str) -> dict:
    """Hints of <table>__rejects: raw values as text plus provenance, merged on (file, line, run):
    the history of every run, each reject open until a later run resolves it."""
    t = contract.table(table)
    raw = {c.name: {"name": c.name, "data_type": "text", "nullable": True} for c in t.columns}
    return {"name": f"{table}__rejects", "primary_key": ["source_file", "source_line", "run_id"],
            "write_disposition": "merge",
            "columns": {**raw, **{k: {"name": k, **v} for k, v in REJECT_COLUMNS.items()}}}


METRICS_HINTS = {"name": "_run_metrics", "write_disposition": "append", "primary_key": [],
                 "columns": {}}
