"""Synth plug-ins: where a contract's clean rows come from (generic, or a dataset's own realism)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Plugin:
    """Clean tables for a contract, plus the planters of the SQL rules it knows how to break."""

    name: str
    tables: Callable  # (contract, n, seed) -> {table: pyarrow.Table}
    sql_planters: dict = field(default_factory=dict)  # SQL rule id -> planter
    eligible: dict = field(default_factory=dict)  # rule id -> SQL choosing source rows
    orphans: dict = field(default_factory=dict)  # table.column -> orphan values to plant
    layouts: dict = field(default_factory=dict)  # layout name -> synth.layout.Layout
    search_sql: bool = False  # other SQL rules: search a mutation their query flags (sqlplant)

    def sql_rule_ids(self, contract) -> set[str]:
        """Ids of the SQL rules this plug-in plants: its planters', plus searchable ones."""
        if not self.search_sql:
            return set(self.sql_planters)
        from .sqlplant import plantable

        return set(self.sql_planters) | plantable(contract)


# contract name -> module defining PLUGIN; every other contract uses the generic generator.
PLUGINS = {"olist_mini": "contractbook.synth.olist"}
GENERIC = "contractbook.synth.generic"


def for_contract(contract) -> Plugin:
    """The plug-in of this contract (by its name), else the generic one."""
    return importlib.import_module(PLUGINS.get(contract.name, GENERIC)).PLUGIN
