"""`python -m contractbook COMMAND ...`: a registry of subcommands, each loaded only when used."""

from __future__ import annotations

import argparse
import importlib
import sys

# name -> (module, one-line help). Each module defines `add_arguments(parser)` and `run(args) -> int`.
COMMANDS = {
    "validate": ("contractbook.commands.validate", "check a contract against ODCS and the semantic rules"),
    "jsonschema": ("contractbook.commands.jsonschema", "write one JSON Schema per table"),
    "ddl": ("contractbook.commands.ddl", "print or write CREATE/DROP DDL per SQL dialect"),
    "diff": ("contractbook.commands.diff", "compare two contract versions: changes, bump, migrations"),
    "ingest": ("contractbook.commands.ingest", "check, split and load CSVs with dlt; rejects kept as data"),
    "dlt-pipeline": ("contractbook.commands.dlt_pipeline", "write a standalone dlt pipeline for a contract"),
    "bench-ingest": ("contractbook.commands.bench_ingest", "benchmark ingest against DuckDB alone (issue 5)"),
    "gx": ("contractbook.commands.gx", "Great Expectations: write suites, run pre-/post-load checkpoints"),
    "synth": ("contractbook.commands.synth", "write synthetic Olist-mini CSVs with planted defects"),
    "bench": ("contractbook.commands.bench", "time every DAG step against DuckDB alone, dlt and GX anchors"),
    "databricks": ("contractbook.commands.databricks", "run a Databricks job via the Jobs API (run-job)"),
}


def build_parser(chosen: str | None = None) -> argparse.ArgumentParser:
    """The top-level parser; only the chosen subcommand's module is imported."""
    parser = argparse.ArgumentParser(prog="python -m contractbook",
                                     description="Contract-driven data pipeline tools.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, (module, help_) in COMMANDS.items():
        p = sub.add_parser(name, help=help_, description=help_)
        p.set_defaults(_module=module)
        if name == chosen:
            importlib.import_module(module).add_arguments(p)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Parse argv, run the chosen command, return its exit code."""
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser(argv[0] if argv else None).parse_args(argv)
    from contractbook.contract import ContractError

    try:
        return importlib.import_module(args._module).run(args)
    except ContractError as e:  # every command: a broken contract is a report and exit 1
        print(e.report(), file=sys.stderr)
        return 1
