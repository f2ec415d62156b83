"""`bench-ingest --n-orders N`: time contractbook ingest against DuckDB alone on the same CSVs."""

from __future__ import annotations

import json


def add_arguments(p) -> None:
    """Options of `bench-ingest`."""
    p.add_argument("--n-orders", type=int, default=1_000_000, help="orders to generate (default 1,000,000)")
    p.add_argument("--seed", type=int, default=42, help="generator seed (default 42)")
    p.add_argument("--contract", default="contracts/olist_mini/contract.yaml", help="contract path")
    p.add_argument("--work", default="data/bench-ingest",
                   help="folder for the data and both warehouses (default data/bench-ingest)")
    p.add_argument("--json", default=None, help="also write the results to this JSON file")


def run(args) -> int:
    """Print one line per step and the ratio; exit 0 when the target is met."""
    from contractbook.bench.ingest import run as bench

    result = bench(args.contract, args.n_orders, args.work, args.seed)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f, indent=2)
    return 0 if result["target_met"] and result["contractbook_ingest"]["accounting_ok"] else 1
