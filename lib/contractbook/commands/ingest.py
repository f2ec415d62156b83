"""`ingest CONTRACT --data DIR`: check, split and load every table; exit 1 when a check fails."""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

SIZE = re.compile(r"\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KIB|MIB|GIB|TIB)?", re.I)


def size(text: str) -> str:
    """A DuckDB memory size such as 2GB or 512MB (argparse type)."""
    if not SIZE.fullmatch(text.strip()):
        raise argparse.ArgumentTypeError(
            f"invalid size {text!r}: give a number and a unit, e.g. 2GB or 512MB"
        )
    return text.strip()


def seconds(text: str) -> float:
    """A non-negative number of seconds (argparse type)."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"invalid seconds {text!r}: give a number >= 0, e.g. 60")
    return value


def add_arguments(p) -> None:
    """Options of `ingest`."""
    from contractbook.ingest.destinations import DESTINATIONS

    p.add_argument(
        "contract", help="path of the contract YAML, e.g. contracts/olist_mini/contract.yaml"
    )
    p.add_argument(
        "--data",
        required=True,
        help="directory holding one input file per contract "
        "table (<table>.csv, or as the --server names them; CSV, Parquet, JSON Lines)",
    )
    p.add_argument(
        "--server",
        default=None,
        help="contract file server naming the input files, e.g. kaggle (default: "
        "$CONTRACTBOOK_SERVER, else <table>.csv)",
    )
    p.add_argument(
        "--destination",
        default=os.environ.get("CONTRACTBOOK_DESTINATION", "duckdb"),
        help=f"one of {', '.join(DESTINATIONS)} (default: $CONTRACTBOOK_DESTINATION or "
        "duckdb); credentials come only from the environment or .dlt/secrets.toml",
    )
    p.add_argument(
        "--engine",
        default="duckdb",
        help="duckdb (default: checks in DuckDB, load with dlt) or spark (checks in "
        "Spark SQL, Parquet tables under --warehouse, default data/spark)",
    )
    p.add_argument(
        "--warehouse",
        default=None,
        help="duckdb file (default data/warehouse.duckdb) or filesystem folder "
        "(default data/delta); not used by server destinations",
    )
    p.add_argument(
        "--rejects",
        default="data/rejects",
        help="folder of the Parquet rejects, partitioned reason=/date= (default data/rejects)",
    )
    p.add_argument(
        "--state", default=".state/dlt", help="dlt pipelines folder (default .state/dlt)"
    )
    p.add_argument(
        "--memory-limit",
        default=None,
        metavar="SIZE",
        type=size,
        help="DuckDB memory limit for the checks, e.g. 2GB; beyond it DuckDB spills to "
        ".state/duckdb (default 1GB, contractbook.ingest.run.MEMORY_LIMIT)",
    )
    p.add_argument(
        "--wait",
        default=0.0,
        type=seconds,
        metavar="SECONDS",
        help="when another run holds the warehouse or state directory, wait up to "
        "SECONDS for it (default 0: fail at once with exit 3, 'warehouse busy')",
    )
    p.add_argument(
        "--warn",
        action="append",
        default=[],
        metavar="RULE",
        help="set a foreign-key rule's policy to warn (rule id or relationship id); repeatable",
    )
    p.add_argument(
        "--reject",
        action="append",
        default=[],
        metavar="RULE",
        help="set a foreign-key rule's policy to reject; repeatable",
    )


def duckdb_config(memory_limit: str | None) -> dict:
    """DuckDB settings of the work database: a memory limit spills to .state/duckdb."""
    if not memory_limit:
        return {}
    Path(".state/duckdb").mkdir(parents=True, exist_ok=True)
    return {"memory_limit": memory_limit, "temp_directory": ".state/duckdb"}


def run(args) -> int:
    """Ingest; exit 0 only when read = loaded + rejected and no error table-level check failed."""
    from contractbook.contract import load
    from contractbook.ingest import engines
    from contractbook.ingest.read import IngestError

    policy = {**{r: "warn" for r in args.warn}, **{r: "reject" for r in args.reject}}
    try:
        engine = engines.get(args.engine)
        if engine.name == "spark":
            result = engine.ingest(
                load(args.contract),
                args.data,
                out=args.warehouse or "data/spark",
                rejects_dir=args.rejects,
                fk_policy=policy,
                server=args.server,
            )
        else:
            result = engine.ingest(
                load(args.contract),
                args.data,
                destination=args.destination,
                warehouse=args.warehouse,
                rejects_dir=args.rejects,
                state_dir=args.state,
                fk_policy=policy,
                duckdb_config=duckdb_config(args.memory_limit),
                wait=args.wait,
                server=args.server,
            )
    except (IngestError, ValueError) as e:
        print(f"ingest: {e}", file=sys.stderr)
        return 2
    acc = result.accounting()
    totals = [sum(getattr(a, k) for a in acc) for k in ("read", "loaded", "rejected")]
    failed = [a.table for a in acc if a.error]
    verdict = (
        "accounting OK"
        if result.ok
        else f"TABLE(S) FAILED TO READ: {', '.join(failed)}"
        if failed
        else "ACCOUNTING FAILED"
    )
    warned = sum(a.warned or 0 for a in result.accounting())
    print(
        f"read {totals[0]:,} = loaded {totals[1]:,} + rejected {totals[2]:,}: {verdict} "
        f"(run {result.run_id} {result.status})"
        + (f"; {warned:,} loaded row(s) warned (known quirks)" if warned else "")
    )
    checks = [r for c in result.checks.values() for r in getattr(c, "table_rules", ())]
    for r in checks:
        print(r.line(), file=sys.stderr if r.fails_run else sys.stdout)
    failed_rules = [r for r in checks if r.fails_run]
    if failed_rules:
        print(
            f"ingest: {len(failed_rules)} table-level SQL check(s) failed "
            f"({', '.join(r.rule for r in failed_rules)}); the rows are loaded, fix the data "
            "or the rule's threshold",
            file=sys.stderr,
        )
    return 0 if result.ok and not failed_rules else 1
