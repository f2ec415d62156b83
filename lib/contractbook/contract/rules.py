"""Derive the catalogue of checkable rules (with stable ids) from a contract model."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the model imports this module: its classes are for annotations only
    from .model import Column, Contract, Table

# Rule kinds, in the order a row is checked. Every consumer (ingest, GX, synth defects) keys on
# these.
RULE_KINDS = (
    "type",
    "required",
    "primary_key",
    "unique",
    "allowed_values",
    "pattern",
    "range",
    "length",
    "foreign_key",
    "sql",
)


@dataclass(frozen=True)
class Rule:
    """One checkable rule derived from the contract, with a stable id (orders.order_id.required)."""

    id: str
    kind: str
    table: str
    columns: tuple[str, ...] = ()
    params: dict = field(default_factory=dict, hash=False, compare=False)
    policy: str = "reject"
    description: str = ""


def _column_rules(table: Table, c: Column) -> list[Rule]:
    base = f"{table.name}.{c.name}"
    rules = [
        Rule(
            f"{base}.type",
            "type",
            table.name,
            (c.name,),
            {"type": str(c.type)},
            description=f"{c.name} parses as {c.type}",
        )
    ]
    if c.required:
        rules.append(
            Rule(
                f"{base}.required",
                "required",
                table.name,
                (c.name,),
                description=f"{c.name} is not empty",
            )
        )
    if c.unique:
        rules.append(
            Rule(
                f"{base}.unique", "unique", table.name, (c.name,), description=f"{c.name} is unique"
            )
        )
    if c.allowed_values is not None:
        rules.append(
            Rule(
                f"{base}.allowed_values",
                "allowed_values",
                table.name,
                (c.name,),
                {"values": list(c.allowed_values)},
                description=f"{c.name} in {list(c.allowed_values)}",
            )
        )
    if c.pattern:
        rules.append(
            Rule(
                f"{base}.pattern",
                "pattern",
                table.name,
                (c.name,),
                {"pattern": c.pattern},
                description=f"{c.name} matches {c.pattern}",
            )
        )
    bounds = {
        k: v
        for k, v in (
            ("minimum", c.minimum),
            ("maximum", c.maximum),
            ("exclusive_minimum", c.exclusive_minimum),
            ("exclusive_maximum", c.exclusive_maximum),
        )
        if v is not None
    }
    if bounds:
        rules.append(
            Rule(
                f"{base}.range",
                "range",
                table.name,
                (c.name,),
                bounds,
                description=f"{c.name} within {bounds}",
            )
        )
    lengths = {
        k: v
        for k, v in (("min_length", c.min_length), ("max_length", c.max_length))
        if v is not None
    }
    if lengths:
        rules.append(
            Rule(
                f"{base}.length",
                "length",
                table.name,
                (c.name,),
                lengths,
                description=f"length of {c.name} within {lengths}",
            )
        )
    return rules


def _table_rules(table: Table) -> list[Rule]:
    rules: list[Rule] = []
    for c in table.columns:
        rules += _column_rules(table, c)
    if table.primary_key:
        rules.append(
            Rule(
                f"{table.name}.primary_key",
                "primary_key",
                table.name,
                table.primary_key,
                description=f"({', '.join(table.primary_key)}) is unique and not empty",
            )
        )
    for r in table.relationships:
        rules.append(
            Rule(
                f"{table.name}.foreign_key.{r.id}",
                "foreign_key",
                table.name,
                r.columns,
                {"to_table": r.to_table, "to_columns": list(r.to_columns)},
                policy=r.on_violation,
                description=f"({', '.join(r.columns)}) exists in "
                f"{r.to_table}({', '.join(r.to_columns)})",
            )
        )
    for s in table.sql_rules:
        rules.append(
            Rule(
                f"{table.name}.sql.{s.id}",
                "sql",
                table.name,
                (),
                {
                    "query": s.query,
                    "rows_query": s.rows_query,
                    "must_be": s.must_be,
                    "rows_tree": s.rows_tree,
                    "tree": s.tree,
                    "thresholds": s.thresholds,
                    "severity": s.severity,
                },
                policy="reject" if s.severity == "error" else "warn",
                description=s.description or s.name,
            )
        )
    return rules


def derive(contract: Contract) -> list[Rule]:
    """Every rule of every table, ids unique across the contract."""
    return [r for t in contract.tables for r in _table_rules(t)]
