"""Exit codes as data: every anticipated failure is an error class, each class one exit code."""

from __future__ import annotations

import errno
import re

OK, CHECKS_FAILED, USAGE, ENVIRONMENT = 0, 1, 2, 3

EXIT_CODES_HELP = (
    "exit codes: 0 ok; 1 the data or the contract failed its checks; 2 usage or "
    "input error; 3 environment: destination unreachable, credentials refused, "
    "busy, disk full, rows refused by a warehouse table"
)


class UsageError(Exception):
    """Bad usage or input (an option value, a path): exit 2; the message names cause and fix."""


class EnvironmentFailure(Exception):
    """The environment failed (unreachable, credentials refused, busy, disk full): exit 3."""


class WarehouseBusy(EnvironmentFailure):
    """Another run holds the warehouse or the state directory."""


class LoadRefused(EnvironmentFailure):
    """A warehouse table refused the rows (its columns or constraints are not the contract's)."""


# error class (module, name) -> exit code and the fix to add (a library's own error names no
# fix); the first match along the table wins. Resolved lazily: nothing is imported for it.
SERVER_FIX = (
    "check that the server runs, and the host, port, database, user and password of "
    "its URL (the password belongs in the environment)"
)
EXIT_CODES: tuple[tuple[str, str, int, str], ...] = (
    ("contractbook.contract", "ContractError", CHECKS_FAILED, ""),
    ("contractbook.errors", "UsageError", USAGE, ""),
    ("contractbook.ingest.read", "IngestError", USAGE, ""),
    ("contractbook.errors", "EnvironmentFailure", ENVIRONMENT, ""),
    ("sqlalchemy.exc", "OperationalError", ENVIRONMENT, SERVER_FIX),  # e.g. gx check --url
    ("psycopg2", "OperationalError", ENVIRONMENT, SERVER_FIX),
    (
        "great_expectations.datasource.fluent.interfaces",
        "TestConnectionError",
        ENVIRONMENT,
        SERVER_FIX,
    ),
    ("builtins", "OSError", USAGE, ""),  # a path given by the user: OS_FIXES has code and fix
)

# errno of an OSError -> (exit code, the fix to print)
OS_FIXES: dict[int, tuple[int, str]] = {
    errno.EISDIR: (USAGE, "pass a file, not a directory"),
    errno.ENOTDIR: (USAGE, "a parent of this path is a file: choose a path inside a folder"),
    errno.ENOENT: (USAGE, "check the path: its folder must exist and accept new files"),
    errno.EACCES: (USAGE, "choose a path you may write, or fix its permissions"),
    errno.EPERM: (USAGE, "choose a path you may write, or fix its permissions"),
    errno.EROFS: (USAGE, "choose a location on a writable file system"),
    errno.EEXIST: (USAGE, "a file is in the way: choose another path"),
    errno.ENOSPC: (ENVIRONMENT, "free disk space, or choose another disk"),
    errno.EDQUOT: (ENVIRONMENT, "free disk space (quota exceeded), or choose another disk"),
}

_URL_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/@\s]*@")


def scrub(text: str) -> str:
    """text with the user:password part of every URL removed (messages never show secrets)."""
    return _URL_USERINFO.sub(r"\1***@", text)


def _matches(e: BaseException, module: str, name: str) -> bool:
    import importlib
    import sys

    mod = sys.modules.get(module)
    if mod is None and module.startswith("contractbook"):
        mod = importlib.import_module(module)
    cls = getattr(mod, name, None)
    return isinstance(cls, type) and isinstance(e, cls)


def exit_code(e: BaseException) -> int | None:
    """The exit code of an anticipated failure; None for an unexpected one (a bug: traceback)."""
    entry = _entry(e)
    if entry is None:
        return None
    if entry[:2] == ("builtins", "OSError"):
        fix = OS_FIXES.get(e.errno) if isinstance(e, OSError) and e.errno else None
        return fix[0] if fix else None
    return entry[2]


def _entry(e: BaseException) -> tuple[str, str, int, str] | None:
    return next((row for row in EXIT_CODES if _matches(e, row[0], row[1])), None)


def one_line(e: BaseException) -> str:
    """The one line printed for an anticipated failure: cause and fix, no secret."""
    entry = _entry(e) or ("", "", 0, "")
    if entry[:2] == ("builtins", "OSError") and isinstance(e, OSError) and e.errno in OS_FIXES:
        where = f"{e.filename}: " if e.filename else ""
        return scrub(f"{where}{e.strerror}; {OS_FIXES[e.errno][1]}")
    if entry[3]:  # a library's message: its first line, then our fix
        first = (str(e).strip().splitlines() or [type(e).__name__])[0]
        return scrub(f"{first.strip()}; {entry[3]}")
    return scrub(" ".join(str(e).split()))
