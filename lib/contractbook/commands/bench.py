"""`bench --n-orders N`: every DAG step and anchor at 10k, 100k and N orders -> reports/bench.*"""

from __future__ import annotations

import sys


def _sizes(text: str) -> list[int]:
    try:
        return sorted({int(x.replace("_", "")) for x in text.split(",") if x.strip()})
    except ValueError:
        raise SystemExit(f"--sizes: expected comma-separated order counts, e.g. 10000,100000; "
                         f"got {text!r}") from None


def add_arguments(p) -> None:
    """Options of `bench`."""
    p.add_argument("--n-orders", type=int, default=1_000_000,
                   help="largest size in orders (default 1,000,000); 10k and 100k below it also run")
    p.add_argument("--sizes", type=_sizes, default=None,
                   help="explicit comma-separated sizes instead (e.g. 10000,50000)")
    p.add_argument("--repeats", type=int, default=3,
                   help="runs of a short (< 5 s) step; its median is reported (default 3)")
    p.add_argument("--seed", type=int, default=42, help="generator seed (default 42)")
    p.add_argument("--contract", default="contracts/olist_mini/contract.yaml", help="contract path")
    p.add_argument("--work", default="data/bench", help="data and warehouses (default data/bench)")
    p.add_argument("--out", default="reports", help="where bench.md/.json/.png go (default reports)")
    p.add_argument("--gx-max-orders", type=int, default=0,
                   help="largest size the DAG's GX step runs at (default 0 = no limit; at 1M "
                        "orders its pandas pre-load needs about 2 minutes and 3 GB)")
    p.add_argument("--no-build", action="store_true", help="skip timing `ploomber build` + no-op")
    p.add_argument("--no-profile", action="store_true", help="skip profiling the slowest step")


def run(args) -> int:
    """Run the bench and write the reports; exit 1 if a step failed."""
    from contractbook.bench.run import run as bench

    try:
        bench(args.contract, args.n_orders, args.work, args.out, seed=args.seed,
              repeats=args.repeats, sizes=args.sizes, build=not args.no_build,
              profile=not args.no_profile, gx_max_orders=args.gx_max_orders or None,
              command="python -m contractbook " + " ".join(sys.argv[1:]))
    except RuntimeError as e:  # a step's process failed: its stderr is in the message
        print(f"bench: {e}", file=sys.stderr)
        return 1
    return 0
