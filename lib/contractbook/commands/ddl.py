"""`ddl --dialect D [--drop] CONTRACT` prints DDL; `ddl --all --out DIR CONTRACT` writes all."""

from __future__ import annotations

import sys


def add_arguments(p) -> None:
    """Options of `ddl`."""
    from contractbook.ddl import DIALECTS

    p.add_argument(
        "contract", help="path of the contract YAML, e.g. contracts/olist_mini/contract.yaml"
    )
    p.add_argument("--dialect", choices=list(DIALECTS), help="SQL dialect to print")
    p.add_argument("--drop", action="store_true", help="print the DROP script instead of CREATE")
    p.add_argument("--catalog", help="catalog / project / database (Databricks default: main)")
    p.add_argument("--schema", help="schema / dataset (default: the contract server's schema)")
    p.add_argument(
        "--all", action="store_true", help="every dialect, CREATE and DROP (needs --out)"
    )
    p.add_argument("--out", help="directory for <dialect>.sql and <dialect>.drop.sql")
    p.add_argument(
        "--no-foreign-keys",
        action="store_true",
        help="print the FOREIGN KEYs as comments only: tables that ingest loads and merges into "
        "(DuckDB and PostgreSQL enforce keys, which dlt's parallel loads and merges cannot meet; "
        "ingest checks them itself)",
    )


def run(args) -> int:
    """Print or write DDL; exit 2 on a usage error, 1 when the contract cannot be rendered."""
    from contractbook.contract import load
    from contractbook.ddl import DdlError, render
    from contractbook.ddl.files import write

    if not (args.dialect or args.all):
        print("ddl: give --dialect D, or --all --out DIR", file=sys.stderr)
        return 2
    if args.all and not args.out:
        print("ddl: --all writes files: add --out DIR", file=sys.stderr)
        return 2
    if args.no_foreign_keys and args.out:
        print("ddl: --no-foreign-keys prints one script: drop --out", file=sys.stderr)
        return 2
    try:
        contract = load(args.contract)
        if args.out:
            write(
                contract, args.out, None if args.all else [args.dialect], args.catalog, args.schema
            )
        else:
            sys.stdout.write(
                render(
                    contract,
                    args.dialect,
                    args.drop,
                    args.catalog,
                    args.schema,
                    foreign_keys=not args.no_foreign_keys,
                )
            )
    except DdlError as e:
        print(f"{args.contract}: {e}", file=sys.stderr)
        return 1
    return 0
