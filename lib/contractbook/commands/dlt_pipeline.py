"""`dlt-pipeline CONTRACT --out DIR`: write a standalone dlt pipeline and destination settings."""

from __future__ import annotations

from pathlib import Path


def add_arguments(p) -> None:
    """Options of `dlt-pipeline`."""
    p.add_argument(
        "contract", help="path of the contract YAML, e.g. contracts/olist_mini/contract.yaml"
    )
    p.add_argument(
        "--out", required=True, help="output folder, e.g. contracts/olist_mini/generated/dlt"
    )


def run(args) -> int:
    """Write every generated file and list them."""
    from contractbook.contract import load
    from contractbook.generators import get

    out = Path(args.out)
    for rel, text in get("dlt").files(load(args.contract)).items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        print(f"wrote {path}")
    return 0
