"""Validate the first N rows of each CSV against its table's JSON Schema."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from contractbook.contract import Contract

from .generate import generate

# Portable kind -> how a CSV field (text) becomes the JSON value the schema describes.
_CONVERT: dict[str, Callable[[str], object]] = {
    "integer": int,
    "bigint": int,
    "decimal": float,
    "double": float,
    "boolean": lambda s: {"true": True, "false": False}.get(s.lower(), s),
}


@dataclass(frozen=True)
class Violation:
    """A sampled row that breaks its table's JSON Schema."""

    table: str
    record: int  # physical line where the record starts (header = 1)
    path: str
    message: str


def _convert(value: str, kind: str):
    if value == "":
        return None
    try:
        return _CONVERT.get(kind, str)(value)
    except ValueError:
        return value  # left as text, so the schema reports the wrong type


def _rows(con, name: str, columns: list[str], path: Path, kinds: dict[str, str], n: int):
    """(record number, JSON value) of the first n records, read by the one reader; malformed
    records come back as (line, None, their problem)."""
    import tempfile

    from contractbook.reading.stage import stage

    with tempfile.TemporaryDirectory() as work:
        s = stage(con, name, columns, path, work, limit=n)
        from contractbook.reading.stage import rows

        good = rows(con, s)
    for row in good:
        line = row.pop("_line")
        yield line, {k: _convert(v or "", kinds.get(k, "string")) for k, v in row.items()}, None
    for line, kind, detail in zip(
        s.malformed.line, s.malformed.kind, s.malformed.detail, strict=True
    ):
        yield line, None, f"malformed CSV record ({name}.csv.{kind}): {detail}"


def check_sample(
    contract: Contract, data_dir: str | Path, n: int = 200, paths: dict | None = None
) -> list[Violation]:
    """Violations in the first n records of every table's file under data_dir (missing files
    skipped); `record` is the physical line. paths: {table: file} (default reading.find)."""
    import duckdb

    from contractbook.fastimport import jsonschema as _jsonschema

    jsonschema = _jsonschema()
    out = []
    from contractbook.reading.find import sources

    paths = paths or sources(contract, data_dir)  # honours CONTRACTBOOK_SERVER
    con = duckdb.connect()
    for name, schema in generate(contract).items():
        path = Path(paths[name])
        if not path.is_file():
            continue
        t = contract.table(name)
        kinds = {c.name: c.type.kind for c in t.columns}
        validator = jsonschema.Draft202012Validator(schema)
        for line, row, problem in _rows(con, name, t.column_names, path, kinds, n):
            if problem:
                out.append(Violation(name, line, "", problem))
                continue
            out += [
                Violation(name, line, "/".join(map(str, e.absolute_path)), e.message)
                for e in validator.iter_errors(row)
            ]
    con.close()
    return out
