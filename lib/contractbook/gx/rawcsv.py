"""Read a contract table's CSV as text, keeping each record's physical line and every bad record.

How malformed records are handled (nothing is silently lost):
- Records are split with numpy on the raw bytes: a line feed ends a record unless it lies inside a
  double-quoted field (RFC 4180, quotes doubled inside), so quoted line breaks stay in one record.
- A record is *malformed* and set aside, with its start line, kind and raw text, when it holds
  invalid UTF-8 (`csv_encoding`), a quote inside an unquoted field, a closing quote followed by
  data, or a quote left open at end of file (`csv_quoting`), or a field count other than the
  header's (`csv_column_count`); one kind per record, in that order of precedence (last wins).
  A quote left open merges the lines after it into one record, reported once at its first line
  with its text; a stray quote mid-field is read as a literal so it cannot.
- Every other record is parsed by pandas as text (`dtype=str`): empty field = NULL, nothing
  else is interpreted; the frame's index is the record's physical start line (header = line 1).
- records = rows in the frame + malformed rows, always (checked, an error otherwise).
"""

from __future__ import annotations

import codecs
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from contractbook.contract import Table

LF, CR, QUOTE, COMMA = 10, 13, 34, 44
KIND_SUFFIX = {"csv_encoding": "encoding", "csv_quoting": "quoting",
               "csv_column_count": "column_count"}
MAX_STRAY_QUOTES = 200
_bad_bytes: list[int] = []


def _collect(err: UnicodeDecodeError):
    _bad_bytes.append(err.start)
    return "\ufffd", err.end


codecs.register_error("contractbook_collect", _collect)


class CsvError(ValueError):
    """A CSV file that cannot be read at all (missing, empty, wrong header)."""


@dataclass
class RawTable:
    """One table's CSV read as text: good rows (index = start line) and malformed records."""

    table: str
    path: Path
    frame: object  # pandas.DataFrame of str, index "line"
    malformed: object  # pandas.DataFrame: line, kind, rule_id, detail, text

    @property
    def records(self) -> int:
        """Records in the file, header excluded."""
        return len(self.frame) + len(self.malformed)


def _parity(b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Quote parity after each byte, and the stray quotes (mid-field) that were taken literally.

    A quote opening a field must follow a comma, a line start or another quote; one that does not
    is a stray: it is taken as a literal character (so it cannot swallow the following lines)
    and its record is reported as csv_quoting. One stray per pass (each pass is vectorized), at
    most MAX_STRAY_QUOTES; past that, a stray quote merges lines into one reported record.
    """
    toggles = b == QUOTE
    stray: list[int] = []
    for _ in range(MAX_STRAY_QUOTES + 1):
        inside = np.bitwise_xor.accumulate(toggles.astype(np.uint8)) if b.size else b
        q = np.flatnonzero(toggles)
        prev = np.where(q > 0, b[np.maximum(q - 1, 0)], LF)
        opening = (inside[q] ^ 1) == 0
        new = q[opening & ~np.isin(prev, (COMMA, LF, QUOTE))]
        if not new.size or len(stray) == MAX_STRAY_QUOTES:
            break
        toggles[new[0]] = False  # only the first: the parity after it changes the rest
        stray.append(int(new[0]))
    return inside, np.array(stray, dtype=np.int64)


def _spans(b: np.ndarray, inside: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Record start/end offsets (end excludes the line feed)."""
    ends = np.flatnonzero((b == LF) & (inside == 0))
    starts = np.concatenate(([0], ends + 1))
    ends = np.concatenate((ends, [b.size]))
    keep = starts < b.size  # drop the empty tail after a final line feed
    return starts[keep], ends[keep]


def _bad_closes(b: np.ndarray, inside: np.ndarray) -> np.ndarray:
    """Offsets of quotes that close a field but are followed by more data (`"ab"c`)."""
    q = np.flatnonzero((b == QUOTE) & (inside == 0))  # parity 0 after: it closed a field
    nxt = np.where(q + 1 < b.size, b[np.minimum(q + 1, b.size - 1)], LF)
    return q[~np.isin(nxt, (COMMA, LF, CR, QUOTE))]


def _record_of(offsets: np.ndarray, starts: np.ndarray) -> np.ndarray:
    return np.searchsorted(starts, offsets, side="right") - 1


def read_text(path: str | Path, table: Table):
    """Read path as table's text rows plus its malformed records (see module doc)."""
    import pandas as pd

    path = Path(path)
    if not path.is_file():
        raise CsvError(f"{path}: no such file; expected one CSV per contract table ({table.name})")
    data = path.read_bytes()
    b = np.frombuffer(data, dtype=np.uint8)
    inside, stray = _parity(b)
    starts, ends = _spans(b, inside)
    if not starts.size:
        raise CsvError(f"{path}: empty file; expected a header with {', '.join(table.column_names)}")
    header = data[starts[0]:ends[0]].decode("utf-8", "replace").rstrip("\r").split(",")
    if header != table.column_names:
        raise CsvError(f"{path} line 1: header {header} differs from the contract's columns "
                       f"{table.column_names} (same names, same order); fix the file or the contract")
    all_lf = np.flatnonzero(b == LF)
    lines = np.searchsorted(all_lf, starts) + 1
    n = starts.size
    kind = np.full(n, "", dtype=object)
    fields = np.bincount(_record_of(np.flatnonzero((b == COMMA) & (inside == 0)), starts),
                         minlength=n) + 1
    kind[fields != len(header)] = "csv_column_count"
    _bad_bytes.clear()
    data.decode("utf-8", "contractbook_collect")
    kind[np.unique(_record_of(np.array(_bad_bytes, dtype=np.int64), starts))] = "csv_encoding"
    quoting = np.concatenate((stray, _bad_closes(b, inside)))
    kind[np.unique(_record_of(quoting, starts))] = "csv_quoting"
    if inside.size and inside[-1]:
        kind[-1] = "csv_quoting"
    kind[0] = ""  # the header was checked above
    bad = np.flatnonzero(kind != "")
    good = kind == ""
    mask = np.repeat(good, np.diff(np.concatenate((starts, [b.size]))))
    mask = np.concatenate((np.zeros(starts[0], dtype=bool), mask))
    frame = pd.read_csv(io.BytesIO(b[mask].tobytes()), dtype=str, keep_default_na=False,
                        na_values=[""], encoding="utf-8", skip_blank_lines=False)
    if len(frame) != int(good.sum()) - 1:
        raise CsvError(f"{path}: pandas parsed {len(frame)} rows from {int(good.sum()) - 1} "
                       "well-formed records; refusing to lose rows silently")
    frame.index = pd.Index(lines[good][1:], name="line")
    malformed = pd.DataFrame({
        "line": lines[bad], "kind": kind[bad],
        "rule_id": [f"{table.name}.csv.{KIND_SUFFIX[k]}" for k in kind[bad]],
        "detail": [f"{fields[i]} fields, header has {len(header)}" if kind[i] == "csv_column_count"
                   else kind[i].removeprefix("csv_") for i in bad],
        "text": [data[starts[i]:ends[i]].decode("utf-8", "replace")[:300] for i in bad]})
    return RawTable(table.name, path, frame, malformed)


def with_typed(frame, table: Table, formats: dict[str, str]):
    """frame plus `<col>__typed` helpers: non-text columns parsed (unparseable -> NULL)."""
    import pandas as pd

    from contractbook.contract.kinds import by_field

    from .suites import TEXT_KINDS, TYPED_SUFFIX

    recipes = {
        "numeric": lambda s, c: pd.to_numeric(s, errors="coerce"),
        "datetime": lambda s, c: pd.to_datetime(s, format=formats[c], errors="coerce"),
        "boolean": lambda s, c: s.str.lower().map({"true": True, "false": False, "1": True,
                                                    "0": False}),
        "text": lambda s, c: s,
        "json": lambda s, c: s,
    }
    parsers = {k: recipes[r] for k, r in by_field("pandas").items()}
    out = frame.copy()
    for col in table.columns:
        if col.type.kind in TEXT_KINDS:
            continue
        if col.type.kind not in parsers:
            raise ValueError(f"column {table.name}.{col.name}: no parser for kind {col.type.kind!r}")
        out[col.name + TYPED_SUFFIX] = parsers[col.type.kind](frame[col.name], col.name)
    return out
