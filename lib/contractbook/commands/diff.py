"""`diff OLD NEW [--dialect D]`: classify changes, propose the bump, CHANGELOG entry, migration."""

from __future__ import annotations

import sys


def add_arguments(p) -> None:
    """Options of `diff`."""
    from contractbook.ddl import DIALECTS

    p.add_argument("old", help="the previous contract version (YAML)")
    p.add_argument("new", help="the new contract version (YAML)")
    p.add_argument(
        "--dialect",
        choices=list(DIALECTS),
        action="append",
        help="also print the migration for this SQL dialect (repeatable)",
    )
    p.add_argument("--catalog", help="catalog / project / database for the migration")
    p.add_argument("--schema", help="schema / dataset for the migration")
    p.add_argument("--date", help="date for the CHANGELOG heading, e.g. 2026-11-26")


def run(args) -> int:
    """Exit 1 when the new version is not bumped as much as its changes need, else 0."""
    from contractbook.contract import load
    from contractbook.ddl import DdlError
    from contractbook.diff import bump, compare, entry, migration, required, sufficient

    old, new = load(args.old), load(args.new)
    changes = compare(old, new)
    need = required(changes)
    print(f"{len(changes)} change(s), {sum(c.breaking for c in changes)} breaking:")
    for c in changes:
        print(f"  {c}")
    print(
        f"\nversion {old.version} -> {new.version}; changes need a {need} bump "
        f"(proposed: {bump(old.version, need)})\n"
    )
    print(entry(old, new, changes, args.date))
    try:
        for dialect in args.dialect or []:
            print(migration(old, new, dialect, args.catalog, args.schema))
    except (DdlError, ValueError) as e:
        print(f"{args.new}: {e}", file=sys.stderr)
        return 1
    if not sufficient(old.version, new.version, changes):
        kind = (
            "breaking change(s) without a major version bump"
            if need == "major"
            else f"change(s) needing a {need} bump"
        )
        print(
            f"{args.new}: {kind}: version {new.version} must be at least {bump(old.version, need)}",
            file=sys.stderr,
        )
        return 1
    return 0
