"""`validate CONTRACT`: exit 0 when the contract is usable, 1 with every problem otherwise."""

from __future__ import annotations

import sys


def add_arguments(p) -> None:
    """Options of `validate`."""
    p.add_argument(
        "contract", help="path of the contract YAML, e.g. contracts/olist_mini/contract.yaml"
    )
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")


def run(args) -> int:
    """Print problems to stderr and a one-line verdict to stdout."""
    from contractbook.contract import parse

    contract, problems = parse(args.contract)
    errors = [p for p in problems if p.severity == "error"]
    for p in problems:
        print(p, file=sys.stderr)
    if contract is None or (args.strict and problems):
        print(
            f"{args.contract}: INVALID ({len(errors)} error(s), "
            f"{len(problems) - len(errors)} warning(s))"
        )
        return 1
    print(
        f"{args.contract}: valid ODCS {contract.api_version} contract {contract.id} "
        f"v{contract.version}: {len(contract.tables)} tables, {len(contract.rules)} rules, "
        f"{len(contract.warnings)} warning(s)"
    )
    return 0
