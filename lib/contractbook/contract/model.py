"""The typed contract model every later step reads: tables, columns, keys, relationships, rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from .rules import Rule, derive
from .types import ColumnType


@dataclass(frozen=True)
class Column:
    """One column (ODCS property) with its portable type and row-level constraints."""

    name: str
    type: ColumnType
    logical_type: str
    physical_type: str | None
    required: bool
    description: str = ""
    unique: bool = False
    primary_key_position: int | None = None
    classification: str | None = None
    tags: tuple[str, ...] = ()
    pattern: str | None = None
    minimum: float | str | None = None
    maximum: float | str | None = None
    exclusive_minimum: float | str | None = None
    exclusive_maximum: float | str | None = None
    min_length: int | None = None
    max_length: int | None = None
    allowed_values: tuple | None = None
    allowed_values_form: str | None = None  # "validValues" (ODCS 3.1) or "enum" (ODCS 3.2)
    format: str | None = None
    path: str = ""
    physical_name: str | None = None  # ODCS physicalName: the engine's name, when it differs

    @property
    def physical(self) -> str:
        """The name the engine uses: physicalName, else name."""
        return self.physical_name or self.name

    @property
    def is_personal(self) -> bool:
        """True when the column carries personal or confidential data."""
        return bool(self.classification and self.classification != "public") or "pii" in self.tags


@dataclass(frozen=True)
class Relationship:
    """A foreign key: from_columns of table reference to_columns of to_table."""

    id: str
    table: str
    columns: tuple[str, ...]
    to_table: str
    to_columns: tuple[str, ...]
    on_violation: str = "reject"  # or "warn"
    path: str = ""
    keys: tuple = field(default=(), repr=False, compare=False)  # where it sits in the YAML


@dataclass(frozen=True)
class SqlRule:
    """A cross-table ODCS `type: sql` rule; rows_query returns the failing rows."""

    id: str
    table: str
    name: str
    description: str
    query: str
    rows_query: str | None  # the failing rows, re-rendered from rows_tree without comments
    must_be: float | int | None = 0
    severity: str = "error"
    path: str = ""
    rows_tree: object = field(default=None, repr=False, compare=False)  # sqlglot tree, parsed once
    refused: str = ""  # why the rule is not a read-only contract query ('' = accepted)
    keys: tuple = field(default=(), repr=False, compare=False)  # where it sits in the YAML
    tree: object = field(default=None, repr=False, compare=False)  # the whole query, if accepted
    thresholds: tuple = ()  # (ODCS operator, threshold) pairs as written, e.g. ("mustBe", 0)


@dataclass(frozen=True)
class Table:
    """One table (ODCS schema object)."""

    name: str
    columns: tuple[Column, ...]
    description: str = ""
    relationships: tuple[Relationship, ...] = ()
    sql_rules: tuple[SqlRule, ...] = ()
    path: str = ""
    physical_name: str | None = None  # ODCS physicalName: the engine's name, when it differs

    @property
    def physical(self) -> str:
        """The name the engine uses: physicalName, else name."""
        return self.physical_name or self.name

    def label(self) -> str:
        """The logical name for messages, with the physical one when it differs."""
        return self.name if self.physical == self.name else f"{self.name} ({self.physical})"

    @property
    def column_names(self) -> list[str]:
        """Column names in contract order."""
        return [c.name for c in self.columns]

    @property
    def primary_key(self) -> tuple[str, ...]:
        """Primary-key columns in key order (empty when the table has no key)."""
        keyed = [c for c in self.columns if c.primary_key_position is not None]
        return tuple(c.name for c in sorted(keyed, key=lambda c: c.primary_key_position or 0))

    def column(self, name: str) -> Column:
        """The column called name; KeyError naming the table otherwise."""
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"table {self.name!r} has no column {name!r}")


@dataclass(frozen=True)
class Contract:
    """A loaded, validated contract."""

    id: str
    name: str
    version: str
    api_version: str
    tables: tuple[Table, ...]
    path: str = ""
    description: str = ""
    warnings: tuple = ()
    raw: dict = field(default_factory=dict, repr=False, hash=False, compare=False)

    def table(self, name: str) -> Table:
        """The table called name; KeyError listing the tables otherwise."""
        for t in self.tables:
            if t.name == name:
                return t
        raise KeyError(
            f"no table {name!r} in contract {self.id}; tables: {', '.join(self.table_names)}"
        )

    @property
    def table_names(self) -> list[str]:
        """Table names in contract order."""
        return [t.name for t in self.tables]

    @property
    def relationships(self) -> list[Relationship]:
        """Every foreign key of every table."""
        return [r for t in self.tables for r in t.relationships]

    @property
    def sql_rules(self) -> list[SqlRule]:
        """Every cross-table SQL rule."""
        return [r for t in self.tables for r in t.sql_rules]

    @cached_property
    def dependency_order(self) -> list[str]:
        """Table names with every FK parent before its children (stable, contract order)."""
        parents = {t.name: {r.to_table for r in t.relationships} - {t.name} for t in self.tables}
        order: list[str] = []
        while len(order) < len(parents):
            ready = [n for n in self.table_names if n not in order and parents[n] <= set(order)]
            if not ready:
                raise ValueError(f"foreign keys form a cycle among {set(parents) - set(order)}")
            order.append(ready[0])
        return order

    @cached_property
    def rules(self) -> list[Rule]:
        """Every checkable rule of the contract, in table and column order."""
        return derive(self)

    def rules_for(self, table: str) -> list[Rule]:
        """The rules of one table."""
        return [r for r in self.rules if r.table == table]

    def _repr_html_(self) -> str:
        from .html import render

        return render(self)
