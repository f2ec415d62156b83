"""Pure SQL generation: cast raw VARCHARs and list every broken rule, without doing work twice.

The runner executes three pieces per table: `typed_query` (one pass over the CSV: typed columns
plus the verdicts of row-local rules, raw values kept only where needed), `pair_queries` (one
small result per rule needing other rows: duplicate keys, foreign keys) and `verdict_query`
(per broken row, `_reasons` with policy reject and `_warnings` with policy warn, in rule order).
`check_query` composes the same pieces into one query.

Primary keys and `unique` columns: the first occurrence in file order is kept; every later row
with the same (typed) key is rejected with the rule id. Foreign keys are checked against the
parent's *accepted* rows (schema `ok`), so tables are checked parents first.
"""

from __future__ import annotations

from dataclasses import dataclass

from contractbook import sqltext
from contractbook.contract import Contract, Rule, Table
from contractbook.contract.rules import RULE_KINDS

from .castmap import _q, cast_expr, sql_type

# Rule kinds this query decides: every kind but `sql`, whose rules run afterwards on the
# candidate rows (check._sql_rules).
ROW_KINDS = tuple(k for k in RULE_KINDS if k != "sql")


def qi(name: str) -> str:
    """A quoted DuckDB identifier (contractbook.sqltext.ident)."""
    return sqltext.ident(name, "duckdb")


@dataclass(frozen=True)
class PredicateNames:
    """Names the predicates use: raw and typed aliases per column, window and join aliases."""

    table: Table

    def i(self, col: str) -> int:
        return self.table.column_names.index(col)

    def raw(self, col: str) -> str:
        return f"r_{self.i(col)}"

    def typed(self, col: str) -> str:
        return f"t_{self.i(col)}"


def _literal(ctx: PredicateNames, col: str, value) -> str:
    column = ctx.table.column(col)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float) and column.type.kind not in ("string",):
        return repr(value)
    return f"CAST({_q(str(value))} AS {sql_type(column)})"


def _type(ctx: PredicateNames, rule: Rule) -> str:
    c = rule.columns[0]
    return f"{ctx.raw(c)} IS NOT NULL AND {ctx.typed(c)} IS NULL"


def _required(ctx: PredicateNames, rule: Rule) -> str:
    return f"{ctx.raw(rule.columns[0])} IS NULL"


def _allowed(ctx: PredicateNames, rule: Rule) -> str:
    c = rule.columns[0]
    values = ", ".join(_literal(ctx, c, v) for v in rule.params["values"])
    return f"{ctx.typed(c)} IS NOT NULL AND {ctx.typed(c)} NOT IN ({values})"


def _pattern(ctx: PredicateNames, rule: Rule) -> str:
    c = rule.columns[0]
    return (
        f"{ctx.raw(c)} IS NOT NULL AND NOT "
        f"regexp_matches({ctx.raw(c)}, {_q(rule.params['pattern'])})"
    )


_BOUNDS = {"minimum": "<", "maximum": ">", "exclusive_minimum": "<=", "exclusive_maximum": ">="}


def _range(ctx: PredicateNames, rule: Rule) -> str:
    c = rule.columns[0]
    t = ctx.typed(c)
    outside = " OR ".join(f"{t} {_BOUNDS[k]} {_literal(ctx, c, v)}" for k, v in rule.params.items())
    return f"{t} IS NOT NULL AND ({outside})"


def _length(ctx: PredicateNames, rule: Rule) -> str:
    r = ctx.raw(rule.columns[0])
    parts = []
    if "min_length" in rule.params:
        parts.append(f"length({r}) < {int(rule.params['min_length'])}")
    if "max_length" in rule.params:
        parts.append(f"length({r}) > {int(rule.params['max_length'])}")
    return f"{r} IS NOT NULL AND ({' OR '.join(parts)})"


# row-local rule kind -> SQL predicate that is true when the row breaks the rule.
PREDICATES = {
    "type": _type,
    "required": _required,
    "allowed_values": _allowed,
    "pattern": _pattern,
    "range": _range,
    "length": _length,
}


def row_rules(contract: Contract, table: str, fk_policy: dict | None = None) -> list[Rule]:
    """The rules the check query decides for table; fk_policy overrides foreign-key policies."""
    rules = [r for r in contract.rules_for(table) if r.kind in ROW_KINDS]
    fk_policy = fk_policy or {}
    out = []
    for r in rules:
        policy = fk_policy.get(r.id, fk_policy.get(r.id.rsplit(".", 1)[-1], r.policy))
        if policy not in ("reject", "warn"):
            raise ValueError(f"rule {r.id}: policy {policy!r} must be 'reject' or 'warn'")
        out.append(Rule(r.id, r.kind, r.table, r.columns, r.params, policy, r.description))
    return out


def raw_col(name: str, present: list[str]) -> str:
    """The staged VARCHAR column, or NULL when the file lacks it."""
    return qi(name) if name in present else "CAST(NULL AS VARCHAR)"


# Kinds decided from one row alone (in the typed pass); the others need keys of other rows.
LOCAL_KINDS = ("type", "required", "allowed_values", "pattern", "range", "length")


def _pk_nulls(ctx: PredicateNames, rule: Rule) -> str | None:
    """The row-local part of a key rule: a non-required key column left empty."""
    empty = [f"{ctx.raw(c)} IS NULL" for c in rule.columns if not ctx.table.column(c).required]
    return " OR ".join(empty) or None


def _local_preds(ctx: PredicateNames, rules: list[Rule], policy: str) -> list[tuple[str, str]]:
    out = []
    for r in rules:
        if r.policy != policy:
            continue
        if r.kind in LOCAL_KINDS:
            out.append((PREDICATES[r.kind](ctx, r), r.id))
        elif r.kind == "primary_key" and (p := _pk_nulls(ctx, r)):
            out.append((p, r.id))
    return out


def _list_of(preds: list[tuple[str, str]]) -> str:
    """The list of broken rule ids, NULL for a row that breaks none (the list built only then)."""
    if not preds:
        return "CAST(NULL AS VARCHAR[])"
    items = ", ".join(f"CASE WHEN {p} THEN {_q(rid)} END" for p, rid in preds)
    return (
        f"CASE WHEN {' OR '.join(f'({p})' for p, _ in preds)} THEN "
        f"list_filter([{items}], lambda x: x IS NOT NULL) END"
    )


def typed_query(
    contract: Contract,
    table: str,
    present: list[str],
    source: str,
    fk_policy: dict | None = None,
    row: str | None = None,
) -> str:
    """One pass over the raw VARCHAR source: typed columns and the row-local verdicts.

    Columns: [row id as _row,] the typed contract columns and `_x`, NULL for almost every row, else
    a JSON object with `l` / `w` (row-local rule ids broken, policy reject / warn) and `r` (the raw
    values, kept only for rows with a verdict or whose typed value does not print back as
    written). One NULL VARCHAR per clean row keeps the
    typed table about as small and fast to build as the bare typed load (measured: 30% less
    memory, 13% less CPU than a column per field).
    """
    t = contract.table(table)
    ctx = PredicateNames(t)
    rules = row_rules(contract, table, fk_policy)
    raw_cols = [f"{raw_col(c.name, present)} AS {ctx.raw(c.name)}" for c in t.columns]
    typed_cols = [
        f"{cast_expr(c, ctx.raw(c.name), table)} AS {ctx.typed(c.name)}" for c in t.columns
    ]
    inexact = [
        f"CAST({ctx.typed(c.name)} AS VARCHAR) IS DISTINCT FROM {ctx.raw(c.name)}"
        for c in t.columns
        if c.type.kind != "string" and c.name in present
    ]
    keep_raw = " OR ".join(["_l IS NOT NULL", "_w IS NOT NULL", *inexact])
    raws = ", ".join(f"{qi(c.name)} := {ctx.raw(c.name)}" for c in t.columns)
    out_cols = [f"{ctx.typed(c.name)} AS {qi(c.name)}" for c in t.columns]
    row_in, row_out = (f"{row} AS _row, ", "_row, ") if row else ("", "")
    return "\n".join(
        [
            f"SELECT {row_out}{', '.join(out_cols)},",
            "       CASE WHEN _l IS NOT NULL OR _w IS NOT NULL OR "
            f"{' OR '.join(inexact) or 'false'}",
            "            THEN CAST(to_json(struct_pack(l := _l, w := _w,",
            f"                 r := CASE WHEN {keep_raw} THEN "
            f"struct_pack({raws}) END)) AS VARCHAR)",
            "       END AS _x",
            "FROM (",
            f"  SELECT *, {_list_of(_local_preds(ctx, rules, 'reject'))} AS _l,",
            f"         {_list_of(_local_preds(ctx, rules, 'warn'))} AS _w",
            "  FROM (",
            f"    SELECT {row_in}{', '.join(raw_cols)},",
            f"           {', '.join(typed_cols)}",
            f"    FROM {source}))",
        ]
    )


def x_field(field: str, sql_type: str, x: str = "_x") -> str:
    """A field of the typed pass's `_x` JSON as SQL (NULL when absent)."""
    return f"CAST(json_extract({x}, '$.{field}') AS {sql_type})"


def raw_value(column: str, x: str = "c._x", typed: str | None = None) -> str:
    """A column's value as written: the kept raw value, else the typed one (prints back exactly)."""
    return (
        f"coalesce(json_extract_string({x}, {_q('$.r.' + column)}), "
        f"CAST({typed or qi(column)} AS VARCHAR))"
    )


def pair_queries(
    contract: Contract,
    table: str,
    chk: str,
    row: str = "rowid",
    accepted_schema: str = "ok",
    fk_policy: dict | None = None,
) -> list[str]:
    """SELECTs of (_row, rule, policy), one row per broken rule, over the typed table chk.

    Row-local verdicts are unnested; duplicate keys come from a hash aggregate over the key alone
    (first occurrence in file order kept); foreign keys from an anti-join of the key against the
    parent's accepted rows. Each result is small: it holds only the rows that break a rule.
    """
    rules = row_rules(contract, table, fk_policy)
    out = [
        f"SELECT {row} AS _row, unnest({x_field(f, 'VARCHAR[]')}) AS rule, {_q(p)} AS policy "
        f"FROM {chk} WHERE _x IS NOT NULL"
        for f, p in (("l", "reject"), ("w", "warn"))
    ]
    for r in (r for r in rules if r.kind in ("primary_key", "unique")):
        keys = [qi(c) for c in r.columns]
        on = " AND ".join(f"c.{k} = d.{k}" for k in keys)
        out.append(
            f"SELECT c.{row} AS _row, {_q(r.id)} AS rule, {_q(r.policy)} AS policy "
            f"FROM {chk} AS c JOIN (SELECT {', '.join(keys)}, min({row}) AS first_row "
            f"FROM {chk} WHERE {' AND '.join(k + ' IS NOT NULL' for k in keys)} "
            f"GROUP BY ALL HAVING count(*) > 1) AS d ON {on} WHERE c.{row} > d.first_row"
        )
    for r in rules:
        if r.kind == "foreign_key":
            parent = contract.table(r.params["to_table"])
            on = " AND ".join(
                f"c.{qi(c)} = p.{qi(pc)}"
                for c, pc in zip(r.columns, r.params["to_columns"], strict=True)
            )
            present = " AND ".join(f"c.{qi(c)} IS NOT NULL" for c in r.columns)
            out.append(
                f"SELECT c.{row} AS _row, {_q(r.id)} AS rule, {_q(r.policy)} AS policy "
                f"FROM {chk} AS c ANTI JOIN {accepted_schema}.{qi(parent.name)} AS p "
                f"ON {on} WHERE {present}"
            )
    return out


def rule_order(contract: Contract, table: str) -> list[str]:
    """Rule ids of table in contract order (the order reasons are listed in)."""
    return [r.id for r in contract.rules_for(table)]


def verdict_query(contract: Contract, table: str, pairs: str) -> str:
    """Per row with a broken rule: _reasons (policy reject) and _warnings (warn), in rule order."""
    order = "[" + ", ".join(_q(i) for i in rule_order(contract, table)) + "]"
    pos = f"array_position({order}, rule)"
    return (
        f"SELECT _row, list(rule ORDER BY {pos}) FILTER (WHERE policy = 'reject') AS _reasons, "
        f"list(rule ORDER BY {pos}) FILTER (WHERE policy = 'warn') AS _warnings "
        f"FROM (SELECT DISTINCT _row, rule, policy FROM ({pairs})) GROUP BY _row"
    )


def check_query(
    contract: Contract,
    table: str,
    present: list[str],
    raw: str = "raw",
    accepted_schema: str = "ok",
    fk_policy: dict | None = None,
) -> str:
    """SELECT producing _row, typed columns, _reasons and _warnings for every row of raw.

    The same pieces the runner executes one by one (typed pass, rule pairs, verdicts), composed
    into one query; present: the contract columns the file has, the others read as NULL.
    """
    t = contract.table(table)
    pairs = " UNION ALL ".join(
        pair_queries(contract, table, "chk", "_row", accepted_schema, fk_policy)
    )
    cols = ", ".join(f"chk.{qi(c)}" for c in t.column_names)
    return (
        f"WITH chk AS ({typed_query(contract, table, present, raw, fk_policy, 'rowid')}), "
        f"v AS ({verdict_query(contract, table, pairs)}) "
        f"SELECT chk._row, {cols}, v._reasons, v._warnings "
        f"FROM chk LEFT JOIN v ON v._row = chk._row ORDER BY chk._row"
    )


def key_columns(rows_query_columns: list[str], table: Table) -> list[str]:
    """Columns of a SQL rule's failing rows that identify rows of table (shared column names)."""
    return [c for c in rows_query_columns if c in table.column_names]
