"""`synth`: write the synthetic Olist-mini CSVs (and a defect manifest) for a contract."""

from __future__ import annotations

import sys


def add_arguments(p) -> None:
    """Options of `synth`."""
    from contractbook.synth.spec import DEFECT_KINDS

    p.add_argument(
        "--n-orders",
        type=int,
        default=10_000,
        help="number of orders (default 10000); "
        "the other tables scale with it (about 6.5 rows per order in all)",
    )
    p.add_argument(
        "--seed",
        type=int,
        default=42,
        help="random seed; same seed and options give byte-identical files (default 42)",
    )
    p.add_argument(
        "--defects",
        default="",
        metavar="SPEC",
        help="defects to plant: comma-separated kind=count, all=N (N of every kind) and/or "
        f"rate=R (a fraction of rows); kinds: {', '.join(DEFECT_KINDS)}. "
        "Empty (default): clean data and a header-only defects.csv",
    )
    p.add_argument("--out", default="data/raw", help="output directory (default data/raw)")
    p.add_argument(
        "--contract",
        default="contracts/olist_mini/contract.yaml",
        help="contract YAML (default contracts/olist_mini/contract.yaml)",
    )
    p.add_argument(
        "--layout",
        default="plain",
        metavar="NAME",
        help="file layout: plain (<table>.csv, the default), or one the contract's "
        "plug-in publishes: kaggle for olist_mini (the published file names from "
        "the contract's kaggle server, quoted headers, BOM + CRLF on the "
        "translation table, and the public data's quirks)",
    )
    p.add_argument("--quiet", action="store_true", help="no per-table progress lines")


def run(args) -> int:
    """Generate; exit 1 with a readable message on a bad contract or defect spec."""
    from contractbook.contract import load
    from contractbook.synth import generate

    try:
        contract = load(args.contract)
        generate(
            contract,
            args.n_orders,
            args.seed,
            args.out,
            defects=args.defects,
            progress=None if args.quiet else print,
            layout=args.layout,
        )
    except ValueError as e:
        print(f"synth: {e}", file=sys.stderr)
        return 1
    return 0
