"""Pure SQL generation: one query per table that casts raw VARCHARs and lists every broken rule.

The check query reads the staging table `raw` (all VARCHAR, one row per CSV record, `rowid` in
file order) and produces `_row`, the typed contract columns, `_reasons` (rule ids with policy
reject) and `_warnings` (rule ids with policy warn) for every row, in one vectorized pass.

Primary keys and `unique` columns: the first occurrence in file order is kept; every later row
with the same (typed) key is rejected with the rule id. Foreign keys are checked against the
parent's *accepted* rows (schema `ok`), so tables are checked parents first.
"""

from __future__ import annotations

from dataclasses import dataclass

from contractbook.contract import Contract, Rule, Table

from .castmap import _q, cast_expr, sql_type

# Rule kinds this query decides; `sql` rules run afterwards on the candidate rows (see sql_rule_marks).
ROW_KINDS = ("type", "required", "primary_key", "unique", "allowed_values", "pattern", "range",
             "length", "foreign_key")


def qi(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


@dataclass(frozen=True)
class Ctx:
    """Names the predicates use: raw and typed aliases per column, window and join aliases."""

    table: Table

    def i(self, col: str) -> int:
        return self.table.column_names.index(col)

    def raw(self, col: str) -> str:
        return f"r_{self.i(col)}"

    def typed(self, col: str) -> str:
        return f"t_{self.i(col)}"


def _literal(ctx: Ctx, col: str, value) -> str:
    column = ctx.table.column(col)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float) and column.type.kind not in ("string",):
        return repr(value)
    return f"CAST({_q(str(value))} AS {sql_type(column)})"


def _type(ctx: Ctx, rule: Rule) -> str:
    c = rule.columns[0]
    return f"{ctx.raw(c)} IS NOT NULL AND {ctx.typed(c)} IS NULL"


def _required(ctx: Ctx, rule: Rule) -> str:
    return f"{ctx.raw(rule.columns[0])} IS NULL"


def _primary_key(ctx: Ctx, rule: Rule) -> str:
    empty = [f"{ctx.raw(c)} IS NULL" for c in rule.columns if not ctx.table.column(c).required]
    return " OR ".join(["_row > coalesce(_first_pk, _row)", *empty])


def _unique(ctx: Ctx, rule: Rule) -> str:
    return f"_row > coalesce(_first_u_{ctx.i(rule.columns[0])}, _row)"


def _allowed(ctx: Ctx, rule: Rule) -> str:
    c = rule.columns[0]
    values = ", ".join(_literal(ctx, c, v) for v in rule.params["values"])
    return f"{ctx.typed(c)} IS NOT NULL AND {ctx.typed(c)} NOT IN ({values})"


def _pattern(ctx: Ctx, rule: Rule) -> str:
    c = rule.columns[0]
    return f"{ctx.raw(c)} IS NOT NULL AND NOT regexp_matches({ctx.raw(c)}, {_q(rule.params['pattern'])})"


_BOUNDS = {"minimum": "<", "maximum": ">", "exclusive_minimum": "<=", "exclusive_maximum": ">="}


def _range(ctx: Ctx, rule: Rule) -> str:
    c = rule.columns[0]
    t = ctx.typed(c)
    outside = " OR ".join(f"{t} {_BOUNDS[k]} {_literal(ctx, c, v)}" for k, v in rule.params.items())
    return f"{t} IS NOT NULL AND ({outside})"


def _length(ctx: Ctx, rule: Rule) -> str:
    r = ctx.raw(rule.columns[0])
    parts = []
    if "min_length" in rule.params:
        parts.append(f"length({r}) < {int(rule.params['min_length'])}")
    if "max_length" in rule.params:
        parts.append(f"length({r}) > {int(rule.params['max_length'])}")
    return f"{r} IS NOT NULL AND ({' OR '.join(parts)})"


def _foreign_key(ctx: Ctx, rule: Rule) -> str:
    present = " AND ".join(f"{ctx.typed(c)} IS NOT NULL" for c in rule.columns)
    return f"{present} AND _hit_{fk_alias(rule)} IS NULL"


# rule kind -> SQL predicate that is true when the row breaks the rule.
PREDICATES = {"type": _type, "required": _required, "primary_key": _primary_key, "unique": _unique,
              "allowed_values": _allowed, "pattern": _pattern, "range": _range, "length": _length,
              "foreign_key": _foreign_key}


def fk_alias(rule: Rule) -> str:
    """Alias of the join against the parent's accepted keys for one foreign-key rule."""
    return "fk_" + rule.id.rsplit(".", 1)[-1]


def row_rules(contract: Contract, table: str, fk_policy: dict | None = None) -> list[Rule]:
    """The rules the check query decides for table, with foreign-key policies overridden by fk_policy."""
    rules = [r for r in contract.rules_for(table) if r.kind in ROW_KINDS]
    fk_policy = fk_policy or {}
    out = []
    for r in rules:
        policy = fk_policy.get(r.id, fk_policy.get(r.id.rsplit(".", 1)[-1], r.policy))
        if policy not in ("reject", "warn"):
            raise ValueError(f"rule {r.id}: policy {policy!r} must be 'reject' or 'warn'")
        out.append(Rule(r.id, r.kind, r.table, r.columns, r.params, policy, r.description))
    return out


def _flags(ctx: Ctx, rules: list[Rule], policy: str) -> str:
    """The list of broken rule ids, NULL for a row that breaks none (built only for bad rows)."""
    preds = [(PREDICATES[r.kind](ctx, r), r.id) for r in rules if r.policy == policy]
    if not preds:
        return "CAST(NULL AS VARCHAR[])"
    items = ", ".join(f"CASE WHEN {p} THEN {_q(rid)} END" for p, rid in preds)
    return (f"CASE WHEN {' OR '.join(f'({p})' for p, _ in preds)} THEN "
            f"list_filter([{items}], lambda x: x IS NOT NULL) END")


def raw_col(name: str, present: list[str]) -> str:
    """The staged VARCHAR column, or NULL when the file lacks it."""
    return qi(name) if name in present else "CAST(NULL AS VARCHAR)"


def check_query(contract: Contract, table: str, present: list[str], raw: str = "raw",
                accepted_schema: str = "ok", fk_policy: dict | None = None) -> str:
    """SELECT producing _row, typed columns, _reasons and _warnings for every row of raw.

    present: the contract columns the file has; the others are read as NULL.
    """
    t = contract.table(table)
    ctx = Ctx(t)
    rules = row_rules(contract, table, fk_policy)
    raw_cols = [f"{raw_col(c.name, present)} AS {ctx.raw(c.name)}" for c in t.columns]
    typed_cols = [f"{cast_expr(c, ctx.raw(c.name), table)} AS {ctx.typed(c.name)}" for c in t.columns]
    firsts, joins = [], []  # duplicate keys: first row per repeated key, found by a hash aggregate
    keyed = [("pk", list(t.primary_key))] if t.primary_key else []
    keyed += [(f"u_{ctx.i(r.columns[0])}", list(r.columns)) for r in rules if r.kind == "unique"]
    for tag, cols in keyed:  # read from raw again so that cast_rows streams (referenced once)
        keys = [ctx.typed(c) for c in cols]
        casts = ", ".join(f"{cast_expr(t.column(c), raw_col(c, present), table)} AS {ctx.typed(c)}"
                          for c in cols)
        on = " AND ".join(f"cast_rows.{k} = d_{tag}.{k}" for k in keys)
        joins.append(f"LEFT JOIN (SELECT {', '.join(keys)}, min(_row) AS first_row FROM "
                     f"(SELECT rowid AS _row, {casts} FROM {raw}) "
                     f"WHERE {' AND '.join(k + ' IS NOT NULL' for k in keys)} "
                     f"GROUP BY ALL HAVING count(*) > 1) AS d_{tag} ON {on}")
        firsts.append(f"d_{tag}.first_row AS _first_{tag}")
    for r in rules:
        if r.kind == "foreign_key":
            a = fk_alias(r)
            parent = contract.table(r.params["to_table"])
            distinct = "" if tuple(r.params["to_columns"]) == parent.primary_key else "DISTINCT "
            pcols = ", ".join(f"{qi(pc)} AS k{n}" for n, pc in enumerate(r.params["to_columns"]))
            on = " AND ".join(f"cast_rows.{ctx.typed(c)} = {a}.k{n}" for n, c in enumerate(r.columns))
            joins.append(f"LEFT JOIN (SELECT {distinct}{pcols}, true AS hit FROM "
                         f"{accepted_schema}.{qi(parent.name)}) AS {a} ON {on}")
            firsts.append(f"{a}.hit AS _hit_{a}")
    out_cols = [f"{ctx.typed(c.name)} AS {qi(c.name)}" for c in t.columns]
    return "\n".join([
        "WITH cast_rows AS (",
        f"  SELECT rowid AS _row, {', '.join(raw_cols)},",
        f"         {', '.join(typed_cols)}",
        f"  FROM {raw}",
        "), flagged AS (",
        f"  SELECT cast_rows.*{''.join(', ' + w for w in firsts)}",
        f"  FROM cast_rows {' '.join(joins)}",
        ")",
        f"SELECT _row, {', '.join(out_cols)},",
        f"       {_flags(ctx, rules, 'reject')} AS _reasons,",
        f"       {_flags(ctx, rules, 'warn')} AS _warnings",
        "FROM flagged",
    ])


def key_columns(rows_query_columns: list[str], table: Table) -> list[str]:
    """Columns of a SQL rule's failing rows that identify rows of table (shared column names)."""
    return [c for c in rows_query_columns if c in table.column_names]
