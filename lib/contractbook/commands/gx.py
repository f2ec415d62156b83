"""`gx suites|check`: write the GX suites of a contract, or run its pre-/post-load checkpoints."""

from __future__ import annotations

import re
import sys
from pathlib import Path


def add_arguments(p) -> None:
    """Subcommands of `gx`."""
    sub = p.add_subparsers(dest="gx_command", metavar="{suites,check}", required=True)
    s = sub.add_parser(
        "suites", help="write <target>/<table>.json suites generated from the contract"
    )
    s.add_argument("contract", help="path of the contract YAML")
    s.add_argument("--out", required=True, help="directory, e.g. contracts/olist_mini/generated/gx")
    s.add_argument("--target", action="append", help="csv, duckdb, postgres (default: all)")
    c = sub.add_parser("check", help="run the checkpoints; exit 1 on a failed reject-policy check")
    c.add_argument("contract", help="path of the contract YAML")
    c.add_argument(
        "--csv",
        metavar="DIR",
        help="pre-load: check the input files in DIR (each table's file, see --server)",
    )
    c.add_argument(
        "--server",
        default=None,
        help="contract file server naming the input files "
        "(default: $CONTRACTBOOK_SERVER, else <table>.csv)",
    )
    c.add_argument(
        "--preload-engine",
        default="duckdb",
        choices=("duckdb", "pandas"),
        help="pre-load runs as SQL in DuckDB (default) or on pandas DataFrames",
    )
    c.add_argument(
        "--url",
        help="post-load: SQLAlchemy URL, e.g. duckdb:///data/warehouse.duckdb "
        "(a password belongs in the environment, not here)",
    )
    c.add_argument("--target", default="duckdb", help="post-load target: duckdb or postgres")
    c.add_argument(
        "--schema",
        help="warehouse schema (default: the contract's servers schema for "
        "the target, else its name)",
    )
    c.add_argument(
        "--mostly",
        help="tolerances, e.g. 0.99 or foreign_key=0.99 "
        "(default: $CONTRACTBOOK_GX_MOSTLY, else 1.0)",
    )
    c.add_argument("--state", default=".state", help="GX context root (default .state → .state/gx)")
    c.add_argument("--docs", default="reports/data_docs", help="Data Docs folder")
    c.add_argument("--warn-only", action="store_true", help="exit 0 even when checks fail")


def _suites(args) -> int:
    from contractbook.contract import load
    from contractbook.generators import get
    from contractbook.gx import TARGETS

    contract = load(args.contract)
    for name in args.target or list(TARGETS):
        suites = get("gx").files(contract, targets=[name])
        for rel, text in suites.items():
            path = Path(args.out) / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        print(f"wrote {len(suites)} {name} suites to {Path(args.out) / name}")
    return 0


INLINE_PASSWORD = re.compile(r"://[^/@:]*:[^/@]+@")


def _check(args) -> int:
    if args.url and INLINE_PASSWORD.search(args.url):  # GX would save it in .state/gx
        from contractbook.errors import UsageError

        raise UsageError(
            "--url holds a password, which GX would save in its context: put the URL "
            "in an environment variable and pass --url '${VARIABLE}', e.g. "
            "--url '${DESTINATION__POSTGRES__CREDENTIALS}'"
        )
    from contractbook.contract import load
    from contractbook.gx.context import build_docs, open_context
    from contractbook.gx.runner import run_postload, run_preload
    from contractbook.gx.tolerances import from_env

    if not (args.csv or args.url):
        print("gx check: give --csv DIR (pre-load) and/or --url URL (post-load)")
        return 2
    contract, tolerances = load(args.contract), from_env(args.mostly)
    ctx = open_context(args.state, args.docs)
    from contractbook.reading.find import sources

    paths = sources(contract, args.csv, args.server) if args.csv else None
    runs = (
        [run_preload(ctx, contract, args.csv, tolerances, engine=args.preload_engine, paths=paths)]
        if args.csv
        else []
    ) + (
        [run_postload(ctx, contract, args.url, args.target, args.schema, tolerances)]
        if args.url
        else []
    )
    docs = build_docs(ctx)
    errors = [c for r in runs for c in r.errors]
    for c in errors:
        print(
            f"FAIL {c.table} {c.rule_id or c.expectation}: {c.unexpected_count} failing "
            f"{c.error or c.sample[:2]}"
        )
    print(f"Data Docs: {docs}")
    return 0 if args.warn_only or not errors else 1


def run(args) -> int:
    """Dispatch to the chosen gx subcommand."""
    from contractbook.reading.files import ReadError

    try:
        return {"suites": _suites, "check": _check}[args.gx_command](args)
    except ReadError as e:  # a missing or unreadable input: the message names the file and fix
        print(f"gx: {e}", file=sys.stderr)
        return 1
