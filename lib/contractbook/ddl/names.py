"""Deterministic constraint and index names (<= 63 UTF-8 bytes, the PostgreSQL limit)."""

from __future__ import annotations

import hashlib

from contractbook.contract import Relationship

MAX = 63


def _fit(name: str) -> str:
    """name, or a prefix plus a digest when over MAX UTF-8 bytes (PostgreSQL counts bytes)."""
    if len(name.encode()) <= MAX:
        return name
    digest = hashlib.sha1(name.encode()).hexdigest()[:8]
    head = name.encode()[: MAX - 9].decode("utf-8", "ignore")  # never half a character
    return f"{head}_{digest}"


def primary_key(table: str) -> str:
    """Name of a table's primary-key constraint."""
    return _fit(f"pk_{table}")


def unique(table: str, column: str) -> str:
    """Name of a column's UNIQUE constraint."""
    return _fit(f"uq_{table}__{column}")


def foreign_key(rel: Relationship) -> str:
    """Name of a relationship's FOREIGN KEY constraint."""
    return _fit(f"fk_{rel.id}")


def index(table: str, columns) -> str:
    """Name of an index on columns of table."""
    return _fit(f"ix_{table}__{'_'.join(columns)}")
