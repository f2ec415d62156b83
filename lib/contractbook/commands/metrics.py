"""`metrics [CONTRACT]`: run the SQL models into the warehouse's `curated` schema and check them."""

from __future__ import annotations

DEFAULT_CONTRACT = "contracts/olist_mini/contract.yaml"


def add_arguments(p) -> None:
    """Options of `metrics`."""
    from contractbook.metrics.engines import ENGINES

    p.add_argument(
        "contract",
        nargs="?",
        default=DEFAULT_CONTRACT,
        help=f"path of the raw contract (default {DEFAULT_CONTRACT})",
    )
    p.add_argument(
        "--engine", default="duckdb", help=f"one of {', '.join(ENGINES)} (default duckdb)"
    )
    p.add_argument(
        "--warehouse",
        default=None,
        help="; ".join(f"{e.name}: {e.url_help}" for e in ENGINES.values())
        + " (default data/warehouse.duckdb)",
    )
    p.add_argument(
        "--raw-schema", default="olist", help="schema of the accepted rows (default olist)"
    )
    p.add_argument("--schema", default="curated", help="schema written (default curated)")
    p.add_argument("--no-check", action="store_true", help="skip the check against the contract")
    p.add_argument(
        "--write-contract",
        action="store_true",
        help="only regenerate contracts/<name>/generated/curated.odcs.yaml",
    )


def run(args) -> int:
    """Exit 0 when every model ran and every curated row passes its contract, else 1."""
    from contractbook.contract import load
    from contractbook.metrics import curated
    from contractbook.metrics.refresh import refresh

    contract = load(args.contract)
    if args.write_contract:
        print(f"wrote {curated.write(contract)}")
        return 0
    try:
        result = refresh(
            contract,
            args.engine,
            args.warehouse,
            args.raw_schema,
            args.schema,
            checked=not args.no_check,
        )
    except (ValueError, FileNotFoundError) as e:
        print(f"metrics: {e}")
        return 2
    if result.check is None:
        return 0
    for row in result.check.rows():
        print(
            f"  check {row['table']:<20} {row['rows']:>9,} rows  failing {row['fail']:,}"
            + (f"  ({row['broken_rules']})" if row["fail"] else "")
        )
    print(
        "curated tables: every row passes its contract"
        if result.ok
        else "curated tables: SOME ROWS BREAK THEIR CONTRACT"
    )
    return 0 if result.ok else 1
