"""`python -m contractbook COMMAND ...`: a registry of subcommands, each loaded only when used."""

from __future__ import annotations

import argparse
import importlib
import sys

# name -> (module, one-line help). Each module defines `add_arguments(parser)` and
# `run(args) -> int`.
COMMANDS = {
    "validate": (
        "contractbook.commands.validate",
        "check a contract against ODCS and the semantic rules",
    ),
    "jsonschema": ("contractbook.commands.jsonschema", "write one JSON Schema per table"),
    "ddl": ("contractbook.commands.ddl", "print or write CREATE/DROP DDL per SQL dialect"),
    "diff": (
        "contractbook.commands.diff",
        "compare two contract versions: changes, bump, migrations",
    ),
    "ingest": (
        "contractbook.commands.ingest",
        "check, split and load CSVs with dlt; rejects kept as data",
    ),
    "dlt-pipeline": (
        "contractbook.commands.dlt_pipeline",
        "write a standalone dlt pipeline for a contract",
    ),
    "generate": ("contractbook.commands.generate", "write every file derived from a contract"),
    "gx": (
        "contractbook.commands.gx",
        "Great Expectations: write suites, run pre-/post-load checkpoints",
    ),
    "synth": (
        "contractbook.commands.synth",
        "write synthetic Olist-mini CSVs with planted defects",
    ),
    "metrics": (
        "contractbook.commands.metrics",
        "run the SQL models into schema curated and check them",
    ),
    "catalog": (
        "contractbook.commands.catalog",
        "OpenMetadata payloads, workflow YAMLs, push, HTML catalog page",
    ),
    "config": (
        "contractbook.commands.config",
        "check the run configuration (env.yaml + overrides)",
    ),
    "watch": (
        "contractbook.commands.watch",
        "watch a drop folder; one ingest per file that lands complete",
    ),
    "databricks": (
        "contractbook.commands.databricks",
        "run a Databricks job via the Jobs API (run-job)",
    ),
}


class Parser(argparse.ArgumentParser):
    """argparse with a one-line usage error (exit 2) instead of the usage block."""

    def error(self, message: str):
        """Print `prog: message (see prog --help)` and exit 2."""
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def build_parser(chosen: str | None = None) -> argparse.ArgumentParser:
    """The top-level parser; only the chosen subcommand's module is imported."""
    from contractbook import __version__
    from contractbook.errors import EXIT_CODES_HELP

    parser = Parser(
        prog="python -m contractbook",
        epilog=EXIT_CODES_HELP,
        description="Contract-driven data pipeline tools.",
    )
    parser.add_argument("--version", action="version", version=f"contractbook {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, (module, help_) in COMMANDS.items():
        p = sub.add_parser(name, help=help_, description=help_, epilog=EXIT_CODES_HELP)
        p.set_defaults(_module=module)
        if name == chosen:
            importlib.import_module(module).add_arguments(p)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Parse argv, run the chosen command, return its exit code."""
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser(argv[0] if argv else None).parse_args(argv)
    from contractbook import errors

    try:
        from contractbook.orchestrate import record  # commands that do runs: the history

        return record.around(args, lambda: importlib.import_module(args._module).run(args))
    except Exception as e:  # every command: an anticipated failure is one line and its exit code
        code = errors.exit_code(e)
        if code is None:
            raise  # a bug: keep the traceback
        report = getattr(e, "report", None)  # a broken contract prints its full report
        print(
            report() if callable(report) else f"{args.command}: {errors.one_line(e)}",
            file=sys.stderr,
        )
        return code
