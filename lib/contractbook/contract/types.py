"""Column types: the contract's logical/physical type pair reduced to one portable type."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Portable type kinds every generator maps (DDL dialects, Arrow, JSON Schema, GX, dlt).
KINDS = ("string", "integer", "bigint", "decimal", "double", "boolean", "date",
         "timestamp", "timestamptz", "time")

# physicalType base name -> kind; the logical type decides where this says nothing.
_PHYSICAL = {
    "varchar": "string", "char": "string", "text": "string", "string": "string",
    "integer": "integer", "int": "integer", "smallint": "integer",
    "bigint": "bigint", "long": "bigint",
    "decimal": "decimal", "numeric": "decimal",
    "double": "double", "float": "double", "real": "double", "float64": "double",
    "boolean": "boolean", "bool": "boolean",
    "date": "date",
    "timestamp": "timestamp", "datetime": "timestamp",
    "timestamptz": "timestamptz", "timestamp_tz": "timestamptz",
    "time": "time",
}

# logicalType -> the kinds its physicalType may refine it to (first one is the default).
_LOGICAL = {
    "string": ("string",),
    "integer": ("integer", "bigint"),
    "number": ("double", "decimal", "integer", "bigint"),
    "boolean": ("boolean",),
    "date": ("date",),
    "timestamp": ("timestamp", "timestamptz"),
    "time": ("time",),
}

_PHYS_RE = re.compile(r"^\s*([a-z_0-9]+)\s*(?:\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?\s*$", re.I)


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


def resolve(logical: str | None, physical: str | None, options: dict | None) -> ColumnType:
    """Reduce a contract column's logicalType/physicalType/options to a ColumnType."""
    if logical not in _LOGICAL:
        raise TypeProblem(f"logicalType {logical!r} is not supported; use one of "
                          f"{', '.join(sorted(_LOGICAL))}")
    allowed = _LOGICAL[logical]
    kind, p1, p2 = allowed[0], None, None
    if physical:
        m = _PHYS_RE.match(physical)
        base = m.group(1).lower() if m else None
        if base not in _PHYSICAL:
            raise TypeProblem(f"physicalType {physical!r} is not understood; use one of "
                              f"{', '.join(sorted(_PHYSICAL))}, with (length) or (p,s)")
        kind = _PHYSICAL[base]
        p1 = int(m.group(2)) if m.group(2) else None
        p2 = int(m.group(3)) if m.group(3) else None
        if kind not in allowed:
            raise TypeProblem(f"physicalType {physical!r} contradicts logicalType {logical!r}; "
                              f"expected a physical type of kind {' or '.join(allowed)}")
    if kind == "timestamp" and (options or {}).get("timezone"):
        kind = "timestamptz"
    if kind == "decimal":
        if p1 is None:
            raise TypeProblem(f"physicalType {physical!r} needs a precision and scale, "
                              "e.g. decimal(10,2)")
        return ColumnType("decimal", precision=p1, scale=p2 or 0)
    return ColumnType(kind, length=p1 if kind == "string" else None)
