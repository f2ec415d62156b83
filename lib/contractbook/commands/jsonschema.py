"""`jsonschema CONTRACT --out DIR`: one JSON Schema file per table; `--check DATA` samples CSVs."""

from __future__ import annotations

from pathlib import Path


def add_arguments(p) -> None:
    """Options of `jsonschema`."""
    p.add_argument("contract", help="path of the contract YAML")
    p.add_argument("--out", help="directory for <table>.json (default: print the list of tables)")
    p.add_argument(
        "--check", metavar="DATA_DIR", help="validate the first rows of DATA_DIR/<table>.csv"
    )
    p.add_argument("--rows", type=int, default=200, help="rows per table for --check (default 200)")


def run(args) -> int:
    """Write schemas and/or report sample violations; exit 1 when any row violates its schema."""
    from contractbook.contract import load
    from contractbook.generators import get
    from contractbook.jsonschema import check_sample

    contract = load(args.contract)
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        schemas = get("jsonschema").files(contract)
        for rel, text in schemas.items():
            (out / rel).write_text(text, encoding="utf-8")
        print(f"wrote {len(schemas)} schemas to {out}")
    if args.check:
        violations = check_sample(contract, args.check, args.rows)
        for v in violations:
            print(f"{v.table} record {v.record}: {v.path}: {v.message}")
        print(f"{len(violations)} violation(s) in the first {args.rows} rows of each table")
        return 1 if violations else 0
    return 0
