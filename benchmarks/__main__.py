"""`python -m benchmarks`: every DAG step, the anchors and the peer at 10k, 100k and N orders.

Run from the project root (`make bench` does); writes reports/bench.md, .json and .png.
`--steps duckdb_alone,ingest` times the ingest against DuckDB alone only.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _sizes(text: str) -> list[int]:
    try:
        return sorted({int(x.replace("_", "")) for x in text.split(",") if x.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected comma-separated order counts, e.g. 10000,100000; got {text!r}"
        ) from None


def _steps(text: str) -> tuple[str, ...]:
    from .registry import STEPS

    names = tuple(x.strip() for x in text.split(",") if x.strip())
    unknown = [n for n in names if n not in STEPS]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown step(s) {', '.join(unknown)}; known: {', '.join(STEPS)}"
        )
    return names


def _timeouts(text: str) -> dict[str, float]:
    from .registry import STEPS

    out = {}
    for item in (x.strip() for x in text.split(",") if x.strip()):
        name, _, secs = item.partition("=")
        if name not in STEPS:
            raise argparse.ArgumentTypeError(f"unknown step {name!r}; known: {', '.join(STEPS)}")
        try:
            out[name] = float(secs)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"expected step=seconds, e.g. checks_spark=600; got {item!r}"
            ) from None
    return out


def parser() -> argparse.ArgumentParser:
    """The options of `python -m benchmarks`."""
    p = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    p.add_argument(
        "--n-orders",
        type=int,
        default=1_000_000,
        help="largest size in orders (default 1,000,000); 10k and 100k below it also run",
    )
    p.add_argument(
        "--sizes",
        type=_sizes,
        default=None,
        help="explicit comma-separated sizes instead (e.g. 10000,50000)",
    )
    p.add_argument(
        "--steps",
        type=_steps,
        default=None,
        help="only these registered steps, comma-separated (default: all)",
    )
    p.add_argument(
        "--repeats",
        type=int,
        default=3,
        help="runs of a short (< 5 s) step; its median is reported (default 3)",
    )
    p.add_argument("--seed", type=int, default=42, help="generator seed (default 42)")
    p.add_argument("--contract", default="contracts/olist_mini/contract.yaml", help="contract path")
    p.add_argument("--work", default="data/bench", help="data and warehouses (default data/bench)")
    p.add_argument(
        "--out", default="reports", help="where bench.md/.json/.png go (default reports)"
    )
    p.add_argument(
        "--step-timeout",
        type=float,
        default=None,
        help="seconds a step's process may run; past it the step is stopped and "
        "reported as not measured (default: no limit)",
    )
    p.add_argument(
        "--step-timeouts",
        type=_timeouts,
        default=None,
        help="per-step limits overriding --step-timeout, e.g. checks_spark=600",
    )
    p.add_argument(
        "--datacontract",
        default=None,
        help="the datacontract-cli executable of the peer step (default: the one "
        "`make bench` installs in .state/bench/datacontract-venv)",
    )
    p.add_argument(
        "--largest-first",
        action="store_true",
        help="measure the largest size first (its figures are in the reports sooner)",
    )
    p.add_argument(
        "--merge",
        default=None,
        metavar="BENCH_JSON",
        help="measure the chosen --steps again and merge them into this bench.json "
        "(its other steps, build and profile are kept)",
    )
    p.add_argument("--no-build", action="store_true", help="skip timing `ploomber build` + no-op")
    p.add_argument("--no-profile", action="store_true", help="skip profiling the slowest step")
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the bench and write the reports; exit 1 if a step was not measured for a failure."""
    from .run import run

    args = parser().parse_args(argv)
    merge = None
    if args.merge:
        import json

        from .records import bench_from_json

        merge = bench_from_json(json.loads(Path(args.merge).read_text(encoding="utf-8")))
    result = run(
        args.contract,
        args.n_orders,
        args.work,
        args.out,
        seed=args.seed,
        repeats=args.repeats,
        sizes_=args.sizes,
        build=not args.no_build,
        profile=not args.no_profile,
        only=args.steps,
        timeout=args.step_timeout,
        datacontract=args.datacontract,
        largest_first=args.largest_first,
        timeouts=args.step_timeouts,
        merge=merge,
        command="python -m benchmarks " + " ".join(sys.argv[1:] if argv is None else argv),
    )
    failed = [
        s
        for size in result.sizes
        for s in size.skipped
        if s.reason.startswith(f"bench step {s.step} failed")
    ]
    for s in failed:
        print(f"bench: {s.reason}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
