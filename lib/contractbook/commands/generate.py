"""`generate CONTRACT [--out DIR] [--only NAME ...]`: write every generator's files."""

from __future__ import annotations


def add_arguments(p) -> None:
    """Options of `generate`."""
    from contractbook.generators import GENERATORS

    p.add_argument("contract", help="path of the contract YAML, e.g. contracts/olist_mini/contract.yaml")
    p.add_argument("--out", help="output folder (default: generated/ beside the contract)")
    p.add_argument("--only", action="append", choices=list(GENERATORS), metavar="NAME",
                   help="run only this generator (repeatable): " + "; ".join(
                       f"{g.name}: {g.description}" for g in GENERATORS.values()))


def run(args) -> int:
    """Write the files and say how many went where."""
    from contractbook.contract import load
    from contractbook.generators import default_out, write

    contract = load(args.contract)
    out = args.out or default_out(contract)
    written = write(contract, out, args.only)
    print(f"wrote {len(written)} files under {out} ({', '.join(args.only or ['every generator'])})")
    return 0
