"""Where each defect kind can be planted so that it breaks only the rule it names (isolation).

Pure functions of the contract. The principles, applied to every kind:
- value defects (required, type, allowed_values, pattern, range) go to rows no foreign key points
  at (leaf tables), so rejecting the row orphans nothing;
- never in a column a cross-table SQL rule reads (a changed price would also break the payment
  total), nor in a foreign-key column (the changed value would also be an orphan);
- new records (duplicates, malformed rows) get keys that collide only where the defect says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlglot import exp

from contractbook.contract.sqlrules import parse as parse_sql
from contractbook.contract.sqlrules import tables as sql_tables

HEX32 = "^[0-9a-f]{32}$"


@dataclass(frozen=True)
class DefectTarget:
    """One rule a defect kind can break: its id, table and column (None for whole-record kinds)."""

    kind: str
    rule_id: str
    table: str
    column: str | None = None


class Facts:
    """What the isolation principles need to know about the contract, computed once."""

    def __init__(self, contract, sql_planters=()):
        self.contract = contract
        self.sql_planters = set(sql_planters)  # SQL rule ids the contract's plug-in can break
        rels = contract.relationships
        self.referenced = {r.to_table for r in rels}
        self.fk_source = {(r.table, c) for r in rels for c in r.columns}
        self.fk_target = {(r.to_table, c) for r in rels for c in r.to_columns}
        self.sql_cols = set()
        for s in contract.sql_rules:
            names = {c.name for c in parse_sql(s.query).find_all(exp.Column)}
            for t in sql_tables(s.query):
                if t in contract.table_names:
                    self.sql_cols |= {(t, c) for c in contract.table(t).column_names if c in names}

    def summed(self, table: str) -> bool:
        """A SQL rule adds up amounts of this table and its key ends in a sequence number.

        Value defects there are planted as extra zero-amount records (next sequence number), so
        that rejecting them leaves every total, and so every SQL rule, as it was.
        """
        t = self.contract.table(table)
        amounts = any(
            (table, c.name) in self.sql_cols
            and c.name not in t.primary_key
            and c.type.kind in ("decimal", "double", "integer", "bigint")
            for c in t.columns
        )
        return (
            amounts
            and len(t.primary_key) > 1
            and t.column(t.primary_key[-1]).type.kind in ("integer", "bigint")
        )

    def leaf(self, table: str) -> bool:
        """No foreign key points at this table."""
        return table not in self.referenced

    def plain(self, table: str, column: str) -> bool:
        """Not a key, not a foreign key either way, not read by a SQL rule, not unique."""
        t = self.contract.table(table)
        return (
            column not in t.primary_key
            and (table, column) not in self.fk_source
            and (table, column) not in self.fk_target
            and (table, column) not in self.sql_cols
            and not t.column(column).unique
        )

    def free_text(self, table: str, column: str) -> bool:
        """A plain string column without pattern or allowed values (a city, a comment)."""
        c = self.contract.table(table).column(column)
        return (
            c.type.kind == "string"
            and not c.pattern
            and c.allowed_values is None
            and self.plain(table, column)
        )


def _spread(targets: list[DefectTarget]) -> list[DefectTarget]:
    """Interleave by table (contract order) so small counts touch as many tables as possible."""
    by_table: dict[str, list[DefectTarget]] = {}
    for t in targets:
        by_table.setdefault(t.table, []).append(t)
    out, queues = [], list(by_table.values())
    while any(queues):
        out += [q.pop(0) for q in queues if q]
    return out


def _column_kind(f: Facts, kind: str, ok) -> list[DefectTarget]:
    return _spread(
        [
            DefectTarget(kind, r.id, r.table, r.columns[0])
            for r in f.contract.rules
            if r.kind == kind and f.leaf(r.table) and ok(r)
        ]
    )


def _required(f: Facts) -> list[DefectTarget]:
    return _column_kind(f, "required", lambda r: f.plain(r.table, r.columns[0]))


def _type(f: Facts) -> list[DefectTarget]:
    def ok(r):
        c = f.contract.table(r.table).column(r.columns[0])
        return c.type.kind != "string" and f.plain(r.table, c.name)

    return _column_kind(f, "type", ok)


def _value(kind: str):
    def targets(f: Facts) -> list[DefectTarget]:
        def ok(r):
            t, c = r.table, r.columns[0]
            return (
                (t, c) not in f.fk_source
                and (t, c) not in f.fk_target
                and (t, c) not in f.sql_cols
                and (kind == "pattern" or c not in f.contract.table(t).primary_key)
            )

        return _column_kind(f, kind, ok)

    return targets


def _primary_key(f: Facts) -> list[DefectTarget]:
    keyed = [
        t
        for t in f.contract.tables
        if t.primary_key and not any(c.unique and c.name not in t.primary_key for c in t.columns)
    ]
    single = [
        DefectTarget("primary_key", f"{t.name}.primary_key", t.name)
        for t in keyed
        if len(t.primary_key) == 1
    ]
    multi = [
        DefectTarget("primary_key", f"{t.name}.primary_key", t.name)
        for t in keyed
        if len(t.primary_key) > 1
    ]
    out = []
    for i in range(max(len(single), len(multi))):
        out += [x[i] for x in (single, multi) if i < len(x)]
    return out


def _unique(f: Facts) -> list[DefectTarget]:
    return _spread(
        [
            DefectTarget("unique", r.id, r.table, r.columns[0])
            for r in f.contract.rules
            if r.kind == "unique" and f.contract.table(r.table).primary_key
        ]
    )


def _foreign_key(f: Facts) -> list[DefectTarget]:
    return _spread(
        [
            DefectTarget("foreign_key", r.id, r.table, r.columns[0])
            for r in f.contract.rules
            if r.kind == "foreign_key"
            and len(r.columns) == 1
            and (f.leaf(r.table) or r.policy == "warn")
            and (r.table, r.columns[0]) not in f.sql_cols
        ]
    )


def _sql(f: Facts) -> list[DefectTarget]:
    """Rejecting rules first, spread over tables (a small count breaks one rule per table)."""
    rules = sorted(
        (r for r in f.contract.rules if r.kind == "sql" and r.id in f.sql_planters),
        key=lambda r: r.policy != "reject",
    )
    return _spread([DefectTarget("sql", r.id, r.table) for r in rules])


def _malformed(kind: str, suffix: str, need_text: bool = False):
    def targets(f: Facts) -> list[DefectTarget]:
        out = []
        for t in f.contract.tables:
            first_key_free = not t.primary_key or (t.name, t.primary_key[0]) not in f.fk_source
            has_text = any(f.free_text(t.name, c) for c in t.column_names)
            if first_key_free and (has_text or not need_text):
                out.append(DefectTarget(kind, f"{t.name}.csv.{suffix}", t.name))
        return out

    return targets


# Defect kind -> the targets it may use, best first.
TARGETS = {
    "required": _required,
    "type": _type,
    "primary_key": _primary_key,
    "unique": _unique,
    "allowed_values": _value("allowed_values"),
    "pattern": _value("pattern"),
    "range": _value("range"),
    "foreign_key": _foreign_key,
    "sql": _sql,
    "csv_column_count": _malformed("csv_column_count", "column_count"),
    "csv_quoting": _malformed("csv_quoting", "quoting"),
    "csv_encoding": _malformed("csv_encoding", "encoding", need_text=True),
}


def targets(contract, sql_planters=None) -> dict[str, list[DefectTarget]]:
    """Every defect kind -> the rules it can break in this contract, in planting order.

    sql_planters: the SQL rule ids a plug-in can break (default: the contract's plug-in's, with
    the rules the generic planter may search a mutation for).
    """
    if sql_planters is None:
        from .plugins import for_contract

        sql_planters = for_contract(contract).sql_rule_ids(contract)
    f = Facts(contract, sql_planters)
    return {kind: fn(f) for kind, fn in TARGETS.items()}


# Rule kind -> why a rule of it got no target (when no defect kind names it).
NOT_PLANTED = {
    "type": "a text column takes any text, or the column is a key, a foreign key, unique or read "
    "by a SQL rule (a wrong value would break those rules too)",
    "required": "the column is a key, a foreign key, unique or read by a SQL rule, or its table "
    "is a foreign-key parent (rejecting the row would orphan its children)",
    "primary_key": "the table has another unique column (a duplicate record would break it too)",
    "unique": "the table has no primary key to give the duplicate record a fresh one",
    "allowed_values": "the column is a key, a foreign key or read by a SQL rule, or its table is "
    "a foreign-key parent",
    "pattern": "the column is a foreign key or read by a SQL rule, or its table is a foreign-key "
    "parent",
    "range": "the column is a key, a foreign key or read by a SQL rule, or its table is a "
    "foreign-key parent",
    "length": "no length defect is planted yet (a longer text may also break the column's type "
    "length or pattern)",
    "foreign_key": "composite key, or the child table is itself a parent, or a SQL rule reads "
    "the column",
    "sql": "the contract's plug-in has no planter for it",
}


def not_planted(contract, plugin) -> dict[str, str]:
    """rule id -> why no defect kind can break it, for every rule none targets.

    SQL rules a searching plug-in targets but finds no mutation for are added by plant.plan.
    """
    from .sqlplant import why_not

    found = targets(contract, plugin.sql_rule_ids(contract))
    hit = {t.rule_id for ts in found.values() for t in ts}
    return {
        r.id: (why_not(contract, r) if r.kind == "sql" and plugin.search_sql else "")
        or NOT_PLANTED[r.kind]
        for r in contract.rules
        if r.id not in hit
    }
