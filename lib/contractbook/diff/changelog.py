"""A CHANGELOG entry (Markdown, Keep-a-Changelog style) for a contract version."""

from __future__ import annotations

from contractbook.contract import Contract

from .compare import CHANGE_KINDS, Change
from .semver import required

# Section of the entry for each non-breaking change kind (default: Changed).
SECTIONS = {
    "table_added": "Added",
    "column_added_nullable": "Added",
    "unique_dropped": "Removed",
    "foreign_key_removed": "Removed",
}
ORDER = ("Breaking", "Added", "Changed", "Removed")


def section(c: Change) -> str:
    """Breaking, Added, Changed or Removed."""
    return "Breaking" if c.breaking else SECTIONS.get(c.kind, "Changed")


def _line(c: Change) -> str:
    where = f"`{c.table}.{c.column}`" if c.column else f"`{c.table}`"
    return f"- {CHANGE_KINDS[c.kind][2].capitalize()}: {where}" + (
        f" ({c.detail})" if c.detail else ""
    )


def entry(old: Contract, new: Contract, changes: list[Change], date: str | None = None) -> str:
    """`## [version] - date` followed by the changes grouped by section."""
    lines = [
        f"## [{new.version}]" + (f" - {date}" if date else ""),
        "",
        f"{new.id}: {old.version} -> {new.version} (changes need a {required(changes)} bump).",
    ]
    for title in ORDER:
        picked = [c for c in changes if section(c) == title]
        if picked:
            lines += ["", f"### {title}", "", *(_line(c) for c in picked)]
    return "\n".join(lines) + "\n"
