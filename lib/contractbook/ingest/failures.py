"""Runner: known destination failures as one-line errors naming the cause and the fix."""

from __future__ import annotations

from collections.abc import Iterator

from contractbook.errors import EnvironmentFailure, WarehouseBusy, scrub

from .destinations import Destination

# words in a server's refusal that mean "credentials", not "unreachable"
CREDENTIAL_WORDS = (
    "password authentication failed",
    "no password supplied",
    "role ",
    "authentication failed",
    "permission denied",
)


def causes(e: BaseException) -> Iterator[BaseException]:
    """e and everything it wraps (__cause__, __context__, dlt's .exception), each once."""
    seen, todo = set(), list[BaseException | None]([e])
    while todo:
        c = todo.pop(0)
        if c is None or id(c) in seen:
            continue
        seen.add(id(c))
        yield c
        todo += [c.__cause__, c.__context__, getattr(c, "exception", None)]


def _kind(c: BaseException) -> str:
    return f"{type(c).__module__.split('.')[0]}.{type(c).__name__}"


def _first_line(c: BaseException) -> str:
    lines = str(c).strip().splitlines()
    return scrub(lines[0].strip()) if lines else type(c).__name__


def translate(e: BaseException, dest: Destination, location: str) -> BaseException | None:
    """The anticipated failure behind e, as an error the CLI maps to its exit code; else None."""
    env = " / ".join(dest.env) or "the destination's settings"
    for c in causes(e):
        if isinstance(c, EnvironmentFailure | OSError):
            return c
        kind = _kind(c)
        if kind == "psycopg2.OperationalError":
            why = _first_line(c)
            if any(w in why.lower() for w in CREDENTIAL_WORDS):
                return EnvironmentFailure(
                    f"{dest.name} refused the credentials ({why}); check the "
                    f"user and password in {env}"
                )
            return EnvironmentFailure(
                f"cannot reach {scrub(location)} ({why}); start the server "
                f"or fix host, port and database in {env}"
            )
        if kind == "_duckdb.IOException" and "lock" in str(c).lower():
            return WarehouseBusy(
                f"warehouse busy: another program holds {location} "
                f"({_first_line(c)}); close it and run again"
            )
    return None
