"""What an input file is (format by extension, compression by magic bytes) and its bytes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# first bytes -> compression; DuckDB and pyarrow read both
MAGIC = {b"\x1f\x8b": "gzip", b"\x28\xb5\x2f\xfd": "zstd"}
# first bytes of formats that are never CSV text -> how to say so
REFUSED = {
    b"PK\x03\x04": "a zip archive (unzip it first)",
    b"\xff\xfe": "UTF-16 text (save it as UTF-8)",
    b"\xfe\xff": "UTF-16 text (save it as UTF-8)",
}
# extension (after an optional .gz/.zst) -> format; anything else is read as CSV
FORMATS = {
    ".csv": "csv",
    ".txt": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}


class ReadError(Exception):
    """An input that cannot be read at all; the message names the file and the fix."""


@dataclass(frozen=True)
class InputFile:
    """One table's input: path, format and compression (None = plain)."""

    path: Path
    format: str
    compression: str | None


def problem(path: Path) -> str | None:
    """Why path cannot be an input file (missing, a directory), or None."""
    if path.is_dir():
        return f"{path}: is a directory, expected a file"
    if not path.is_file():
        return f"{path}: file not found"
    return None


def identify(path: str | Path) -> InputFile:
    """The format and compression of path (compression from its first bytes, not its name)."""
    path = Path(path)
    if (why := problem(path)) is not None:
        raise ReadError(why)
    with open(path, "rb") as f:
        head = f.read(4)
    if head.startswith(b"PAR1"):
        return InputFile(path, "parquet", None)
    for magic, what in REFUSED.items():
        if head.startswith(magic):
            raise ReadError(f"{path}: is {what}; contractbook reads CSV, Parquet or JSON Lines")
    compression = next((c for m, c in MAGIC.items() if head.startswith(m)), None)
    suffixes = [s.lower() for s in path.suffixes if s.lower() not in (".gz", ".zst", ".zstd")]
    fmt = FORMATS.get(suffixes[-1] if suffixes else "", "csv")
    return InputFile(path, fmt, compression)


def read_bytes(f: InputFile) -> bytes:
    """The file's bytes, decompressed."""
    if f.compression is None:
        return f.path.read_bytes()
    import pyarrow as pa

    try:
        with pa.CompressedInputStream(pa.OSFile(str(f.path)), f.compression) as s:
            return s.read()
    except (OSError, pa.ArrowException) as e:
        raise ReadError(
            f"{f.path}: starts like {f.compression} but does not decompress ({e}); "
            "recompress it or save it uncompressed"
        ) from None


def read_header(path: Path) -> list[str] | None:
    """The header record of a CSV (BOM removed, quotes undone); None for an empty file."""
    import csv

    with open(path, encoding="utf-8-sig", errors="replace", newline="") as f:
        try:
            return next(csv.reader(f))
        except StopIteration:
            return None
