"""Relay tables (pure): load names dlt cannot carry through a safe table, then move the rows.

dlt writes a table's name unescaped into its load-file paths and splits its merge SQL at `;`
(ingest/dltnaming.py). A table whose name or a column's name holds such a character is loaded
by dlt into a relay table with a safe, deterministic name (`_cb_relay_<token>_<sha8>`) and safe
column aliases; dlt's schema records only the relay, so reruns work. After the load contractbook
moves the rows into the real table under the exact names, one statement at a time, quoted per
dialect by contractbook.sqltext, and empties the relay.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace

from contractbook.errors import EnvironmentFailure
from contractbook.registry import lookup
from contractbook.sqltext import SqlTextError, ident, name_token

PREFIX = "_cb_relay_"


class RelayError(EnvironmentFailure):
    """Moving a relay table's rows into the real table failed or moved another row count."""


@dataclass(frozen=True)
class RelayPlan:
    """One relayed table: real and relay names, column aliases, key and disposition."""

    real: str  # the table's exact physical name
    relay: str  # the safe table dlt loads
    columns: tuple[tuple[str, str], ...]  # (real column, relay alias), in table order
    keys: tuple[str, ...]  # real names of the primary-key columns
    disposition: str  # merge, append or replace (the contract's)

    def alias(self, column: str) -> str:
        """The relay's name of a real column."""
        return dict(self.columns).get(column, column)

    def covering(self, loaded: list[str]) -> RelayPlan:
        """This plan plus the relay's columns it does not map (kept under their own names)."""
        known = {a for _, a in self.columns}
        extra = tuple((c, c) for c in loaded if c not in known)
        return replace(self, columns=self.columns + extra) if extra else self


def unsafe(name: str, kind: str) -> bool:
    """True when dlt cannot carry name as a table or column name (dltnaming.REFUSED)."""
    from .dltnaming import REFUSED  # imports dlt: only once a name is asked about

    return REFUSED[kind][0].search(name) is not None


def _sha8(name: str) -> str:
    return hashlib.sha256(name.encode()).hexdigest()[:8]


def relay_name(real: str) -> str:
    """The relay table of real: `_cb_relay_<token>_<sha8>`, at most 55 bytes (Postgres: 63)."""
    return f"{PREFIX}{name_token(real)[:36]}_{_sha8(real)}"


def column_alias(name: str) -> str:
    """name when dlt carries it as a column name, else `_cb_c<sha8>`."""
    return f"_cb_c{_sha8(name)}" if unsafe(name, "column") else name


def plan(hints: dict) -> RelayPlan | None:
    """The relay of a table's dlt hints (ingest/hints.py), None when dlt carries its names."""
    real, cols = hints["name"], list(hints["columns"])
    if not unsafe(real, "table") and not any(unsafe(c, "column") for c in cols):
        return None
    return RelayPlan(
        real,
        relay_name(real),
        tuple((c, column_alias(c)) for c in cols),
        tuple(hints["primary_key"]),
        hints["write_disposition"],
    )


def relay_hints(hints: dict, p: RelayPlan) -> dict:
    """hints keyed by the relay's names; replace: the relay holds only this run's rows."""
    return {
        "name": p.relay,
        "primary_key": [p.alias(k) for k in hints["primary_key"]],
        "write_disposition": "replace",
        "columns": {p.alias(c): {**h, "name": p.alias(c)} for c, h in hints["columns"].items()},
    }


@dataclass(frozen=True)
class MoveDialect:
    """How one engine creates the real table from the relay (everything else is shared SQL)."""

    name: str
    create: str = "CREATE TABLE IF NOT EXISTS {real} AS SELECT {select} FROM {relay} WHERE 1 = 0"


MOVE_DIALECTS: dict[str, MoveDialect] = {
    d.name: d
    for d in (
        MoveDialect("duckdb"),
        MoveDialect("postgres"),
        MoveDialect("bigquery"),
        MoveDialect("snowflake"),
        # Delta needs column mapping for names with spaces and ,;{}()= (as the DDL creates it)
        MoveDialect(
            "databricks",
            "CREATE TABLE IF NOT EXISTS {real} TBLPROPERTIES "
            "('delta.columnMapping.mode' = 'name') AS SELECT {select} FROM {relay} WHERE 1 = 0",
        ),
    )
}


@dataclass(frozen=True)
class MoveSql:
    """The statements of one move, each run on its own (never joined by `;`)."""

    create: str  # the real table, if it does not exist, with the relay's column types
    count_relay: str
    count_real: str
    delete: str | None  # the real rows the relay replaces (None: append)
    insert: str
    empty: str  # the relay, once its rows are moved


def _qualified(path: tuple[str, ...], name: str, dialect: str) -> str:
    return ".".join(ident(p, dialect) for p in (*path, name))


# write disposition -> the DELETE of the real rows a move replaces (None: it only adds rows)
DELETES: dict[str, str | None] = {
    "merge": "DELETE FROM {real} AS t WHERE EXISTS (SELECT 1 FROM {relay} AS r WHERE {on})",
    "replace": "DELETE FROM {real} WHERE 1 = 1",
    "append": None,
}


def _delete(p: RelayPlan, real: str, relay: str, dialect: str) -> str | None:
    """DELETE of the real rows this move replaces: by key (merge), all (replace), none."""
    template = lookup(DELETES, p.disposition, f"write disposition of {p.real!r}", SqlTextError)
    if p.disposition == "merge" and not p.keys:
        raise SqlTextError(f"table {p.real!r}: a merge needs a primary key")
    on = " AND ".join(f"r.{ident(p.alias(k), dialect)} = t.{ident(k, dialect)}" for k in p.keys)
    return template and template.format(real=real, relay=relay, on=on)


def move_sql(p: RelayPlan, path: tuple[str, ...], dialect: str) -> MoveSql:
    """The move of p's relay into its real table inside path (catalog, dataset), in dialect."""
    d = lookup(MOVE_DIALECTS, dialect, "dialect for relay tables", SqlTextError)
    real, relay = _qualified(path, p.real, d.name), _qualified(path, p.relay, d.name)
    select = ", ".join(f"{ident(a, d.name)} AS {ident(c, d.name)}" for c, a in p.columns)
    return MoveSql(
        create=d.create.format(real=real, select=select, relay=relay),
        count_relay=f"SELECT COUNT(*) FROM {relay}",
        count_real=f"SELECT COUNT(*) FROM {real}",
        delete=_delete(p, real, relay, d.name),
        insert=(
            f"INSERT INTO {real} ({', '.join(ident(c, d.name) for c, _ in p.columns)}) "
            f"SELECT {', '.join(ident(a, d.name) for _, a in p.columns)} FROM {relay}"
        ),
        empty=f"DELETE FROM {relay} WHERE 1 = 1",
    )
