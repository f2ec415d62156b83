"""DDL from the contract: CREATE/DROP per SQL dialect, dialects as data behind a registry."""

from .generate import GENERATOR, DdlTarget, create, drop, render, target
from .registry import DIALECTS, get
from .types import KINDS_MAPPED, TYPES, DdlError

__all__ = [
    "DIALECTS",
    "GENERATOR",
    "KINDS_MAPPED",
    "TYPES",
    "DdlError",
    "DdlTarget",
    "create",
    "drop",
    "get",
    "render",
    "target",
]
