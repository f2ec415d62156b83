"""Pure generator: contract -> one GX expectation suite (a `Suite` record) per table and target.

Every rule of `contract.rules` becomes one or more expectations (each carries the rule id in its
meta) or is listed by name under `meta.contractbook.not_mapped` with the reason. GX itself is not
imported here: the runner turns `Suite.to_dict()` into GX objects.
"""

from __future__ import annotations

import copy
import html
import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from contractbook import provenance
from contractbook.contract import Contract, Rule, Table, naming
from contractbook.contract.kinds import TYPE_KINDS
from contractbook.sqltext import name_token

from . import crosstable
from .targets import TARGETS, TEXT_PATTERNS, GxTarget, strftime_format, target, type_names

GENERATOR = "contractbook.gx"
TYPED_SUFFIX = "__typed"  # pre-load helper column: the text column parsed to its type
TEXT_KINDS = ("string",)
DEFAULT_SCHEMA = None  # the contract's servers schema for the target, else its name

# Expectation types that accept `mostly` (row-level map expectations).
MOSTLY_TYPES = frozenset(
    {
        "expect_column_values_to_not_be_null",
        "expect_column_values_to_be_unique",
        "expect_compound_columns_to_be_unique",
        "expect_column_values_to_be_in_set",
        "expect_column_values_to_match_regex",
        "expect_column_values_to_be_between",
        "expect_column_value_lengths_to_be_between",
        "expect_column_values_to_match_strftime_format",
        "expect_column_values_to_be_json_parseable",
    }
)

Mapped = list[dict] | str  # expectations, or the reason the rule cannot be expressed


@dataclass(frozen=True)
class NotMapped:
    """A rule a target's suite cannot express, with the reason."""

    rule_id: str
    kind: str
    reason: str

    def to_dict(self) -> dict:
        """The JSON form under meta.contractbook.not_mapped."""
        return {"rule_id": self.rule_id, "kind": self.kind, "reason": self.reason}


@dataclass(frozen=True)
class Suite:
    """One table's GX suite for one target: provenance, expectations (GX's JSON), rules left out."""

    name: str
    notes: str
    contract: str
    version: str
    table: str
    target: str
    engine: str
    schema: str | None
    primary_key: list[str]
    not_mapped: list[NotMapped]
    expectations: list[dict] = field(default_factory=list)  # GX expectation configurations
    tolerances: dict[str, float] | None = None  # set by the runner (gx.runner.apply_tolerances)

    def to_dict(self) -> dict:
        """The suite as GX reads it and as it is committed (render())."""
        meta: dict[str, object] = {
            "generator": GENERATOR,
            "contract": self.contract,
            "version": self.version,
            "table": self.table,
            "target": self.target,
            "engine": self.engine,
            "schema": self.schema,
            "primary_key": list(self.primary_key),
            "not_mapped": [n.to_dict() for n in self.not_mapped],
        }
        if self.tolerances is not None:
            meta["tolerances"] = dict(self.tolerances)
        return {
            "name": self.name,
            "notes": self.notes,
            "meta": {"contractbook": meta},
            "expectations": copy.deepcopy(self.expectations),
        }

    @classmethod
    def from_dict(cls, d: dict) -> Suite:
        """The Suite of a document written by to_dict() (a committed suite file)."""
        m = d["meta"]["contractbook"]
        return cls(
            d["name"],
            d["notes"],
            m["contract"],
            m["version"],
            m["table"],
            m["target"],
            m["engine"],
            m["schema"],
            list(m["primary_key"]),
            [NotMapped(**n) for n in m["not_mapped"]],
            copy.deepcopy(d["expectations"]),
            m.get("tolerances"),
        )

    def with_expectations(self, expectations: list[dict], **changes) -> Suite:
        """A copy with other expectations (and any other field changed)."""
        return replace(self, expectations=expectations, **changes)

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{html.escape(str(e['meta'].get('rule_id') or 'table'))}</td>"
            f"<td>{html.escape(e['type'])}</td></tr>"
            for e in self.expectations
        )
        left = "".join(
            f"<li>{html.escape(n.rule_id)}: {html.escape(n.reason)}</li>" for n in self.not_mapped
        )
        return (
            f"<p><b>{html.escape(self.name)}</b>: {len(self.expectations)} expectations"
            f"</p><table><tr><th>rule</th><th>expectation</th></tr>{rows}</table>"
            + (f"<p>not mapped:</p><ul>{left}</ul>" if left else "")
        )


def _rows(rule: Rule, query: str) -> dict:
    """An unexpected-rows expectation: the rule's failing rows as SQL."""
    return _exp(
        "unexpected_rows_expectation",
        rule,
        unexpected_rows_query=query,
        description=rule.description,
    )


def _exp(type_: str, rule: Rule | None, **kwargs) -> dict:
    """One expectation configuration tagged with the rule it checks."""
    meta: dict[str, object] = (
        {
            "rule_id": rule.id,
            "kind": rule.kind,
            "policy": rule.policy,
            "description": rule.description,
        }
        if rule
        else {"rule_id": None, "kind": "table"}
    )
    return {
        "type": type_,
        "kwargs": {k: v for k, v in kwargs.items() if v is not None},
        "meta": meta,
        "severity": "warning" if rule and rule.policy == "warn" else "critical",
    }


def checked_column(table: Table, name: str, tgt: GxTarget) -> str:
    """The column an order-sensitive check reads: pre-load non-text columns use the typed helper."""
    if tgt.engine == "pandas" and table.column(name).type.kind not in TEXT_KINDS:
        return name + TYPED_SUFFIX
    return name


def _type(rule: Rule, table: Table, tgt: GxTarget) -> Mapped:
    col = table.column(rule.columns[0])
    t = col.type
    longest = (
        [
            _exp(
                "expect_column_value_lengths_to_be_between",
                rule,
                column=col.name,
                max_value=t.length,
            )
        ]
        if t.length
        else []
    )
    if tgt.engine == "sql":
        try:
            names = type_names(tgt, t.kind, t.precision, t.scale, t.length)
        except ValueError as e:
            raise ValueError(f"column {table.name}.{col.name}: {e}") from None
        return [
            _exp("expect_column_values_to_be_in_type_list", rule, column=col.name, type_list=names),
            *longest,
        ]
    if t.kind == "string":
        return longest or (
            "every CSV field is text; the reader rejects invalid UTF-8 "
            "(csv_encoding), so nothing is left to check"
        )
    if t.kind == "decimal":
        assert t.precision is not None and t.scale is not None  # resolve sets both for decimals
        whole, scale = t.precision - t.scale, t.scale
        frac = rf"(\.[0-9]{{1,{scale}}})?" if scale else ""
        return [
            _exp(
                "expect_column_values_to_match_regex",
                rule,
                column=col.name,
                regex=rf"^[+-]?[0-9]{{1,{whole}}}{frac}$",
            )
        ]
    if t.kind in ("timestamp", "timestamptz", "date"):
        return [
            _exp(
                "expect_column_values_to_match_strftime_format",
                rule,
                column=col.name,
                strftime_format=strftime_format(col.format, t.kind, col.name),
            )
        ]
    if TYPE_KINDS[t.kind].pandas == "json":
        return [_exp("expect_column_values_to_be_json_parseable", rule, column=col.name)]
    if t.kind in TEXT_PATTERNS:
        return [
            _exp(
                "expect_column_values_to_match_regex",
                rule,
                column=col.name,
                regex=TEXT_PATTERNS[t.kind],
            )
        ]
    raise ValueError(f"column {table.name}.{col.name}: type kind {t.kind!r} has no CSV text check")


def _required(rule: Rule, table: Table, tgt: GxTarget) -> Mapped:
    return [_exp("expect_column_values_to_not_be_null", rule, column=rule.columns[0])]


def _unique(rule: Rule, table: Table, tgt: GxTarget) -> Mapped:
    cols = [checked_column(table, c, tgt) for c in rule.columns]
    physical = [table.column(c).physical for c in rule.columns]
    if tgt.engine == "sql" and any('"' in c for c in physical):
        # GX 1.24 builds these checks' SQL through a row condition it cannot parse with a `"` in
        # a name ("unable to parse condition"): the same check as a query, names quoted by us
        assert tgt.sqlglot_dialect is not None  # every SQL target names its dialect
        query = crosstable.render(
            crosstable.duplicate_rows_query(table.physical, physical),
            table.physical,
            tgt.sqlglot_dialect,
            None,
        )
        return [_rows(rule, query)]
    if len(cols) == 1:
        return [_exp("expect_column_values_to_be_unique", rule, column=cols[0])]
    return [
        _exp(
            "expect_compound_columns_to_be_unique",
            rule,
            column_list=cols,
            ignore_row_if="any_value_is_missing",
        )
    ]


def _allowed_values(rule: Rule, table: Table, tgt: GxTarget) -> Mapped:
    return [
        _exp(
            "expect_column_values_to_be_in_set",
            rule,
            column=rule.columns[0],
            value_set=list(rule.params["values"]),
        )
    ]


def _pattern(rule: Rule, table: Table, tgt: GxTarget) -> Mapped:
    return [
        _exp(
            "expect_column_values_to_match_regex",
            rule,
            column=rule.columns[0],
            regex=rule.params["pattern"],
        )
    ]


def _range(rule: Rule, table: Table, tgt: GxTarget) -> Mapped:
    p = rule.params
    low = p.get("exclusive_minimum", p.get("minimum"))
    high = p.get("exclusive_maximum", p.get("maximum"))
    return [
        _exp(
            "expect_column_values_to_be_between",
            rule,
            column=checked_column(table, rule.columns[0], tgt),
            min_value=low,
            max_value=high,
            strict_min=True if "exclusive_minimum" in p else None,
            strict_max=True if "exclusive_maximum" in p else None,
        )
    ]


def _length(rule: Rule, table: Table, tgt: GxTarget) -> Mapped:
    physical = table.column(rule.columns[0]).physical
    if tgt.engine == "sql" and '"' in physical:  # GX's row condition again (see _unique)
        assert tgt.sqlglot_dialect is not None
        low, high = rule.params.get("min_length"), rule.params.get("max_length")
        query = crosstable.length_rows_query(table.physical, physical, low, high)
        return [_rows(rule, crosstable.render(query, table.physical, tgt.sqlglot_dialect, None))]
    return [
        _exp(
            "expect_column_value_lengths_to_be_between",
            rule,
            column=rule.columns[0],
            min_value=rule.params.get("min_length"),
            max_value=rule.params.get("max_length"),
        )
    ]


def parent_check_column(rel) -> str:
    """Pre-load helper column: True where the FK value exists in the parent, NULL where empty.

    Computed vectorized by the runner (pandas `isin`); GX then checks it is in {True}. Passing
    the parent's keys as a `value_set` instead costs rows x keys (GX rebuilds the set per read).
    """
    return f"{rel.columns[0]}__in__{rel.to_table}"


def _physical_rel(rel, tables: dict[str, Table]):
    """rel in the warehouse's names (physicalName of tables and columns)."""
    from dataclasses import replace

    child, parent = tables[rel.table], tables[rel.to_table]
    return replace(
        rel,
        table=child.physical,
        columns=tuple(child.column(c).physical for c in rel.columns),
        to_table=parent.physical,
        to_columns=tuple(parent.column(c).physical for c in rel.to_columns),
    )


def _foreign_key(
    rule: Rule, table: Table, tgt: GxTarget, schema: str, tables: dict[str, Table]
) -> Mapped:
    rel = next(r for r in table.relationships if rule.id.endswith(f".foreign_key.{r.id}"))
    if tgt.engine == "sql":
        assert tgt.sqlglot_dialect is not None  # every SQL target names its dialect
        query = crosstable.render(
            crosstable.foreign_key_rows_query(_physical_rel(rel, tables)),
            table.physical,
            tgt.sqlglot_dialect,
            schema,
        )
        return [_rows(rule, query)]
    if len(rel.columns) > 1:
        return "composite foreign key: pandas has no multi-column in-set check; checked post-load"
    return [
        _exp(
            "expect_column_values_to_be_in_set",
            rule,
            column=parent_check_column(rel),
            value_set=[True],
        )
    ]


def _sql(rule: Rule, table: Table, tgt: GxTarget, schema: str, tables: dict[str, Table]) -> Mapped:
    if tgt.engine != "sql":
        return (
            "cross-table SQL rule: GX runs UnexpectedRowsExpectation on SQL sources only; "
            "checked post-load"
        )
    if not rule.params.get("rows_query"):
        return "query is not `SELECT COUNT(*) FROM (<failing rows>)`, so no rows can be shown"
    tree = rule.params.get("rows_tree")
    assert tgt.sqlglot_dialect is not None  # every SQL target names its dialect
    query = crosstable.render(
        rule.params["rows_query"] if tree is None else tree,
        table.name,
        tgt.sqlglot_dialect,
        schema,
        tables,
    )
    return [_rows(rule, query)]


# Rule kind -> builder. Builders of cross-table kinds also receive the warehouse schema.
BUILDERS: dict[str, Callable[..., Mapped]] = {
    "type": _type,
    "required": _required,
    "primary_key": _unique,
    "unique": _unique,
    "allowed_values": _allowed_values,
    "pattern": _pattern,
    "range": _range,
    "length": _length,
}
CROSS_TABLE_BUILDERS: dict[str, Callable[..., Mapped]] = {"foreign_key": _foreign_key, "sql": _sql}


def _map(rule: Rule, table: Table, tgt: GxTarget, schema: str, tables: dict[str, Table]) -> Mapped:
    if rule.kind in BUILDERS:
        mapped = BUILDERS[rule.kind](rule, table, tgt)
        return _physical(mapped, table) if tgt.engine == "sql" else mapped
    if rule.kind in CROSS_TABLE_BUILDERS:
        return CROSS_TABLE_BUILDERS[rule.kind](rule, table, tgt, schema, tables)
    return f"rule kind {rule.kind!r} has no GX mapping"


def _physical(mapped: Mapped, table: Table) -> Mapped:
    """Expectations on warehouse columns: their physicalName (the CSV and reports keep name)."""
    if isinstance(mapped, str):
        return mapped
    names = {c.name: c.physical for c in table.columns}
    for e in mapped:
        kw = e["kwargs"]
        if kw.get("column") in names:
            kw["column"] = names[kw["column"]]
        for key in ("column_list", "column_set"):
            if key in kw:
                kw[key] = [names.get(c, c) for c in kw[key]]
    return mapped


def _table_level(table: Table, tgt: GxTarget) -> list[dict]:
    out = [
        _exp("expect_table_row_count_to_be_between", None, min_value=1),
        _exp(
            "expect_table_columns_to_match_set",
            None,
            column_set=table.column_names,
            exact_match=False,
        ),
    ]
    mapped = _physical(out, table) if tgt.engine == "sql" else out
    assert not isinstance(mapped, str)  # table-level expectations always map
    return mapped


def suite_name(contract: Contract, table: str, target_name: str) -> str:
    """GX name of a table's suite for a target, e.g. olist_mini.orders.duckdb."""
    return f"{name_token(contract.name)}.{table}.{target_name}"


def table_suite(
    contract: Contract, table: Table, target_name: str, schema: str | None = DEFAULT_SCHEMA
) -> Suite:
    """The suite of one table for one target ('csv', 'duckdb', 'postgres')."""
    tgt = target(target_name)
    schema = schema or naming.loaded_dataset(contract, tgt.name)
    expectations, not_mapped = _table_level(table, tgt), []
    tables = {t.name: t for t in contract.tables}
    for rule in contract.rules_for(table.name):
        mapped = _map(rule, table, tgt, schema, tables)
        if isinstance(mapped, str):
            not_mapped.append(NotMapped(rule.id, rule.kind, mapped))
        else:
            expectations += mapped
    header = provenance.line(
        contract, GENERATOR, f"GX suite of table {table.name} (target {tgt.name})"
    )
    return Suite(
        suite_name(contract, table.name, tgt.name),
        header,
        contract.id,
        contract.version,
        table.name,
        tgt.name,
        tgt.engine,
        schema if tgt.engine == "sql" else None,
        list(table.primary_key),
        not_mapped,
        expectations,
    )


def generate(
    contract: Contract, target_name: str, schema: str | None = DEFAULT_SCHEMA
) -> dict[str, Suite]:
    """Every table's suite for one target, keyed by table name (contract order)."""
    return {t.name: table_suite(contract, t, target_name, schema) for t in contract.tables}


def coverage(suites: dict[str, Suite]) -> dict[str, str]:
    """rule id -> 'mapped' or the not-mapped reason, over a target's suites."""
    out: dict[str, str] = {}
    for suite in suites.values():
        for e in suite.expectations:
            if e["meta"]["rule_id"]:
                out[e["meta"]["rule_id"]] = "mapped"
        for n in suite.not_mapped:
            out[n.rule_id] = n.reason
    return out


def render(suite: Suite) -> str:
    """Stable text form of a suite (what is committed)."""
    return json.dumps(suite.to_dict(), indent=2, ensure_ascii=False) + "\n"


def files(contract: Contract, targets=None, schema: str | None = DEFAULT_SCHEMA) -> dict[str, str]:
    """`<target>/<table>.json` -> text of every suite, for targets (default: every target)."""
    return {
        f"{name}/{table}.json": render(suite)
        for name in targets or TARGETS
        for table, suite in generate(contract, name, schema).items()
    }
