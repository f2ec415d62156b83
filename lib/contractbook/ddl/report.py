"""Notebook views of the DDL: a per-dialect summary and collapsible scripts (HTML)."""

from __future__ import annotations

import html

from contractbook.contract import Contract

from .generate import create, fk_indexes, is_enforced, target
from .registry import DIALECTS
from .types import DdlError


def summary(
    contract: Contract, catalog: str | None = None, schema: str | None = None
) -> list[dict]:
    """One row per dialect: how its DDL treats keys, unique, foreign keys and indexes."""
    rows: list[dict[str, object]] = []
    for name in DIALECTS:
        t = target(contract, name, catalog, schema)
        try:
            lines = create(contract, name, catalog, schema).count("\n")
        except DdlError as e:  # a name the engine cannot hold: said, not raised
            rows.append({"dialect": name, "keys": f"not generated: {e}"})
            continue
        rels = contract.relationships
        created = [r for r in rels if is_enforced(t, r)]
        rows.append(
            {
                "dialect": name,
                "keys": "enforced" if t.dialect.enforces_keys else "informational",
                "foreign keys created": len(created),
                "warn-policy FKs as comments": len(rels) - len(created),
                "unique constraints": sum(c.unique for tb in contract.tables for c in tb.columns)
                if t.dialect.unique
                else "none (not supported)",
                "FK indexes": sum(len(fk_indexes(t, tb)) for tb in contract.tables),
                "lines": lines,
            }
        )
    return rows


def details_html(title: str, sql: str, open_: bool = False) -> str:
    """A collapsible <details> block holding one script."""
    return (
        f"<details{' open' if open_ else ''}><summary><b>{html.escape(title)}</b> "
        f"({sql.count(chr(10))} lines)</summary><pre style='font-size:11px'>{html.escape(sql)}"
        "</pre></details>"
    )
