"""Migration scripts: the ALTER statements taking a database from one contract version to the next.

Operations are planned once from the two contracts; each dialect renders them from its `alters`
templates. A table with an operation its dialect cannot do in place is rebuilt instead (backup,
drop, create, restore), together with its FK children where the dialect requires it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from contractbook import sqltext
from contractbook.contract import Contract, Table
from contractbook.ddl import generate as g
from contractbook.ddl import names
from contractbook.ddl.generate import DdlTarget

from .compare import compare, type_change

GENERATOR = "contractbook.diff"
BACKUP = "{table}__cb_backup"
# Phase of each operation kind: drops before alters before adds; comments last.
PHASES = {
    "drop_foreign_key": 10,
    "drop_index": 20,
    "drop_unique": 30,
    "drop_primary_key": 30,
    "drop_table": 40,
    "drop_column": 50,
    "widen_type": 60,
    "change_type": 60,
    "drop_not_null": 60,
    "set_not_null": 60,
    "add_column": 70,
    "backfill": 70,
    "set_not_null_new": 70,
    "add_primary_key": 80,
    "add_unique": 80,
    "create_table": 85,
    "add_foreign_key": 90,
    "create_index": 90,
    "table_comment": 100,
    "column_comment": 100,
    "note": 100,
}
# Change kinds the DDL does not express: the pipeline's checks enforce them.
NO_DDL = (
    "allowed_values_narrowed",
    "allowed_values_widened",
    "check_tightened",
    "check_relaxed",
    "pattern_changed",
    "quality_rule_added",
    "quality_rule_now_rejecting",
    "quality_rule_changed",
    "quality_rule_removed",
    "quality_rule_now_warning",
    "quality_warning_added",
    "quality_warning_changed",
    "quality_warning_removed",
)
# Kinds every dialect can render without an ALTER template.
_ALWAYS = {"drop_table", "create_table", "backfill", "note"}


@dataclass(frozen=True)
class Op:
    """One migration step on one table; params fill the dialect's template."""

    kind: str
    table: str
    params: dict = field(default_factory=dict, hash=False, compare=False)
    why: str = ""

    @property
    def template_kind(self) -> str:
        """The `alters` key this op renders with."""
        return "set_not_null" if self.kind == "set_not_null_new" else self.kind


def _fks(t: DdlTarget, table: Table | None) -> dict:
    if table is None:
        return {}
    return {names.foreign_key(r): r for r in table.relationships if g.is_enforced(t, r)}


def _constraint_ops(t: DdlTarget, old: Table, new: Table, rekeyed: set[str]) -> list[Op]:
    d, ops = t.dialect, []
    o_fk, n_fk = _fks(t, old), _fks(t, new)
    same = {
        k
        for k in o_fk.keys() & n_fk.keys()
        if (o_fk[k].columns, o_fk[k].to_table, o_fk[k].to_columns)
        == (n_fk[k].columns, n_fk[k].to_table, n_fk[k].to_columns)
        and n_fk[k].to_table not in rekeyed
    }
    ops += [Op("drop_foreign_key", new.name, {"name": k}) for k in sorted(o_fk.keys() - same)]
    ops += [
        Op("add_foreign_key", new.name, {"constraint": g.foreign_key_clause(t, n_fk[k])})
        for k in sorted(n_fk.keys() - same)
    ]
    o_ix, n_ix = dict(g.fk_indexes(t, old)), dict(g.fk_indexes(t, new))
    ops += [
        Op("drop_index", new.name, {"qname": t.index(k)}) for k in sorted(o_ix.keys() - n_ix.keys())
    ]
    ops += [
        Op("create_index", new.name, {"name": k, "columns": n_ix[k]})
        for k in sorted(n_ix.keys() - o_ix.keys())
    ]
    if old.primary_key != new.primary_key:
        if old.primary_key:
            ops.append(Op("drop_primary_key", new.name, {"name": names.primary_key(new.name)}))
        if new.primary_key:
            ops.append(
                Op("add_primary_key", new.name, {"constraint": g.primary_key_clause(t, new)})
            )
    o_uq = {c.name for c in old.columns if c.unique}
    n_uq = {c.name for c in new.columns if c.unique}
    for col, kind in [(c, "drop_unique") for c in sorted(o_uq - n_uq) if c in new.column_names] + [
        (c, "add_unique") for c in sorted(n_uq - o_uq)
    ]:
        if d.unique is None:
            ops.append(Op("note", new.name, {"text": f"{kind} {new.name}.{col}: {d.unique_note}"}))
        elif kind == "drop_unique":
            ops.append(Op(kind, new.name, {"name": names.unique(new.name, col)}))
        else:
            ops.append(Op(kind, new.name, {"constraint": g.unique_clause(t, new, new.column(col))}))
    return ops


def _column_ops(t: DdlTarget, old: Table, new: Table) -> list[Op]:
    d, ops = t.dialect, []
    ops += [
        Op("drop_column", new.name, {"column": c})
        for c in old.column_names
        if c not in new.column_names
    ]
    for col in new.columns:
        where = f"{new.name}.{col.name}"
        if col.name not in old.column_names:
            ops.append(
                Op(
                    "add_column",
                    new.name,
                    {"column_def": g.column_def(t, new, replace(col, required=False))},
                )
            )
            if col.required:
                ops.append(Op("backfill", new.name, {"column": col.name}))
                ops.append(Op("set_not_null_new", new.name, {"column": col.name}))
            if d.comment_statements and col.description:
                ops.append(
                    Op("column_comment", new.name, {"column": col.name, "text": col.description})
                )
            continue
        was = old.column(col.name)
        if d.render_type(was.type, where) != d.render_type(col.type, where):
            kind = (
                "widen_type" if type_change(was.type, col.type) == "type_widened" else "change_type"
            )
            ops.append(
                Op(
                    kind,
                    new.name,
                    {"column": col.name, "type": d.render_type(col.type, where)},
                    f"{was.type} -> {col.type}",
                )
            )
        if was.required != col.required:
            ops.append(
                Op(
                    "set_not_null" if col.required else "drop_not_null",
                    new.name,
                    {"column": col.name},
                )
            )
        if was.description != col.description and col.description:
            ops.append(
                Op("column_comment", new.name, {"column": col.name, "text": col.description})
            )
    if old.description != new.description and new.description:
        ops.append(Op("table_comment", new.name, {"text": new.description}))
    return ops


def plan(old: Contract, new: Contract, t: DdlTarget) -> list[Op]:
    """Every in-place operation, in execution order (before any rebuild decision)."""
    ops = [Op("drop_table", n) for n in reversed(old.dependency_order) if n not in new.table_names]
    rekeyed = {
        tb.name
        for tb in new.tables
        if tb.name in old.table_names and old.table(tb.name).primary_key != tb.primary_key
    }
    for tb in new.tables:
        if tb.name in old.table_names:
            ops += _constraint_ops(t, old.table(tb.name), tb, rekeyed)
            ops += _column_ops(t, old.table(tb.name), tb)
    ops += [Op("create_table", n) for n in new.dependency_order if n not in old.table_names]
    return sorted(ops, key=lambda op: PHASES[op.kind])  # stable: table order kept within a phase


def rebuilds(old: Contract, new: Contract, t: DdlTarget, ops: list[Op]) -> dict[str, str]:
    """Tables the dialect must rebuild -> why (ops it cannot do in place; FK children)."""
    out: dict[str, str] = {}
    for op in ops:
        if op.kind not in _ALWAYS and op.template_kind not in t.dialect.alters:
            out.setdefault(op.table, f"cannot {op.template_kind.replace('_', ' ')} in place")
    grew = t.dialect.rebuild_dependents
    while grew:
        grew = False
        for tb in old.tables:
            parents = {r.to_table for r in tb.relationships} & out.keys()
            if tb.name in new.table_names and tb.name not in out and parents:
                out[tb.name] = f"references rebuilt {', '.join(sorted(parents))}"
                grew = True
    return out


def _reattach(
    old: Contract, new: Contract, t: DdlTarget, why: dict[str, str], ops: list[Op]
) -> list[Op]:
    """Drop, then re-add, unchanged FKs of kept tables that point at rebuilt tables."""
    if t.dialect.rebuild_dependents:
        return []
    touched = {(op.table, op.params.get("name")) for op in ops if op.kind == "drop_foreign_key"}
    out = []
    for tb in new.tables:
        if tb.name in why or tb.name not in old.table_names:
            continue
        kept = _fks(t, old.table(tb.name)).keys() & _fks(t, tb).keys()
        for name, rel in sorted(_fks(t, tb).items()):
            if name in kept and rel.to_table in why and (tb.name, name) not in touched:
                out += [
                    Op(
                        "drop_foreign_key",
                        tb.name,
                        {"name": name},
                        f"re-attached after rebuilding {rel.to_table}",
                    ),
                    Op("add_foreign_key", tb.name, {"constraint": g.foreign_key_clause(t, rel)}),
                ]
    return out


def _render(t: DdlTarget, op: Op) -> list[str]:
    d = t.dialect
    p = dict(op.params)
    if op.kind == "note":
        return sqltext.comment(f"NOTE: {p['text']}")
    if op.kind == "backfill":
        return sqltext.comment(
            f"BACKFILL REQUIRED: {op.table}.{p['column']} is new and required; on a table "
            f"with rows, set it first: UPDATE {t.table(op.table)} SET {d.ident(p['column'])} = "
            f"<value> WHERE {d.ident(p['column'])} IS NULL;"
        )
    if op.kind == "drop_table":
        return [d.drop_table.format(table=t.table(op.table))]
    values = {**p, "table": t.table(op.table)}
    for key in ("column", "name"):
        if key in p:
            values[key] = d.ident(p[key])
    if "columns" in p:
        values["columns"] = d.idents(p["columns"])
    if "text" in p:
        values["text"] = d.literal(p["text"])
    sql = d.alters[op.template_kind].format(**values)
    return [*sqltext.comment(op.why), sql] if op.why else [sql]


def _rebuild(old: Contract, new: Contract, t: DdlTarget, why: dict[str, str]) -> tuple[list, list]:
    """(statements before the drops: backups, statements after the creates: restores)."""
    d = t.dialect
    order = [n for n in new.dependency_order if n in why]
    backups = [
        f"CREATE TABLE {t.table(BACKUP.format(table=n))} AS SELECT * FROM {t.table(n)};"
        for n in order
    ]
    restores = []
    for n in order:
        was, now = old.table(n), new.table(n)
        common = [c for c in now.columns if c.name in was.column_names]
        missing = [c.name for c in now.columns if c.required and c.name not in was.column_names]
        if missing:
            restores += sqltext.comment(
                f"BACKFILL REQUIRED: {n}.{', '.join(missing)} new and "
                "required: add values to this INSERT before running it "
                "on a table with rows"
            )
        casts = ", ".join(
            f"CAST({d.ident(c.name)} AS {d.render_type(c.type, f'{n}.{c.name}')})" for c in common
        )
        restores.append(
            f"INSERT INTO {t.table(n)} ({d.idents(c.name for c in common)}) "
            f"SELECT {casts} FROM {t.table(BACKUP.format(table=n))};"
        )
    restores += [d.drop_table.format(table=t.table(BACKUP.format(table=n))) for n in order]
    return backups, restores


def migration(
    old: Contract,
    new: Contract,
    dialect,
    catalog: str | None = None,
    schema: str | None = None,
    changes=None,
) -> str:
    """The migration script old -> new for one dialect (pure: contracts in, SQL text out)."""
    t = g.target(new, dialect, catalog, schema)
    d = t.dialect
    ops = plan(old, new, t)
    why = rebuilds(old, new, t, ops)
    ops = [op for op in ops if op.table not in why or op.kind == "drop_table"]
    ops = sorted(ops + _reattach(old, new, t, why, ops), key=lambda op: PHASES[op.kind])
    dropped = {op.table for op in ops if op.kind == "drop_table"}
    drops = [
        Op("drop_table", n) for n in reversed(old.dependency_order) if n in why or n in dropped
    ]
    creates = [
        n
        for n in new.dependency_order
        if n in why or any(op.kind == "create_table" and op.table == n for op in ops)
    ]
    backups, restores = _rebuild(old, new, t, why)
    lines = [
        *sqltext.comment(
            f"Migration for {d.title} ({d.name}), schema {d.qualify(t.catalog, t.schema)}: "
            f"{new.id} {old.version} -> {new.version}."
        ),
        *sqltext.comment(
            f"Generated by {GENERATOR} from {old.id} v{old.version} and {new.id} "
            f"v{new.version}. Review before running; run inside a transaction where the "
            "engine allows DDL in one."
        ),
    ]
    lines += [
        line
        for c in (compare(old, new) if changes is None else changes)
        if c.kind in NO_DDL
        for line in sqltext.comment(f"No DDL (enforced by the pipeline's checks): {c}")
    ]
    if why:
        stub = "" if d.rebuild_dependents else " (STUB: check data copies before running)"
        lines += [
            "",
            f"-- ===== REBUILD{stub}: {d.title} cannot alter these tables in place; "
            "each is copied to a backup table, dropped, recreated from the new contract, "
            "and refilled =====",
            *(line for n, w in why.items() for line in sqltext.comment(f"  {n}: {w}")),
            *backups,
        ]
    body = [op for op in ops if PHASES[op.kind] < PHASES["drop_table"]]
    body += drops
    body += [op for op in ops if PHASES["drop_table"] < PHASES[op.kind] < PHASES["create_table"]]
    lines += [""] + [s for op in body for s in _render(t, op)]
    for n in creates:
        lines += [
            "",
            *sqltext.comment(f"{'rebuild' if n in why else 'new table'} {n}"),
            *g.create_table(t, new.table(n)),
        ]
    if restores:
        lines += [
            "",
            "-- ===== REBUILD: restore the copied rows, then drop the backups =====",
            *restores,
        ]
    rest = [op for op in ops if PHASES[op.kind] > PHASES["create_table"]]
    lines += [""] + [s for op in rest for s in _render(t, op)]
    return "\n".join(lines).rstrip() + "\n"
