"""Pure generator: contract -> one GX expectation suite (plain JSON-able dict) per table and target.

Every rule of `contract.rules` becomes one or more expectations (each carries the rule id in its
meta) or is listed by name under `meta.contractbook.not_mapped` with the reason. GX itself is not
imported here: the runner turns these dicts into GX objects.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from contractbook.contract import Contract, Rule, Table, naming
from contractbook.contract.kinds import TYPE_KINDS
from contractbook.sqltext import name_token

from . import crosstable
from .targets import TEXT_PATTERNS, GxTarget, strftime_format, target, type_names

GENERATOR = "contractbook.gx"
TYPED_SUFFIX = "__typed"  # pre-load helper column: the text column parsed to its type
TEXT_KINDS = ("string",)
DEFAULT_SCHEMA = None  # the contract's servers schema for the target, else its name

# Expectation types that accept `mostly` (row-level map expectations).
MOSTLY_TYPES = frozenset({
    "expect_column_values_to_not_be_null", "expect_column_values_to_be_unique",
    "expect_compound_columns_to_be_unique", "expect_column_values_to_be_in_set",
    "expect_column_values_to_match_regex", "expect_column_values_to_be_between",
    "expect_column_value_lengths_to_be_between", "expect_column_values_to_match_strftime_format",
    "expect_column_values_to_be_json_parseable",
})

Mapped = list[dict] | str  # expectations, or the reason the rule cannot be expressed


def _exp(type_: str, rule: Rule | None, **kwargs) -> dict:
    """One expectation configuration tagged with the rule it checks."""
    meta: dict[str, object] = {"rule_id": rule.id, "kind": rule.kind, "policy": rule.policy,
            "description": rule.description} if rule else {"rule_id": None, "kind": "table"}
    return {"type": type_, "kwargs": {k: v for k, v in kwargs.items() if v is not None},
            "meta": meta, "severity": "warning" if rule and rule.policy == "warn" else "critical"}


def checked_column(table: Table, name: str, tgt: GxTarget) -> str:
    """The column an order-sensitive check reads: pre-load non-text columns use the typed helper."""
    if tgt.engine == "pandas" and table.column(name).type.kind not in TEXT_KINDS:
        return name + TYPED_SUFFIX
    return name


def _type(rule: Rule, table: Table, tgt: GxTarget) -> Mapped:
    col = table.column(rule.columns[0])
    t = col.type
    longest = [_exp("expect_column_value_lengths_to_be_between", rule, column=col.name,
                    max_value=t.length)] if t.length else []
    if tgt.engine == "sql":
        try:
            names = type_names(tgt, t.kind, t.precision, t.scale, t.length)
        except ValueError as e:
            raise ValueError(f"column {table.name}.{col.name}: {e}") from None
        return [_exp("expect_column_values_to_be_in_type_list", rule, column=col.name,
                     type_list=names), *longest]
    if t.kind == "string":
        return longest or ("every CSV field is text; the reader rejects invalid UTF-8 "
                           "(csv_encoding), so nothing is left to check")
    if t.kind == "decimal":
        assert t.precision is not None and t.scale is not None  # resolve sets both for decimals
        whole, scale = t.precision - t.scale, t.scale
        frac = rf"(\.[0-9]{{1,{scale}}})?" if scale else ""
        return [_exp("expect_column_values_to_match_regex", rule, column=col.name,
                     regex=rf"^[+-]?[0-9]{{1,{whole}}}{frac}$")]
    if t.kind in ("timestamp", "timestamptz", "date"):
        return [_exp("expect_column_values_to_match_strftime_format", rule, column=col.name,
                     strftime_format=strftime_format(col.format, t.kind, col.name))]
    if TYPE_KINDS[t.kind].pandas == "json":
        return [_exp("expect_column_values_to_be_json_parseable", rule, column=col.name)]
    if t.kind in TEXT_PATTERNS:
        return [_exp("expect_column_values_to_match_regex", rule, column=col.name,
                     regex=TEXT_PATTERNS[t.kind])]
    raise ValueError(f"column {table.name}.{col.name}: type kind {t.kind!r} has no CSV text check")


def _required(rule: Rule, table: Table, tgt: GxTarget) -> Mapped:
    return [_exp("expect_column_values_to_not_be_null", rule, column=rule.columns[0])]


def _unique(rule: Rule, table: Table, tgt: GxTarget) -> Mapped:
    cols = [checked_column(table, c, tgt) for c in rule.columns]
    if len(cols) == 1:
        return [_exp("expect_column_values_to_be_unique", rule, column=cols[0])]
    return [_exp("expect_compound_columns_to_be_unique", rule, column_list=cols,
                 ignore_row_if="any_value_is_missing")]


def _allowed_values(rule: Rule, table: Table, tgt: GxTarget) -> Mapped:
    return [_exp("expect_column_values_to_be_in_set", rule, column=rule.columns[0],
                 value_set=list(rule.params["values"]))]


def _pattern(rule: Rule, table: Table, tgt: GxTarget) -> Mapped:
    return [_exp("expect_column_values_to_match_regex", rule, column=rule.columns[0],
                 regex=rule.params["pattern"])]


def _range(rule: Rule, table: Table, tgt: GxTarget) -> Mapped:
    p = rule.params
    low = p.get("exclusive_minimum", p.get("minimum"))
    high = p.get("exclusive_maximum", p.get("maximum"))
    return [_exp("expect_column_values_to_be_between", rule,
                 column=checked_column(table, rule.columns[0], tgt), min_value=low, max_value=high,
                 strict_min=True if "exclusive_minimum" in p else None,
                 strict_max=True if "exclusive_maximum" in p else None)]


def _length(rule: Rule, table: Table, tgt: GxTarget) -> Mapped:
    return [_exp("expect_column_value_lengths_to_be_between", rule, column=rule.columns[0],
                 min_value=rule.params.get("min_length"), max_value=rule.params.get("max_length"))]


def parent_check_column(rel) -> str:
    """Pre-load helper column: True where the FK value exists in the parent, NULL where empty.

    Computed vectorized by the runner (pandas `isin`); GX then checks it is in {True}. Passing
    the parent's keys as a `value_set` instead costs rows x keys (GX rebuilds the set per read).
    """
    return f"{rel.columns[0]}__in__{rel.to_table}"


def _foreign_key(rule: Rule, table: Table, tgt: GxTarget, schema: str) -> Mapped:
    rel = next(r for r in table.relationships if rule.id.endswith(f".foreign_key.{r.id}"))
    if tgt.engine == "sql":
        assert tgt.sqlglot_dialect is not None  # every SQL target names its dialect
        query = crosstable.render(crosstable.foreign_key_rows_query(rel), table.name,
                                  tgt.sqlglot_dialect, schema)
        return [_exp("unexpected_rows_expectation", rule, unexpected_rows_query=query,
                     description=rule.description)]
    if len(rel.columns) > 1:
        return "composite foreign key: pandas has no multi-column in-set check; checked post-load"
    return [_exp("expect_column_values_to_be_in_set", rule, column=parent_check_column(rel),
                 value_set=[True])]


def _sql(rule: Rule, table: Table, tgt: GxTarget, schema: str) -> Mapped:
    if tgt.engine != "sql":
        return ("cross-table SQL rule: GX runs UnexpectedRowsExpectation on SQL sources only; "
                "checked post-load")
    if not rule.params.get("rows_query"):
        return "query is not `SELECT COUNT(*) FROM (<failing rows>)`, so no rows can be shown"
    tree = rule.params.get("rows_tree")
    assert tgt.sqlglot_dialect is not None  # every SQL target names its dialect
    query = crosstable.render(rule.params["rows_query"] if tree is None else tree,
                              table.name, tgt.sqlglot_dialect, schema)
    return [_exp("unexpected_rows_expectation", rule, unexpected_rows_query=query,
                 description=rule.description)]


# Rule kind -> builder. Builders of cross-table kinds also receive the warehouse schema.
BUILDERS: dict[str, Callable[..., Mapped]] = {
    "type": _type, "required": _required, "primary_key": _unique, "unique": _unique,
    "allowed_values": _allowed_values, "pattern": _pattern, "range": _range, "length": _length,
}
CROSS_TABLE_BUILDERS: dict[str, Callable[..., Mapped]] = {"foreign_key": _foreign_key, "sql": _sql}


def _map(rule: Rule, table: Table, tgt: GxTarget, schema: str) -> Mapped:
    if rule.kind in BUILDERS:
        return BUILDERS[rule.kind](rule, table, tgt)
    if rule.kind in CROSS_TABLE_BUILDERS:
        return CROSS_TABLE_BUILDERS[rule.kind](rule, table, tgt, schema)
    return f"rule kind {rule.kind!r} has no GX mapping"


def _table_level(table: Table) -> list[dict]:
    return [_exp("expect_table_row_count_to_be_between", None, min_value=1),
            _exp("expect_table_columns_to_match_set", None, column_set=table.column_names,
                 exact_match=False)]


def suite_name(contract: Contract, table: str, target_name: str) -> str:
    """GX name of a table's suite for a target, e.g. olist_mini.orders.duckdb."""
    return f"{name_token(contract.name)}.{table}.{target_name}"


def table_suite(contract: Contract, table: Table, target_name: str,
                schema: str | None = DEFAULT_SCHEMA) -> dict:
    """The suite of one table for one target ('csv', 'duckdb', 'postgres')."""
    tgt = target(target_name)
    schema = schema or naming.loaded_dataset(contract, tgt.name)
    expectations, not_mapped = _table_level(table), []
    for rule in contract.rules_for(table.name):
        mapped = _map(rule, table, tgt, schema)
        if isinstance(mapped, str):
            not_mapped.append({"rule_id": rule.id, "kind": rule.kind, "reason": mapped})
        else:
            expectations += mapped
    header = (f"Generated by {GENERATOR} from {contract.id} v{contract.version} "
              f"(table {table.name}, target {tgt.name}). Do not edit.")
    return {
        "name": suite_name(contract, table.name, tgt.name),
        "notes": header,
        "meta": {"contractbook": {
            "generator": GENERATOR, "contract": contract.id, "version": contract.version,
            "table": table.name, "target": tgt.name, "engine": tgt.engine,
            "schema": schema if tgt.engine == "sql" else None,
            "primary_key": list(table.primary_key), "not_mapped": not_mapped}},
        "expectations": expectations,
    }


def generate(contract: Contract, target_name: str, schema: str | None = DEFAULT_SCHEMA) -> dict[str, dict]:
    """Every table's suite for one target, keyed by table name (contract order)."""
    return {t.name: table_suite(contract, t, target_name, schema) for t in contract.tables}


def coverage(suites: dict[str, dict]) -> dict[str, str]:
    """rule id -> 'mapped' or the not-mapped reason, over a target's suites."""
    out: dict[str, str] = {}
    for suite in suites.values():
        for e in suite["expectations"]:
            if e["meta"]["rule_id"]:
                out[e["meta"]["rule_id"]] = "mapped"
        for n in suite["meta"]["contractbook"]["not_mapped"]:
            out[n["rule_id"]] = n["reason"]
    return out


def render(suite: dict) -> str:
    """Stable text form of a suite (what is committed)."""
    return json.dumps(suite, indent=2, ensure_ascii=False) + "\n"
