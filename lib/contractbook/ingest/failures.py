"""Runner: known destination failures as one-line errors naming the cause and the fix."""

from __future__ import annotations

from collections.abc import Iterator

from contractbook.errors import EnvironmentFailure, LoadRefused, WarehouseBusy, scrub

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
    """e and everything it wraps (__cause__, __context__, dlt's .exception and a load job's
    .client_exception), each once."""
    seen, todo = set(), list[BaseException | None]([e])
    while todo:
        c = todo.pop(0)
        if c is None or id(c) in seen:
            continue
        seen.add(id(c))
        yield c
        todo += [c.__cause__, c.__context__, getattr(c, "exception", None)]
        todo.append(getattr(c, "client_exception", None))


def _kind(c: BaseException) -> str:
    return f"{type(c).__module__.split('.')[0]}.{type(c).__name__}"


def _first_line(c: BaseException) -> str:
    lines = str(c).strip().splitlines()
    return scrub(lines[0].strip()) if lines else type(c).__name__


# dlt's errors for a load job the destination refused (bad data for the table there); dlt
# retries some refusals as transient (PostgreSQL's merge on other column types) until it gives
# up with LoadClientJobRetry: a refusal all the same unless the server could not be reached
REFUSED_JOB_ERRORS = (
    "dlt.LoadClientJobFailed",
    "dlt.LoadClientJobTerminalRetry",
    "dlt.LoadClientJobRetry",
)


# what a refusal's words point at -> the fix the line names (the first match wins; the last is
# the fallback)
REFUSAL_FIXES = (
    (
        "foreign key",
        "the warehouse enforces a FOREIGN KEY, which dlt's parallel load order and its merge "
        "(parent rows deleted and inserted again) cannot meet; create the tables without "
        "FOREIGN KEY constraints (`python -m contractbook ddl --no-foreign-keys` prints them; "
        "ingest checks the keys itself: orphans are rejected, with the rule, into the rejects "
        "tables)",
    ),
    (
        "",
        "the warehouse table's columns or constraints are not the contract's; drop or fix "
        "that table (the `ddl` command writes the contract's)",
    ),
)


def refused(c: BaseException, location: str) -> LoadRefused:
    """A destination's refusal of one table's rows as one line: table, the engine's words, fix.

    dlt names the job `<table>.<file id>.<format>`; the engine's first line is kept (scrubbed),
    dlt's own wrapping and traceback text are dropped.
    """
    table = str(getattr(c, "job_id", "")).rsplit(".", 2)[0] or "?"
    inner = getattr(c, "client_exception", None)
    why = _first_line(inner if inner is not None else c)
    fix = next(f for words, f in REFUSAL_FIXES if words in why.lower())
    return LoadRefused(
        f"{scrub(location)} refused the rows of table {table!r} ({why[:300]}): {fix}, then "
        "run again. This run's load package was aborted: nothing is left pending, and the next "
        "run loads every file again"
    )


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
    job = next((c for c in causes(e) if _kind(c) in REFUSED_JOB_ERRORS), None)
    return refused(job, location) if job is not None else None
