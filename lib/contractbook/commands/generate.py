"""`generate CONTRACT [--out DIR] [--only NAME ...]`: write every generator's files."""

from __future__ import annotations


def add_arguments(p) -> None:
    """Options of `generate`."""
    from contractbook.generators import GENERATORS

    p.add_argument("contract", help="the contract YAML, e.g. contracts/olist_mini/contract.yaml")
    p.add_argument("--out", help="output folder (default: generated/ beside the contract)")
    p.add_argument(
        "--only",
        action="append",
        choices=list(GENERATORS),
        metavar="NAME",
        help="run only this generator (repeatable): "
        + "; ".join(f"{g.name}: {g.description}" for g in GENERATORS.values()),
    )


def run(args) -> int:
    """Write the files and say how many went where; exit 2 when a named generator does not apply,
    1 when the contract cannot be rendered by one (nothing is written then)."""
    import sys

    from contractbook.contract import load
    from contractbook.generators import applicable, default_out, write

    contract = load(args.contract)
    out = args.out or default_out(contract)
    try:
        ran, skipped = applicable(contract, args.only)
    except ValueError as e:
        print(f"generate: {e}", file=sys.stderr)
        return 2
    for name, reason in skipped.items():
        print(f"skipped {name}: {reason}")
    try:
        written = write(contract, out, [g.name for g in ran])
    except ValueError as e:
        print(f"generate: {args.contract}: {e}", file=sys.stderr)
        return 1
    print(f"wrote {len(written)} files under {out} ({', '.join(g.name for g in ran) or 'none'})")
    return 0
