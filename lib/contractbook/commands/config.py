"""`config [--env--NAME VALUE ...]`: check the run configuration (env.yaml plus overrides)."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

_OVERRIDE = re.compile(r"^--env--(\w+)(?:=(.*))?$", re.S)


def add_arguments(p) -> None:
    """Options of `config`."""
    p.add_argument("--env-file", default="env.yaml", help="the parameters file (default env.yaml)")
    p.add_argument("--schema", action="store_true", help="print the JSON Schema and exit")
    p.add_argument(
        "--table",
        action="store_true",
        help="print the README's Markdown table of parameters and exit",
    )
    p.add_argument(
        "build_args",
        nargs="*",
        metavar="--env--NAME VALUE",
        help="overrides as `ploomber build` takes them; other arguments are ignored",
    )


def overrides(argv: list[str]) -> dict[str, str]:
    """{name: value} of the `--env--NAME VALUE` and `--env--NAME=VALUE` items of argv."""
    out, items = {}, list(argv)
    while items:
        m = _OVERRIDE.match(items.pop(0))
        if m and m[2] is not None:
            out[m[1]] = m[2]
        elif m and items:
            out[m[1]] = items.pop(0)
    return out


def run(args) -> int:
    """Exit 0 when the configuration is valid, 2 with one line per problem otherwise."""
    from contractbook.orchestrate import runconfig

    if args.schema:
        print(json.dumps(runconfig.schema(), indent=2))
        return 0
    if args.table:
        print(runconfig.markdown_table(), end="")
        return 0
    path = Path(args.env_file)
    if not path.is_file():
        print(
            f"config: {path} not found: run from the project folder or pass --env-file",
            file=sys.stderr,
        )
        return 2
    try:
        runconfig.check(runconfig.load_env(path, overrides(args.build_args)))
    except runconfig.ConfigError as e:
        print(
            f"{e}\n(env.yaml and --env-- overrides; the schema: contractbook config --schema)",
            file=sys.stderr,
        )
        return 2
    return 0
