"""Column types: the contract's logical/physical type pair reduced to one portable type."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .aliases import ALIASES, CONTAINERS
from .kinds import TYPE_KINDS

__all__ = ["TYPE_KINDS", "ColumnType", "TypeProblem", "resolve", "resolve_noted"]

# physicalType base name -> kind, as contractbook spells them (engine spellings: aliases.py).
_PHYSICAL = {
    "varchar": "string",
    "char": "string",
    "text": "string",
    "string": "string",
    "integer": "integer",
    "int": "integer",
    "smallint": "integer",
    "bigint": "bigint",
    "long": "bigint",
    "decimal": "decimal",
    "numeric": "decimal",
    "double": "double",
    "float": "double",
    "real": "double",
    "float64": "double",
    "boolean": "boolean",
    "bool": "boolean",
    "date": "date",
    "timestamp": "timestamp",
    "datetime": "timestamp",
    "timestamptz": "timestamptz",
    "timestamp_tz": "timestamptz",
    "time": "time",
}

# logicalType -> the kinds its physicalType may refine it to (first one is the default).
_LOGICAL = {
    "string": ("string",),
    "integer": ("integer", "bigint"),
    "number": ("double", "decimal", "integer", "bigint"),
    "boolean": ("boolean",),
    "date": ("date", "timestamp", "timestamptz"),
    "timestamp": ("timestamp", "timestamptz"),
    "time": ("time",),
    "object": ("object", "map"),
    "array": ("array",),
    "map": ("map", "object"),
}
# Refinements read differently from what the logical type says, with the warning given.
_NOTED = {
    ("date", "timestamp"): "logicalType date with a timestamp physicalType is read as a timestamp "
    "(ODCS v3.0 has no timestamp logical type)",
    ("date", "timestamptz"): "logicalType date with a timestamp physicalType is read as a "
    "timestamp with time zone (ODCS v3.0 has no timestamp logical type)",
}

_PHYS_RE = re.compile(
    r"^\s*([a-z_][a-z_0-9 ]*?)\s*(?:\(\s*(\d+|max)\s*(?:,\s*(\d+)\s*)?\))?\s*$", re.I
)
_CONTAINER_RE = re.compile(r"^\s*(array|list|map|struct|object)\s*[<(].*[>)]\s*$", re.I)


class TypeProblem(ValueError):
    """A logical/physical type pair that cannot be reduced to a portable type."""


@dataclass(frozen=True)
class ColumnType:
    """A portable column type: kind plus precision/scale (decimal) or length (string)."""

    kind: str
    precision: int | None = None
    scale: int | None = None
    length: int | None = None

    def __str__(self) -> str:
        if self.kind == "decimal":
            return f"decimal({self.precision},{self.scale})"
        return f"{self.kind}({self.length})" if self.length else self.kind


def _physical(physical: str) -> tuple[str, int | None, int | None, str]:
    """(kind, first parameter, second parameter, base name) of a physicalType text."""
    text = physical.strip()
    if text.endswith("[]"):
        return "array", None, None, "[]"
    if m := _CONTAINER_RE.match(text):
        return CONTAINERS[m.group(1).lower()], None, None, m.group(1).lower()
    m = _PHYS_RE.match(text)
    base = " ".join(m.group(1).lower().split()) if m else None
    if base in _PHYSICAL:
        kind, alias = _PHYSICAL[base], None
    elif base in ALIASES:
        alias = ALIASES[base]
        kind = alias.kind
    else:
        raise TypeProblem(
            f"physicalType {physical!r} is not understood; use one of "
            f"{', '.join(sorted(_PHYSICAL))}, with (length) or (p,s)"
        )
    assert m is not None  # base was read from it
    p1 = None if not m.group(2) or m.group(2).lower() == "max" else int(m.group(2))
    p2 = int(m.group(3)) if m.group(3) else None
    if alias and p1 is None:
        p1, p2 = (alias.precision, alias.scale) if kind == "decimal" else (alias.length, None)
    return kind, p1, p2, base


def resolve_noted(
    logical: str | None, physical: str | None, options: dict | None
) -> tuple[ColumnType, list[str]]:
    """The ColumnType of a column, and what was read differently from how it is written."""
    if logical not in _LOGICAL:
        raise TypeProblem(
            f"logicalType {logical!r} is not supported; use one of {', '.join(sorted(_LOGICAL))}"
        )
    allowed, notes = _LOGICAL[logical], []
    kind, p1, p2 = allowed[0], None, None
    if physical:
        kind, p1, p2, _ = _physical(physical)
        if kind == "decimal" and p2 in (None, 0) and logical == "integer":
            kind, p1 = ("integer" if (p1 or 38) <= 9 else "bigint"), None  # NUMBER(38,0)
        if kind not in allowed:
            raise TypeProblem(
                f"physicalType {physical!r} contradicts logicalType {logical!r}; "
                f"expected a physical type of kind {' or '.join(allowed)}"
            )
        if (logical, kind) in _NOTED:
            notes.append(_NOTED[(logical, kind)])
    if kind == "timestamp" and (options or {}).get("timezone"):
        kind = "timestamptz"
    if kind == "decimal":
        if p1 is None:
            raise TypeProblem(
                f"physicalType {physical!r} needs a precision and scale, e.g. decimal(10,2)"
            )
        return ColumnType("decimal", precision=p1, scale=p2 or 0), notes
    assert kind in TYPE_KINDS, kind
    return ColumnType(kind, length=p1 if kind == "string" else None), notes


def resolve(logical: str | None, physical: str | None, options: dict | None) -> ColumnType:
    """Reduce a contract column's logicalType/physicalType/options to a ColumnType."""
    return resolve_noted(logical, physical, options)[0]
