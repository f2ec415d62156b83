"""Contract versions: classify changes, propose the semver bump, write CHANGELOG and migrations."""

from .changelog import entry
from .compare import CHANGE_KINDS, Change, compare, type_change
from .migrate import migration
from .semver import actual, bump, required, sufficient

__all__ = [
    "CHANGE_KINDS",
    "Change",
    "actual",
    "bump",
    "compare",
    "entry",
    "migration",
    "required",
    "sufficient",
    "type_change",
]
