"""Stage one input file in DuckDB as all-VARCHAR columns named as the contract's, with every
malformed record set aside with its bytes, and every staged row mapped back to its record.

CSV: split into records first (records.py, the authority on what a record is and the count);
a file the split finds pristine is read by DuckDB as it is, any other is read from a copy of
its well-formed records only, so DuckDB never sees a byte the split did not accept. Parquet and
JSON Lines are read by DuckDB natively (a row's "line" is its ordinal, the header-less 1-based
record number).
"""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .files import InputFile, ReadError, identify, read_bytes
from .header import EMPTY, fit
from .records import MALFORMED_KINDS, Records, split

MIN_LINE_SIZE = 2_097_152  # DuckDB's default max_line_size
_ids = itertools.count()


def literal(text: str) -> str:
    """A SQL string literal (the one escaping function here; swap for contractbook.sqltext)."""
    return "'" + str(text).replace("'", "''") + "'"


def qi(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


@dataclass
class Malformed:
    """The malformed records of one file: start line, kind, detail, exact bytes and their place."""

    line: list[int] = field(default_factory=list)
    kind: list[str] = field(default_factory=list)
    detail: list[str] = field(default_factory=list)
    raw: list[bytes] = field(default_factory=list)
    offset: list[int] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.line)

    def text(self) -> list[str]:
        """Each record as readable text: undecodable bytes and NUL written as \\xNN escapes."""
        return [r.decode("utf-8", "backslashreplace").replace("\x00", "\\x00") for r in self.raw]

    def frame(self, table: str):
        """As a pandas DataFrame: line, kind, rule_id, detail, text (the GX report's shape)."""
        import pandas as pd

        return pd.DataFrame(
            {
                "line": self.line,
                "kind": [f"csv_{k}" for k in self.kind],
                "rule_id": [f"{table}.csv.{k}" for k in self.kind],
                "detail": self.detail,
                "text": self.text(),
            }
        )


@dataclass
class Staged:
    """One file staged: `raw` is a SQL relation of the contract's columns (all VARCHAR; bind
    `params` when running it), plus what the reader learnt about the file."""

    table: str
    file: InputFile
    raw: str = ""
    params: dict = field(default_factory=dict)
    header: list[str] = field(default_factory=list)
    present: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    malformed: Malformed = field(default_factory=Malformed)
    records: int = 0  # physical records read (header and empty lines excluded)
    rejects: str | None = None  # DuckDB's own rejects table (expected empty)
    line: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # per staged row
    offset: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    length: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    _copy_starts: np.ndarray | None = None
    _copy: Path | None = None
    _data: bytes | None = None

    @property
    def path(self) -> Path:
        return self.file.path

    def settle(self, con) -> None:
        """After the staged rows were read: records DuckDB refused join the malformed ones."""
        if self.rejects is None:
            return
        hits = con.execute(
            f"SELECT byte_position, CAST(error_type AS VARCHAR), error_message "
            f"FROM {self.rejects} ORDER BY byte_position"
        ).fetchall()
        if hits:
            starts = self._copy_starts if self._copy_starts is not None else self.offset
            rows = np.searchsorted(starts, np.array([h[0] for h in hits]), side="right") - 1
            rows, first = np.unique(rows, return_index=True)
            for r, i in zip(rows.tolist(), first.tolist(), strict=True):
                o, n = int(self.offset[r]), int(self.length[r])
                self._add_bad(
                    int(self.line[r]),
                    "quoting",
                    f"DuckDB: {hits[i][2]}"[:300],
                    self._bytes(o, n),
                    o,
                )
            keep = np.ones(self.line.size, bool)
            keep[rows] = False
            self.line, self.offset, self.length = (
                self.line[keep],
                self.offset[keep],
                self.length[keep],
            )
        self._data = None
        con.execute(f"DROP TABLE IF EXISTS {self.rejects}")

    def _bytes(self, offset: int, n: int) -> bytes:
        """Bytes of the (decompressed) file: kept for compressed files, else read again."""
        if self._data is not None:
            return self._data[offset : offset + n]
        with open(self.path, "rb") as f:
            f.seek(offset)
            return f.read(n)

    def discard(self) -> None:
        """Remove the reader's copy of the file (once the staged rows were read)."""
        if self._copy is not None:
            self._copy.unlink(missing_ok=True)
            self._copy = None

    def _add_bad(self, line, kind, detail, raw, offset) -> None:
        m = self.malformed
        m.line.append(line)
        m.kind.append(kind)
        m.detail.append(detail)
        m.raw.append(raw)
        m.offset.append(offset)


def _columns(s: Staged, header: list[str], columns: list[str] | None) -> list[str]:
    """Header position of each contract column (exact name); warnings about the rest.

    columns None: every header column, named by position (c0, c1, ...; header names may
    differ only in case, which DuckDB would not tell apart).
    """
    positional = columns is None
    found = fit(s.path, header, header if columns is None else columns)
    s.present = found.present
    s.warnings += found.warnings
    if positional:
        return [f"c{i}" for i in range(len(header))]
    return [f"c{found.position[c]} AS {qi(c)}" for c in s.present]


def _empty(s: Staged, columns: list[str] | None, why: str) -> Staged:
    e = empty(s.table, columns or [], s.path)
    s.warnings.append(f"{s.path}: {why}; read as 0 rows")
    s.raw, s.header, s.present = e.raw, e.header, e.present
    return s


def _write_good(data: bytes, r: Records, path: Path) -> np.ndarray:
    """Write the header and the well-formed records, one LF after each; their offsets there."""
    good = r.good
    with open(path, "wb") as f:
        f.write(data[3 if r.bom else 0 : r.header_stop].rstrip(b"\r\n") + b"\n")
        base = f.tell()
        lengths = r.end[good] - r.start[good] + 1
        starts = base + np.concatenate(([0], np.cumsum(lengths)[:-1])).astype(np.int64)
        b = np.frombuffer(data, np.uint8)
        step = 1 << 24
        for lo in range(0, good.size, 65536):  # bounded temporaries, vectorized per batch
            g = good[lo : lo + 65536]
            n = r.end[g] - r.start[g] + 1
            idx = np.repeat(r.start[g] - np.concatenate(([0], np.cumsum(n)[:-1])), n) + np.arange(
                n.sum()
            )
            ends = np.cumsum(n) - 1
            chunk = b[np.minimum(idx, b.size - 1)].copy()
            chunk[ends] = 10  # the line break written, whatever the file had
            for s in range(0, chunk.size, step):
                f.write(chunk[s : s + step].tobytes())
    return starts


def head(data: bytes, n: int) -> bytes:
    """The header and the first n records of CSV bytes (whole records only)."""
    r = split(data)
    return data if r.n <= n else data[: int(r.stop[n - 1]) if n else r.header_stop]


def stage_csv(
    con,
    s: Staged,
    columns: list[str] | None,
    work_dir: Path,
    limit: int | None = None,
    split_already: tuple[bytes, Records] | None = None,
) -> Staged:
    if split_already is not None and limit is None:
        data, r = split_already
    else:
        data = read_bytes(s.file)
        if limit is not None:
            data = head(data[: max(1 << 20, 4096 * (limit + 1))], limit)
        r = split(data)
    if not r.header:
        return _empty(s, columns, EMPTY)
    s.header = r.header
    cols = _columns(s, r.header, columns)
    s.records = r.n
    if r.blank_lines:
        s.warnings.append(f"{s.path}: {r.blank_lines} empty line(s) skipped (not records)")
    good, bad = r.good, r.bad
    for i, d in zip(bad.tolist(), r.detail, strict=True):
        s._add_bad(
            int(r.line[i]),
            MALFORMED_KINDS[r.kind[i]],
            d,
            data[r.start[i] : r.end[i]],
            int(r.start[i]),
        )
    s.line, s.offset = r.line[good], r.start[good]
    s.length = r.end[good] - r.start[good]
    n = next(_ids)
    s.rejects = f"_csvrej_{n}"
    compression: str | None
    if r.pristine and s.file.compression is None and limit is None:
        src, compression = s.path, "none"
    elif r.pristine and limit is None:
        src, compression = s.path, s.file.compression
    else:
        work_dir.mkdir(parents=True, exist_ok=True)
        src, compression = work_dir / f"staged_{os.getpid()}_{n}.csv", "none"
        s._copy_starts = _write_good(data, r, src)
        s._copy = src
    s._data = data if s.file.compression else None  # plain files are read again if needed
    line_size = max(MIN_LINE_SIZE, int(s.length.max(initial=0)) + 64)
    spec = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(r.header))) + "}"
    s.params = {"src_path": str(src)}
    con.execute(f"DROP TABLE IF EXISTS {s.rejects}")
    con.execute(f"DROP TABLE IF EXISTS _csvscan_{n}")
    s.raw = (
        f"(SELECT {', '.join(cols) or 'NULL AS _none'} FROM read_csv($src_path, columns={spec}, "
        "header=true, auto_detect=false, delim=',', quote='\"', escape='\"', "
        f"strict_mode=true, store_rejects=true, rejects_table='{s.rejects}', "
        f"rejects_scan='_csvscan_{n}', encoding='utf-8', compression='{compression}', "
        f"max_line_size={line_size}, buffer_size={max(line_size * 2, 32 << 20)}))"
    )
    return s


def stage_native(con, s: Staged, columns: list[str] | None, limit: int | None = None) -> Staged:
    """Parquet or JSON Lines: DuckDB reads it; columns matched by name, cast to VARCHAR."""
    fn = {
        "parquet": "read_parquet($src_path)",
        "jsonl": "read_json($src_path, format='newline_delimited')",
    }[s.file.format]
    s.params = {"src_path": str(s.path)}
    try:
        names = [d[0] for d in con.execute(f"DESCRIBE SELECT * FROM {fn}", s.params).fetchall()]
        s.records = con.execute(f"SELECT count(*) FROM {fn}", s.params).fetchall()[0][0]
    except Exception as e:  # noqa: BLE001 - DuckDB raises several types for unreadable files
        raise ReadError(
            f"{s.path}: not readable as {s.file.format} "
            f"({str(e).splitlines()[0][:200]}); fix or re-export the file"
        ) from None
    s.header = names
    _columns(s, names, columns)
    cols = ", ".join(f"CAST({qi(c)} AS VARCHAR) AS {qi(c)}" for c in s.present)
    s.records = s.records if limit is None else min(limit, s.records)
    s.raw = (
        f"(SELECT {cols or 'NULL AS _none'} FROM {fn}"
        + ("" if limit is None else f" LIMIT {int(limit)}")
        + ")"
    )
    s.line = np.arange(1, s.records + 1, dtype=np.int64)
    s.offset = np.full(s.records, -1, np.int64)
    s.length = np.full(s.records, -1, np.int64)
    return s


def empty(table: str, columns: list[str], path: str | Path) -> Staged:
    """A staged table with no rows (for a file that could not be read)."""
    s = Staged(table, InputFile(Path(path), "csv", None))
    s.raw = (
        "(SELECT "
        + (", ".join(f"CAST(NULL AS VARCHAR) AS {qi(c)}" for c in columns) or "NULL AS _none")
        + " LIMIT 0)"
    )
    s.header, s.present = list(columns), list(columns)
    return s


def stage(
    con,
    table: str,
    columns: list[str] | None,
    path: str | Path,
    work_dir: str | Path,
    limit: int | None = None,
    split_already: tuple[bytes, Records] | None = None,
) -> Staged:
    """Stage path (CSV, Parquet or JSON Lines, plain, gzip or zstd) for table; see module doc.

    limit: only the first records (a sample; a record cut by the first MB may be malformed).
    columns None: the file's own header. split_already: the CSV's bytes and records, read
    ahead (ahead.py).
    """
    f = identify(path)
    s = Staged(table, f)
    if f.format in ("parquet", "jsonl"):
        return stage_native(con, s, columns, limit)
    return stage_csv(con, s, columns, Path(work_dir), limit, split_already)


def rows(con, s: Staged) -> list[dict]:
    """The staged rows as dicts (small data: samples, tests), each with its `_line`."""
    cur = con.execute(f"SELECT * FROM {s.raw}", s.params)
    names = [d[0] for d in cur.description]
    out = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    s.settle(con)
    s.discard()
    for row, line in zip(out, s.line.tolist(), strict=True):
        row["_line"] = line
    return out
