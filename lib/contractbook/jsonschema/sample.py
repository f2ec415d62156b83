"""Validate the first N rows of each CSV against its table's JSON Schema."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from contractbook.contract import Contract

from .generate import generate

# Portable kind -> how a CSV field (text) becomes the JSON value the schema describes.
_CONVERT = {"integer": int, "bigint": int, "decimal": float, "double": float,
            "boolean": lambda s: {"true": True, "false": False}.get(s.lower(), s)}


@dataclass(frozen=True)
class Violation:
    """A sampled row that breaks its table's JSON Schema."""

    table: str
    record: int
    path: str
    message: str


def _convert(value: str, kind: str):
    if value == "":
        return None
    try:
        return _CONVERT.get(kind, str)(value)
    except ValueError:
        return value  # left as text, so the schema reports the wrong type


def _rows(path: Path, kinds: dict[str, str], n: int):
    import csv

    with path.open(newline="", encoding="utf-8", errors="replace") as f:
        for row in islice(csv.DictReader(f), n):
            yield {k: _convert(v or "", kinds.get(k, "string")) for k, v in row.items() if k is not None}


def check_sample(contract: Contract, data_dir: str | Path, n: int = 200) -> list[Violation]:
    """Violations in the first n records of every <table>.csv under data_dir (missing files skipped)."""
    from contractbook.fastimport import jsonschema as _jsonschema

    jsonschema = _jsonschema()
    out = []
    for name, schema in generate(contract).items():
        path = Path(data_dir) / f"{name}.csv"
        if not path.exists():
            continue
        kinds = {c.name: c.type.kind for c in contract.table(name).columns}
        validator = jsonschema.Draft202012Validator(schema)
        for i, row in enumerate(_rows(path, kinds, n), start=1):
            out += [Violation(name, i, "/".join(map(str, e.absolute_path)), e.message)
                    for e in validator.iter_errors(row)]
    return out
