"""The hostile CSV corpus: each case's bytes (built here, so a 10 MB field is not committed) and
the accounting it must give. Every case is the `sellers` table of olist_mini (header + 20 rows
when intact; header = line 1). Run `python cases.py DIR` to write the files into DIR.
"""

from __future__ import annotations

import gzip
import hashlib
import sys
from dataclasses import dataclass, field
from pathlib import Path

HEADER = "seller_id,seller_zip_code_prefix,seller_city,seller_state"
TEN_MB = 10 * 1024 * 1024


def rows() -> list[str]:
    """20 valid sellers; the first two are the ones the clean fixture's order items reference."""
    out = [
        "8ddf878039b70767c4a5bcf4f0c4f65e,04195,sao paulo,SP",
        "fac989447cad2edbc89fbcba70003b36,22041,rio de janeiro,RJ",
    ]
    for i in range(18):
        out.append(f"{hashlib.md5(str(i).encode()).hexdigest()},{i:05d},city {i},MG")
    return out


def _lines(rs=None, header=HEADER, nl="\n", end=True) -> bytes:
    text = nl.join([header, *(rows() if rs is None else rs)]) + (nl if end else "")
    return text.encode()


def _at(line: int, new: str | bytes) -> bytes:
    """The intact file with physical line `line` (2..21) replaced."""
    rs = [r.encode() for r in rows()]
    rs[line - 2] = new if isinstance(new, bytes) else new.encode()
    return b"\n".join([HEADER.encode(), *rs]) + b"\n"


def _row(i: int) -> list[str]:
    return rows()[i - 2].split(",")


def _zstd(data: bytes) -> bytes:
    import pyarrow as pa

    return pa.compress(data, "zstd", asbytes=True)


def _mixed() -> bytes:
    return b"".join(
        (r + ("\r\n" if i % 2 else "\n")).encode() for i, r in enumerate([HEADER, *rows()])
    )


def _quoted_all(stray_at: int | None = None) -> bytes:
    out = []
    for n, r in enumerate([HEADER, *rows()], start=1):
        f = [f'"{v}"' for v in r.split(",")]
        if n == stray_at:
            f[2] = '"' + r.split(",")[2]  # opening quote never closed
        out.append(",".join(f))
    return ("\n".join(out) + "\n").encode()


def _blank_lines() -> bytes:
    rs = rows()
    lines = [HEADER, *rs[:4], "", "   ", *rs[4:], "", "\t"]
    return ("\n".join(lines) + "\n").encode()


def _ten_mb() -> bytes:
    r = _row(10)
    ok = f'{r[0]},{r[1]},"{"a" * TEN_MB}\nb",{r[3]}'
    r14 = _row(14)
    bad = f"{r14[0]},{r14[1]},{'z' * TEN_MB},{r14[3]},extra"
    rs = rows()
    rs[8], rs[12] = ok, bad
    return _lines(rs)


@dataclass(frozen=True)
class Case:
    """One hostile file and its expected outcome for the sellers table."""

    name: str
    what: str
    build: object  # () -> bytes, or "dir" for a directory
    read: int = 20
    loaded: int = 20
    rejected_lines: tuple = ()
    kinds: tuple = ()  # rule id (after "sellers.") per rejected line
    error: str | None = None  # the table fails with this text (others load)
    preflight: str | None = None  # refused before any work, with this text
    notes: tuple = field(default_factory=tuple)  # substrings of the table's notes


CASES = [
    Case("clean", "intact file", lambda: _lines()),
    Case(
        "stray_quote_field_start",
        'line 11 opens a quote it never closes ("city 9,MG)',
        lambda: _at(11, f'{_row(11)[0]},{_row(11)[1]},"city 9,MG'),
        20,
        19,
        (11,),
        ("csv.quoting",),
    ),
    Case(
        "stray_quote_mid_field",
        "line 11 has a quote inside an unquoted field",
        lambda: _at(11, f'{_row(11)[0]},{_row(11)[1]},ci"ty 9,MG'),
        20,
        19,
        (11,),
        ("csv.quoting",),
    ),
    Case(
        "stray_quote_all_quoted",
        "every field quoted (Olist style); line 11 opens one unclosed",
        lambda: _quoted_all(11),
        20,
        19,
        (11,),
        ("csv.quoting",),
    ),
    Case(
        "unclosed_quote_at_eof",
        "the last line opens a quote; nothing follows",
        lambda: _at(21, f'{_row(21)[0]},{_row(21)[1]},"city 19,MG'),
        20,
        19,
        (21,),
        ("csv.quoting",),
    ),
    Case(
        "multiline_quoted_field",
        "line 5 holds CRLF, quotes and commas inside a quoted field",
        lambda: _at(5, f'{_row(5)[0]},{_row(5)[1]},"a\r\nb, ""c""",MG'),
        notes=(),
    ),
    Case(
        "bare_cr_in_lf_file",
        "line 6 has a CR inside an unquoted field",
        lambda: _at(6, f"{_row(6)[0]},{_row(6)[1]},city\r3,MG"),
        20,
        19,
        (6,),
        ("csv.quoting",),
    ),
    Case("mixed_line_endings", "CRLF and LF alternate", _mixed),
    Case("cr_only", "CR line endings throughout (old Mac)", lambda: _lines(nl="\r")),
    Case(
        "gzip_named_csv",
        "gzip bytes in a file named .csv",
        lambda: gzip.compress(_lines(), mtime=0),
    ),
    Case("zstd_named_csv", "zstd bytes in a file named .csv", lambda: _zstd(_lines())),
    Case(
        "gzip_truncated",
        "gzip magic, truncated stream",
        lambda: gzip.compress(_lines())[:30],
        0,
        0,
        error="does not decompress",
    ),
    Case(
        "utf16",
        "UTF-16 text with its BOM",
        lambda: _lines().decode().encode("utf-16"),
        0,
        0,
        error="UTF-16",
    ),
    Case(
        "header_case_duplicate",
        "header has seller_city and SELLER_CITY (extra column)",
        lambda: _lines([r + ",x" for r in rows()], header=HEADER + ",SELLER_CITY"),
        notes=("not in the contract",),
    ),
    Case(
        "header_exact_duplicate",
        "header names seller_city twice",
        lambda: _lines([r + ",x" for r in rows()], header=HEADER + ",seller_city"),
        0,
        0,
        error="more than once",
    ),
    Case(
        "nul_byte",
        "line 8 has a NUL byte",
        lambda: _at(8, f"{_row(8)[0]},{_row(8)[1]},ci\0ty,MG"),
        20,
        19,
        (8,),
        ("csv.encoding",),
    ),
    Case(
        "latin1_bytes",
        "line 9 is latin-1 (S\\xe3o)",
        lambda: _at(9, f"{_row(9)[0]},{_row(9)[1]},S\xe3o,MG".encode("latin-1")),
        20,
        19,
        (9,),
        ("csv.encoding",),
    ),
    Case(
        "bom_crlf_quoted_header",
        "UTF-8 BOM, CRLF, quoted header (the translation file's style)",
        lambda: b"\xef\xbb\xbf" + _lines(header='"' + HEADER.replace(",", '","') + '"', nl="\r\n"),
    ),
    Case("header_only", "header, no records", lambda: (HEADER + "\n").encode(), 0, 0),
    Case("zero_bytes", "0-byte file", lambda: b"", 0, 0, notes=("empty file",)),
    Case("no_trailing_newline", "the last record has no line break", lambda: _lines(end=False)),
    Case(
        "extra_5000_columns",
        "line 12 has 5,000 extra fields",
        lambda: _at(12, rows()[10] + "," * 5000),
        20,
        19,
        (12,),
        ("csv.column_count",),
    ),
    Case(
        "trailing_delimiter",
        "line 13 ends with a comma",
        lambda: _at(13, rows()[11] + ","),
        20,
        19,
        (13,),
        ("csv.column_count",),
    ),
    Case(
        "blank_and_whitespace_lines",
        "empty lines 6 and 24 (skipped, not records), "
        "whitespace-only lines 7 and 25 (records of one field)",
        _blank_lines,
        22,
        20,
        (7, 25),
        ("csv.column_count", "csv.column_count"),
        notes=("2 empty line(s) skipped",),
    ),
    Case(
        "ten_mb_field",
        "line 10: a well-formed 10 MB quoted field with a line break (rejected "
        "whole by seller_city's varchar(64)); line 15: a 10 MB field in a record with an extra "
        "field",
        _ten_mb,
        20,
        18,
        (10, 15),
        ("seller_city.type", "csv.column_count"),
    ),
    Case("directory", "a directory where the file is expected", "dir", preflight="is a directory"),
]


def write(case: Case, path: Path) -> None:
    """Put case's input at path (a file, or a directory)."""
    if path.is_dir():
        path.rmdir()
    elif path.exists():
        path.unlink()
    if case.build == "dir":
        path.mkdir()
    else:
        path.write_bytes(case.build())


if __name__ == "__main__":
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    for c in CASES:
        write(c, out / f"{c.name}.csv")
        print(c.name)
