"""Compare two contract versions: every change, classified breaking or not, as data."""

from __future__ import annotations

from dataclasses import dataclass

from contractbook.contract import Column, ColumnType, Contract, Relationship, Table

# Change kind -> (breaking?, semver level when not breaking, one-line meaning).
CHANGE_KINDS = {
    "table_removed": (True, "major", "table removed"),
    "column_removed": (True, "major", "column removed"),
    "column_added_required": (True, "major", "new required column"),
    "type_narrowed": (True, "major", "type narrowed"),
    "type_changed": (True, "major", "type changed incompatibly"),
    "required_added": (True, "major", "column became required"),
    "primary_key_changed": (True, "major", "primary key changed"),
    "unique_added": (True, "major", "unique constraint added"),
    "foreign_key_added": (True, "major", "foreign key added or now rejecting"),
    "allowed_values_narrowed": (True, "major", "allowed values narrowed"),
    "check_tightened": (True, "major", "range or length check tightened"),
    "pattern_changed": (True, "major", "pattern changed (treated as narrowed)"),
    "table_added": (False, "minor", "table added"),
    "column_added_nullable": (False, "minor", "nullable column added"),
    "type_widened": (False, "minor", "type widened"),
    "required_dropped": (False, "minor", "column became optional"),
    "unique_dropped": (False, "minor", "unique constraint dropped"),
    "foreign_key_removed": (False, "minor", "foreign key removed or now warning only"),
    "allowed_values_widened": (False, "minor", "allowed values widened"),
    "check_relaxed": (False, "minor", "range or length check relaxed"),
    "quality_rule_added": (True, "major", "rejecting quality rule (sql) added"),
    "quality_rule_now_rejecting": (
        True,
        "major",
        "quality rule (sql) now rejecting, was a warning",
    ),
    "quality_rule_changed": (
        True,
        "major",
        "rejecting quality rule's query changed (treated as "
        "tightened: which rows it rejects cannot be compared)",
    ),
    "quality_rule_removed": (False, "minor", "rejecting quality rule (sql) removed"),
    "quality_rule_now_warning": (False, "minor", "quality rule (sql) now a warning, was rejecting"),
    "quality_warning_added": (False, "minor", "warning quality rule (sql) added"),
    "quality_warning_changed": (False, "minor", "warning quality rule's query changed"),
    "quality_warning_removed": (False, "minor", "warning quality rule (sql) removed"),
    "description_changed": (False, "patch", "description changed"),
}

_INT_DIGITS = {"integer": 10, "bigint": 19}
# Column bound -> +1 when a larger value is stricter (lower bounds), -1 for upper bounds.
BOUNDS = {
    "minimum": 1,
    "exclusive_minimum": 1,
    "min_length": 1,
    "maximum": -1,
    "exclusive_maximum": -1,
    "max_length": -1,
}


@dataclass(frozen=True)
class Change:
    """One difference between two contract versions."""

    kind: str
    table: str
    column: str | None = None
    detail: str = ""

    @property
    def breaking(self) -> bool:
        """True when consumers of the old version can break."""
        return CHANGE_KINDS[self.kind][0]

    @property
    def level(self) -> str:
        """The semver part this change needs bumped: major, minor or patch."""
        return CHANGE_KINDS[self.kind][1]

    def __str__(self) -> str:
        where = f"{self.table}.{self.column}" if self.column else self.table
        tag = "BREAKING" if self.breaking else "non-breaking"
        return f"[{tag}] {CHANGE_KINDS[self.kind][2]}: {where}" + (
            f" ({self.detail})" if self.detail else ""
        )


def _digits(t: ColumnType) -> tuple[int, int] | None:
    """(integer digits, scale) for exact numeric kinds."""
    if t.kind in _INT_DIGITS:
        return _INT_DIGITS[t.kind], 0
    if t.kind == "decimal":
        assert t.precision is not None and t.scale is not None  # resolve sets both for decimals
        return t.precision - t.scale, t.scale
    return None


def type_change(old: ColumnType, new: ColumnType) -> str | None:
    """None when equal, else 'type_widened' (every old value fits) or a breaking kind."""
    if old == new:
        return None
    if old.kind == new.kind == "string":
        wider = new.length is None or (old.length is not None and new.length >= old.length)
        return "type_widened" if wider else "type_narrowed"
    if new.kind == "string" and new.length is None:
        return "type_widened"  # every value has a text form
    old_d, new_d = _digits(old), _digits(new)
    if old_d and new_d:
        (oi, os_), (ni, ns) = old_d, new_d
        return "type_widened" if ni >= oi and ns >= os_ else "type_narrowed"
    if old.kind in ("integer", "bigint", "decimal") and new.kind == "double":
        return "type_widened"
    if (old.kind, new.kind) == ("double", "decimal") or old.kind == "string":
        return "type_narrowed"
    return "type_changed"


def bound_change(attr: str, old, new) -> str | None:
    """check_tightened / check_relaxed / None for one bound's change."""
    if old == new:
        return None
    if new is None or old is None:
        return "check_relaxed" if new is None else "check_tightened"
    try:
        stricter = (new - old) * BOUNDS[attr] > 0
    except TypeError:  # non-numeric bounds: assume the worst
        return "check_tightened"
    return "check_tightened" if stricter else "check_relaxed"


def _checks(table: str, old: Column, new: Column) -> list[Change]:
    out = []
    for attr in BOUNDS:
        kind = bound_change(attr, getattr(old, attr), getattr(new, attr))
        if kind:
            out.append(
                Change(
                    kind, table, new.name, f"{attr} {getattr(old, attr)} -> {getattr(new, attr)}"
                )
            )
    if old.pattern != new.pattern:
        kind = "check_relaxed" if new.pattern is None else "pattern_changed"
        out.append(Change(kind, table, new.name, f"pattern {old.pattern!r} -> {new.pattern!r}"))
    return out


def _column(table: str, old: Column, new: Column) -> list[Change]:
    out = []
    kind = type_change(old.type, new.type)
    if kind:
        out.append(Change(kind, table, new.name, f"{old.type} -> {new.type}"))
    if old.required != new.required:
        out.append(
            Change("required_added" if new.required else "required_dropped", table, new.name)
        )
    if old.unique != new.unique:
        out.append(Change("unique_added" if new.unique else "unique_dropped", table, new.name))
    if old.allowed_values != new.allowed_values:
        before, after = set(old.allowed_values or ()), set(new.allowed_values or ())
        if new.allowed_values is None or (old.allowed_values is not None and before < after):
            out.append(
                Change(
                    "allowed_values_widened",
                    table,
                    new.name,
                    f"added {sorted(after - before) or 'any value'}",
                )
            )
        else:
            out.append(
                Change(
                    "allowed_values_narrowed",
                    table,
                    new.name,
                    f"removed {sorted(before - after) or 'any value'}"
                    + (f", added {sorted(after - before)}" if after - before else ""),
                )
            )
    out += _checks(table, old, new)
    if old.description != new.description:
        out.append(Change("description_changed", table, new.name))
    return out


def _rel_key(r: Relationship) -> tuple:
    return r.columns, r.to_table, r.to_columns


def _relationships(old: Table, new: Table) -> list[Change]:
    def active(t: Table) -> dict:
        return {_rel_key(r): r for r in t.relationships if r.on_violation == "reject"}

    def declared(t: Table) -> dict:
        return {_rel_key(r): r for r in t.relationships}

    out = []
    before, after = active(old), active(new)
    for key in after.keys() - before.keys():
        r = after[key]
        why = "was onViolation: warn" if key in declared(old) else "new"
        out.append(
            Change(
                "foreign_key_added",
                new.name,
                ", ".join(r.columns),
                f"{r.id} -> {r.to_table} ({why})",
            )
        )
    for key in before.keys() - after.keys():
        r = before[key]
        why = "now onViolation: warn" if key in declared(new) else "removed"
        out.append(
            Change(
                "foreign_key_removed",
                new.name,
                ", ".join(r.columns),
                f"{r.id} -> {r.to_table} ({why})",
            )
        )
    for key in declared(old).keys() - declared(new).keys() - before.keys():
        out.append(
            Change(
                "foreign_key_removed",
                new.name,
                ", ".join(key[0]),
                f"{declared(old)[key].id} (warn only) removed",
            )
        )
    for key in declared(new).keys() - declared(old).keys() - after.keys():
        out.append(
            Change(
                "description_changed",
                new.name,
                ", ".join(key[0]),
                f"warn-only relationship {declared(new)[key].id} declared",
            )
        )
    return sorted(out, key=lambda c: (c.kind, c.column or ""))


def _rejecting(severity: str) -> bool:
    return severity == "error"  # as contract.rules derives the policy


def _quality(old: Table, new: Table) -> list[Change]:
    """Changes of the table's SQL quality rules, matched by id (the query compared as written)."""
    before, after = {r.id: r for r in old.sql_rules}, {r.id: r for r in new.sql_rules}
    out = []
    for rid, r in after.items():
        was = before.get(rid)
        if was is None:
            kind = "quality_rule_added" if _rejecting(r.severity) else "quality_warning_added"
        elif _rejecting(was.severity) != _rejecting(r.severity):
            kind = (
                "quality_rule_now_rejecting"
                if _rejecting(r.severity)
                else "quality_rule_now_warning"
            )
        elif " ".join(was.query.split()) != " ".join(r.query.split()):
            kind = "quality_rule_changed" if _rejecting(r.severity) else "quality_warning_changed"
        elif (was.name, was.description) != (r.name, r.description):
            kind = "description_changed"
        else:
            continue
        out.append(Change(kind, new.name, None, rid))
    out += [
        Change(
            "quality_rule_removed" if _rejecting(r.severity) else "quality_warning_removed",
            new.name,
            None,
            rid,
        )
        for rid, r in before.items()
        if rid not in after
    ]
    return out


def _table(old: Table, new: Table) -> list[Change]:
    out = []
    for c in old.columns:
        if c.name not in new.column_names:
            out.append(Change("column_removed", new.name, c.name))
    for c in new.columns:
        if c.name not in old.column_names:
            kind = "column_added_required" if c.required else "column_added_nullable"
            out.append(Change(kind, new.name, c.name, str(c.type)))
        else:
            out += _column(new.name, old.column(c.name), c)
    if old.primary_key != new.primary_key:
        out.append(
            Change(
                "primary_key_changed",
                new.name,
                None,
                f"({', '.join(old.primary_key)}) -> ({', '.join(new.primary_key)})",
            )
        )
    out += _relationships(old, new)
    out += _quality(old, new)
    if old.description != new.description:
        out.append(Change("description_changed", new.name))
    return out


def compare(old: Contract, new: Contract) -> list[Change]:
    """Every change from old to new, in the new contract's table and column order."""
    out = [Change("table_removed", t.name) for t in old.tables if t.name not in new.table_names]
    for t in new.tables:
        if t.name in old.table_names:
            out += _table(old.table(t.name), t)
        else:
            out.append(Change("table_added", t.name, None, f"{len(t.columns)} columns"))
    return out
