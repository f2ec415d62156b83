"""How a file's header fits the contract's columns: positions, and what to warn about (pure)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .files import ReadError

EMPTY = "empty file (no header)"  # said as "<path>: empty file (no header); read as 0 rows"


@dataclass(frozen=True)
class HeaderFit:
    """The contract columns the header has (contract order), their header positions, warnings."""

    present: list[str]
    position: dict[str, int]
    warnings: list[str] = field(default_factory=list)


def fit(path: Path, header: list[str], columns: list[str]) -> HeaderFit:
    """Match columns to header by exact name; a contract column named twice is a ReadError."""
    pos: dict[str, list[int]] = {}
    for i, h in enumerate(header):
        pos.setdefault(h, []).append(i)
    dupes = sorted({c for c in columns if len(pos.get(c, [])) > 1})
    if dupes:
        raise ReadError(
            f"{path}: the header names column(s) {dupes} more than once; name each column once"
        )
    present = [c for c in columns if c in pos]
    missing = [c for c in columns if c not in pos]
    extra = [h for h in header if h not in columns]
    warnings = []
    if missing:
        warnings.append(f"{path}: header lacks contract column(s) {missing}; read as empty")
    if extra:
        shown = extra[:10] + (["..."] if len(extra) > 10 else [])
        warnings.append(
            f"{path}: header has {len(extra)} column(s) not in the contract {shown}; ignored"
        )
    if [h for h in header if h in columns] != present:
        warnings.append(f"{path}: columns are in another order than the contract; matched by name")
    return HeaderFit(present, {c: pos[c][0] for c in present}, warnings)
