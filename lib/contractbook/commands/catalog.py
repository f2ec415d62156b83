"""`catalog`: OpenMetadata payloads + workflow YAMLs, push when configured, the HTML page."""

from __future__ import annotations

import sys


def add_arguments(p) -> None:
    """Arguments of the catalog command."""
    p.add_argument(
        "contracts", nargs="+", help="contract files: the raw one first, then curated ones"
    )
    p.add_argument("--destination", default="duckdb", help="where ingest loaded (default duckdb)")
    p.add_argument(
        "--warehouse", default="data/warehouse.duckdb", help="DuckDB file with _run_metrics"
    )
    p.add_argument(
        "--out", default="data/catalog", help="folder for payload JSON and workflow YAMLs"
    )
    p.add_argument("--page", default="reports/catalog.html", help="the HTML catalog page to write")
    p.add_argument(
        "--dry-run", action="store_true", help="never push, even when OPENMETADATA_HOST is set"
    )


def run(args) -> int:
    """0 written (and pushed if configured), 2 bad input, 3 server unreachable or token refused."""
    from contractbook.catalog.push import PushError
    from contractbook.catalog.step import run as step

    try:
        result = step(
            args.contracts,
            args.destination,
            args.warehouse,
            args.out,
            args.page,
            push=not args.dry_run,
        )
    except PushError as e:
        print(f"catalog: {e}", file=sys.stderr)
        return e.code
    except (ValueError, FileNotFoundError) as e:
        print(f"catalog: {e}", file=sys.stderr)
        return 2
    print(result.push.verdict)
    print(f"{len(result.files)} files under {args.out}; page {result.page}")
    return 0
