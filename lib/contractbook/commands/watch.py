"""`watch DROP`: run one incremental ingest per file that lands complete in a drop folder."""

from __future__ import annotations

import sys

# ingest options the sensor passes on, as (option, help)
PASSED_ON = (
    ("--destination", "ingest destination (default: ingest's own default)"),
    ("--warehouse", "duckdb file or filesystem folder of the destination"),
    ("--rejects", "folder of the Parquet rejects"),
    ("--state", "dlt pipelines folder"),
)


def add_arguments(p) -> None:
    """Options of `watch`."""
    p.add_argument("drop", help="the drop folder; files land in DROP/<dataset>/ or DROP/")
    p.add_argument(
        "--contract",
        default="contracts/olist_mini/contract.yaml",
        help="the contract of the datasets (default: the shipped olist_mini)",
    )
    p.add_argument(
        "--settle",
        type=float,
        default=2.0,
        metavar="SECONDS",
        help="a file is complete when unchanged this long (default 2)",
    )
    for option, help_ in PASSED_ON:
        p.add_argument(option, default=None, help=f"{help_}; passed on to `contractbook ingest`")


def run(args) -> int:
    """Watch until Ctrl-C; exit 0."""
    from contractbook.orchestrate.watch import Sensor, ingest_action

    if args.settle <= 0:
        print("watch: --settle must be a positive number of seconds", file=sys.stderr)
        return 2
    extra = []
    for option, _ in PASSED_ON:
        value = getattr(args, option.lstrip("-"))
        extra += [option, value] if value is not None else []
    sensor = Sensor(
        args.drop,
        ingest_action(args.contract, extra),
        args.settle,
        say=lambda line: print(line, flush=True),
    )
    sensor.run()
    return 0
