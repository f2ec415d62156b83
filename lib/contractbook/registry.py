"""One lookup for every name -> entry registry: an unknown name's error lists the known ones."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypeVar

V = TypeVar("V")


def unknown(
    table: Iterable[str], name: object, what: str, error: type[Exception] = ValueError
) -> Exception:
    """The error for a name that is not in table: it names what was asked and lists the known."""
    return error(f"unknown {what} {name!r}; choose one of {', '.join(table)}")


def lookup(table: Mapping[str, V], name: str, what: str, error: type[Exception] = ValueError) -> V:
    """table[name]; otherwise `error` naming what was asked for and every known name."""
    try:
        return table[name]
    except KeyError:
        raise unknown(table, name, what, error) from None
