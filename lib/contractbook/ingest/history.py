"""Runner: rejects keep their history; each says whether it is still open (one current answer).

Every reject row carries the run that produced it (`run_id`). A later run closes it by setting
`resolved_by_run` and `resolution`:
- `loaded`: the later run loaded a record with the same primary key;
- `rejected again`: the later run rejected a record with the same key (that newer reject is open);
- `read again`: a reject without a complete key (malformed record), and the later run read the
  same file again (its own rejects, if any, are the open ones);
- `replaced`: the table has no key and is replaced by every run.
Open rejects are those with `resolved_by_run IS NULL`. The closed rows go back to dlt with the
run's rejects, merged on (source_file, source_line, run_id), so nothing is deleted.
"""

from __future__ import annotations

import warnings

from contractbook.contract import Contract

from . import relay
from .destinations import Destination
from .hints import rejects_hints, rejects_table
from .plan import qi

COLUMNS = ("resolved_by_run", "resolution")


def open_rejects(pipe, dest: Destination, table: str, contract: Contract | None = None):
    """The destination's open rejects of table from earlier runs (Arrow, in the contract's
    column names), or None."""
    out = _open_rejects(pipe, dest, table, contract)
    if out is None or contract is None:
        return out
    logical = {c.physical: c.name for c in contract.table(table).columns}
    return out.rename_columns([logical.get(n, n) for n in out.schema.names])


def _open_rejects(pipe, dest: Destination, table: str, contract: Contract | None):
    name = rejects_table(contract.table(table)) if contract is not None else f"{table}__rejects"
    # a relayed rejects table: dlt's schema knows its relay, the rows are in the real table
    p = relay.plan(rejects_hints(contract, table)) if contract is not None else None
    schema = pipe.default_schema if pipe.default_schema_name else None
    seen = p.relay if p else name
    if schema is None or seen not in schema.data_table_names(seen_data_only=True):
        return None
    if dest.table_format == "delta":
        from deltalake import DeltaTable

        path = f"{pipe.destination_client().config.bucket_url}/{pipe.dataset_name}/{name}"
        return DeltaTable(path).to_pyarrow_table()
    with pipe.sql_client() as client:
        with client.execute_query(f"SELECT * FROM {client.make_qualified_table_name(name)}") as cur:
            native = getattr(cur, "native_cursor", None)  # DuckDB 2: dlt's own .arrow() fails
            if native is None or not hasattr(native, "to_arrow_table"):
                return cur.arrow()
            with warnings.catch_warnings():  # "an extra copy of the rows": a few rejects
                warnings.simplefilter("ignore", UserWarning)
                return native.to_arrow_table()


def resolve(con, contract: Contract, table: str, previous, run_id: str) -> int:
    """Append to work.rej_<table> the earlier open rejects this run closes; returns their count.

    The appended rows have no `_reason_list`, so they are not written to Parquet again and do not
    count as this run's rejects.
    """
    rej = f"work.{qi('rej_' + table)}"
    for col in COLUMNS:
        con.execute(f"ALTER TABLE {rej} ADD COLUMN IF NOT EXISTS {qi(col)} VARCHAR")
    if previous is None or previous.num_rows == 0:
        return 0
    con.register("_prev_rejects", previous)
    try:
        prev_cols = set(previous.schema.names)
        still_open = "p.resolved_by_run IS NULL AND " if "resolved_by_run" in prev_cols else ""
        how = _resolution(contract, table, rej)
        keep = [
            c
            for c in con.sql(f"SELECT * FROM {rej} LIMIT 0").columns
            if c in prev_cols and c not in COLUMNS
        ]
        cols = ", ".join(f"p.{qi(c)}" for c in keep)
        n = con.execute(
            f"""
            INSERT INTO {rej} BY NAME
            SELECT {cols}, $run AS resolved_by_run, how AS resolution FROM (
                SELECT p.*, {how} AS how FROM _prev_rejects AS p
                WHERE {still_open}p.run_id <> $run) AS p
            WHERE how IS NOT NULL""",
            {"run": run_id},
        ).fetchall()[0][0]
    finally:
        con.unregister("_prev_rejects")
    return n


def _resolution(contract: Contract, table: str, rej: str) -> str:
    """A SQL CASE giving how this run closes an earlier reject p (NULL: still open)."""
    key = contract.table(table).primary_key
    if not key:
        return "'replaced'"
    complete = " AND ".join(f"p.{qi(k)} IS NOT NULL" for k in key)
    ok = " AND ".join(f"CAST(o.{qi(k)} AS VARCHAR) = p.{qi(k)}" for k in key)
    again = " AND ".join(f"r.{qi(k)} = p.{qi(k)}" for k in key)
    return (
        f"CASE WHEN {complete} THEN CASE "
        f"WHEN EXISTS (SELECT 1 FROM ok.{qi(table)} AS o WHERE {ok}) THEN 'loaded' "
        f"WHEN EXISTS (SELECT 1 FROM {rej} AS r WHERE r._reason_list IS NOT NULL AND {again})"
        " THEN 'rejected again' END "
        "ELSE 'read again' END"
    )  # every run reads the table's whole file again
