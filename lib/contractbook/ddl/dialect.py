"""A dialect as data: types, statement templates and constraint support."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from contractbook import sqltext

from .types import TYPES, DdlError, Fit, sql_type


@dataclass(frozen=True)
class Dialect:
    """Everything that differs between engines, as templates and flags (no per-engine code)."""

    name: str
    title: str  # engine name used in comments, e.g. "PostgreSQL"
    sqlglot: str  # sqlglot dialect name for parsing checks
    default_catalog: str | None = None
    preamble: tuple[str, ...] = ("CREATE SCHEMA IF NOT EXISTS {schema};",)
    create_table: str = "CREATE TABLE IF NOT EXISTS {table} ("
    table_suffix: str = ")"  # closes the column list: options, USING, COMMENT
    column_comment: str = ""  # inline column comment clause, e.g. " COMMENT {text}"
    comment_statements: bool = False  # COMMENT ON TABLE/COLUMN statements after CREATE TABLE
    primary_key: str = "CONSTRAINT {name} PRIMARY KEY ({columns})"
    unique: str | None = "CONSTRAINT {name} UNIQUE ({columns})"
    foreign_key: str = "CONSTRAINT {name} FOREIGN KEY ({columns}) REFERENCES {ref} ({ref_columns})"
    index: str | None = None  # CREATE INDEX template where the engine has indexes
    enforces_keys: bool = True  # PK/UNIQUE/FK reject bad rows (else informational)
    key_note: str = ""  # why keys are (not) enforced, written next to each constraint
    unique_note: str = ""  # why UNIQUE is missing where unique is None
    drop_table: str = "DROP TABLE IF EXISTS {table};"
    alters: dict[str, str] = field(default_factory=dict)  # migration op -> template
    rebuild_dependents: bool = False  # rebuilding a table means rebuilding its FK children too
    max_identifier_bytes: int | None = None  # longest name the engine holds (UTF-8 bytes)
    identifier_limit_note: str = ""  # where the limit comes from, said when a name exceeds it
    max_table_bytes: int | None = None  # longest table name, where it differs from the above
    # kind of name ("table"/"column") -> (regex of characters the engine cannot hold, whose rule)
    refused_chars: dict[str, tuple[str, str]] = field(default_factory=dict)

    def ident(self, name: str) -> str:
        """A quoted identifier (quoting rules per engine: contractbook.sqltext.QUOTING)."""
        return sqltext.ident(name, self.name)

    def idents(self, names) -> str:
        """Comma-separated quoted identifiers."""
        return ", ".join(self.ident(n) for n in names)

    def check_name(self, name: str, what: str, kind: str = "column") -> None:
        """DdlError naming the engine's limit when it cannot hold name (too long, a character)."""
        n = len(name.encode("utf-8"))
        most = (self.max_table_bytes if kind == "table" else None) or self.max_identifier_bytes
        if most and n > most:
            raise DdlError(
                f"{what} {name!r} is {n} bytes long; {self.title} names hold at most "
                f"{most} bytes{self.identifier_limit_note}: "
                "shorten it (or give it a shorter physicalName)"
            )
        if kind in self.refused_chars and (m := re.search(self.refused_chars[kind][0], name)):
            raise DdlError(
                f"{what} {name!r} contains {m.group()!r}, which {self.title} {kind} "
                f"names cannot hold ({self.refused_chars[kind][1]}): give it a "
                "physicalName without it"
            )

    def literal(self, text: str) -> str:
        """A string literal (escaped per engine by contractbook.sqltext)."""
        return sqltext.literal(text, self.name)

    def qualify(self, *parts: str | None) -> str:
        """catalog.schema.table, skipping parts that are None."""
        return ".".join(self.ident(p) for p in parts if p)

    def type_of(self, ctype, where: str) -> Fit:
        """The Fit for a ColumnType; DdlError naming `where` when it has no mapping."""
        return sql_type(TYPES[self.name], self.name, ctype, where)

    def render_type(self, ctype, where: str) -> str:
        """The SQL type text of a ColumnType."""
        return self.type_of(ctype, where).template.format(
            precision=ctype.precision, scale=ctype.scale, length=ctype.length
        )
