"""Split CSV bytes into physical records with numpy, independent of any CSV parser (pure).

The recovery rule (documented in README "Reading files"):
- A record starts at the beginning of a line. A line break ends it unless it lies inside a
  quoted field. A field is quoted when its first byte is `"`; inside it `""` is a quote.
- A record may span several lines only if it is well formed as a whole: every quote that opens
  a field starts it, every quote that closes one ends it, and the field count is the header's.
  Otherwise its first line alone is rejected (`quoting`) and reading resumes at the next line
  with no quote open. A broken quote therefore costs its own line, never the rest of the file.
- Line breaks are LF, CRLF (mixed within one file is fine) or, in a file without any LF, CR.
  A CR elsewhere outside quotes makes its record malformed (`quoting`).
- Invalid UTF-8 or a NUL byte makes its record malformed (`encoding`); a field count other than
  the header's makes it malformed (`column_count`). Empty lines are not records (counted apart);
  a line of spaces is a record (one field).
- A UTF-8 BOM before the header is dropped; every offset is into the bytes as given.
"""

from __future__ import annotations

import codecs
import threading
from dataclasses import dataclass, field

import numpy as np

LF, CR, QUOTE, COMMA, NUL = 10, 13, 34, 44, 0
BOM = b"\xef\xbb\xbf"
CHUNK = 1 << 24
WINDOW = 4096  # multi-line candidates checked per vectorized pass
MALFORMED_KINDS = ("", "quoting", "encoding", "column_count")  # code -> malformed kind ("" = good)


@dataclass
class Records:
    """Every physical record of one CSV: byte spans, start lines, verdicts, and the header."""

    size: int
    header: list[str]
    start: np.ndarray  # first byte of each record (header excluded)
    end: np.ndarray  # one past its last content byte (line break excluded)
    stop: np.ndarray  # one past its line break (= end when the file ends without one)
    line: np.ndarray  # physical line where it starts (header = its own line, 1-based)
    kind: np.ndarray  # int8 code into MALFORMED_KINDS
    detail: list[str] = field(default_factory=list)  # per malformed record, in order
    header_stop: int = 0  # one past the header's line break
    blank_lines: int = 0
    newline: str = "\n"  # "\n", "\r\n", "\r" or "mixed"
    bom: bool = False

    @property
    def n(self) -> int:
        """Records read (header and empty lines excluded)."""
        return len(self.start)

    @property
    def bad(self) -> np.ndarray:
        """Indices of malformed records."""
        return np.flatnonzero(self.kind != 0)

    @property
    def good(self) -> np.ndarray:
        """Indices of well-formed records."""
        return np.flatnonzero(self.kind == 0)

    @property
    def pristine(self) -> bool:
        """True when a strict CSV parser reads the bytes as they are exactly as split here."""
        return not self.bad.size and not self.blank_lines and self.newline != "mixed"


def special_positions(data: bytes, b: np.ndarray) -> dict[int, np.ndarray]:
    """{byte value: sorted offsets} of LF, CR, quote, comma and NUL: a comparison pass for each
    byte the data holds at all (bytes.find, a memchr, rules the others out at once)."""
    return {
        v: positions(b, v) if data.find(bytes([v])) >= 0 else np.zeros(0, np.int64)
        for v in (LF, CR, QUOTE, COMMA, NUL)
    }


def positions(b: np.ndarray, value: int) -> np.ndarray:
    """Offsets of every byte equal to value (chunked: bounded temporaries)."""
    parts = [np.flatnonzero(b[s : s + CHUNK] == value) + s for s in range(0, b.size, CHUNK)]
    return np.concatenate(parts) if parts else np.zeros(0, np.int64)


def count_before(hits: np.ndarray, at: np.ndarray) -> np.ndarray:
    """For each offset in at, how many of the sorted offsets hits lie before it."""
    return np.searchsorted(hits, at)


_bad_utf8 = threading.local()  # per thread: files are split in a read-ahead thread too


def _collect(err: UnicodeDecodeError):
    _bad_utf8.hits.append(err.start)
    return "", err.end


# typeshed types error handlers for any UnicodeError; a decode handler gets UnicodeDecodeError
codecs.register_error("contractbook_offsets", _collect)  # type: ignore[arg-type]


def invalid_utf8(data: bytes) -> np.ndarray:
    """Offsets of bytes that are not valid UTF-8 (decoded chunk by chunk, cut at line feeds)."""
    out, s = [], 0
    while s < len(data):
        e = data.rfind(b"\n", s, s + CHUNK) + 1 if s + CHUNK < len(data) else len(data)
        e = e if e > s else min(len(data), s + CHUNK)
        try:
            data[s:e].decode("utf-8")
        except UnicodeDecodeError:
            _bad_utf8.hits = []
            data[s:e].decode("utf-8", "contractbook_offsets")
            out += [s + p for p in _bad_utf8.hits]
        s = e
    return np.array(out, np.int64)


@dataclass
class _Lines:
    start: np.ndarray
    end: np.ndarray  # content end (CR of a CRLF excluded)
    stop: np.ndarray
    q0: np.ndarray  # quotes before the line start
    q1: np.ndarray  # quotes before the content end


def _lines(b: np.ndarray, pos: dict, begin: int) -> tuple[_Lines, str, np.ndarray]:
    """Physical lines from begin on, the line-break style, and CRs that are not line breaks."""
    lf, cr, q = pos[LF], pos[CR], pos[QUOTE]
    if not lf.size and cr.size:
        breaks, content_end, style, stray_cr = cr, cr, "\r", np.zeros(0, np.int64)
    else:
        crlf = np.isin(lf - 1, cr)
        content_end = np.where(crlf, lf - 1, lf)
        breaks = lf
        style = "\r\n" if crlf.all() and lf.size else ("\n" if not crlf.any() else "mixed")
        stray_cr = np.setdiff1d(cr, lf - 1, assume_unique=True)
    keep = breaks >= begin
    breaks, content_end = breaks[keep], content_end[keep]
    start = np.concatenate(([begin], breaks + 1))
    end = np.concatenate((content_end, [b.size]))
    stop = np.concatenate((breaks + 1, [b.size]))
    if start[-1] >= b.size:  # the file ends with a line break: no line after it
        start, end, stop = start[:-1], end[:-1], stop[:-1]
    q0, q1 = np.searchsorted(q, start), np.searchsorted(q, end)
    return _Lines(start, end, stop, q0, q1), style, stray_cr


def _quotes_ok(b: np.ndarray, q: np.ndarray, rec_start, rec_end, rq0, rq1) -> np.ndarray:
    """Per record: every opening quote starts a field and every closing quote ends one."""
    n = rec_start.size
    counts = rq1 - rq0
    if not counts.sum():
        return np.ones(n, bool)
    rec = np.repeat(np.arange(n), counts)
    idx = _ranges(rq0, rq1)
    pos = q[idx]
    opening = (idx - rq0[rec]) % 2 == 0
    prev = b[np.maximum(pos - 1, 0)]
    nxt = b[np.minimum(pos + 1, b.size - 1)]
    open_ok = (pos == rec_start[rec]) | (prev == COMMA) | (prev == QUOTE)
    close_ok = (pos + 1 == rec_end[rec]) | (nxt == COMMA) | (nxt == QUOTE)
    bad = np.where(opening, ~open_ok, ~close_ok)
    ok = np.ones(n, bool)
    ok[rec[bad]] = False
    ok[counts % 2 == 1] = False  # a quote left open at the end of the record
    return ok


def _ranges(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Concatenated aranges [lo[i], hi[i]) (vectorized)."""
    lens = hi - lo
    if not lens.sum():
        return np.zeros(0, np.int64)
    base = np.repeat(lo - np.concatenate(([0], np.cumsum(lens)[:-1])), lens)
    return base + np.arange(lens.sum())


def _fields(commas_at, q, rec_start, rec_end, rq0, rq1) -> np.ndarray:
    """Fields per (quote-valid) record: commas outside quoted fields, plus one."""
    commas = count_before(commas_at, np.concatenate((rec_start, rec_end)))
    total = commas[rec_start.size :] - commas[: rec_start.size]
    idx = _ranges(rq0, rq1)
    inside = np.zeros(rec_start.size, np.int64)
    if idx.size:
        rec = np.repeat(np.arange(rec_start.size), rq1 - rq0)
        opening = (idx - rq0[rec]) % 2 == 0
        cq = count_before(commas_at, q[idx])
        # commas between an opening quote and the next quote (its closing one)
        inner = np.where(opening, -cq, cq)
        inside = np.bincount(rec, weights=inner, minlength=rec_start.size).astype(np.int64)
    return total - inside + 1


def _spans(b, q, commas_at, L: _Lines, n_fields: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Record boundaries as (first line, last line) pairs, and the lines rejected as broken.

    Lines with an odd number of quotes open or close a multi-line record; they are paired in
    order, each pair checked as a whole; the first broken pair rejects its first line alone and
    pairing resumes at the next odd line (see the module doc).
    """
    odd = np.flatnonzero((L.q1 - L.q0) % 2 == 1)
    first, last, broken = [], [], []
    j = 0
    while j < odd.size:
        a = odd[j : j + 2 * WINDOW : 2]
        z = odd[j + 1 : j + 2 * WINDOW : 2]
        unmatched = a.size > z.size
        a2 = a[: z.size]
        ok = _quotes_ok(b, q, L.start[a2], L.end[z], L.q0[a2], L.q1[z])
        ok &= _fields(commas_at, q, L.start[a2], L.end[z], L.q0[a2], L.q1[z]) == n_fields
        bad = np.flatnonzero(~ok)
        k = bad[0] if bad.size else z.size
        first.append(a2[:k])
        last.append(z[:k])
        if bad.size or unmatched:
            broken.append(a[k])
            j += 2 * k + 1
        else:
            j += 2 * k

    def cat(xs):
        return np.concatenate(xs).astype(np.int64) if xs else np.zeros(0, np.int64)

    return cat(first), cat(last), np.array(broken, np.int64)


def _style(b: np.ndarray, end: np.ndarray, stop: np.ndarray, style: str) -> str:
    """The line-break style of the record terminators only (CRLF inside quotes is data)."""
    if style == "\r":
        return style
    n = stop - end
    lf, crlf = int((n == 1).sum()), int((n == 2).sum())
    return "mixed" if lf and crlf else ("\r\n" if crlf else "\n")


def _header(data: bytes, start: int, end: int) -> list[str]:
    import csv

    text = data[start:end].decode("utf-8", "replace")
    return next(csv.reader([text]), [])


def _no_records(data: bytes, style: str, bom: bool, blank_lines: int = 0) -> Records:
    """The Records of a file with no record (empty, header only or blank lines only)."""
    empty = np.zeros(0, np.int64)
    return Records(
        len(data),
        [],
        empty,
        empty,
        empty,
        empty,
        np.zeros(0, np.int8),
        header_stop=len(data),
        blank_lines=blank_lines,
        newline=style,
        bom=bom,
    )


def split(data: bytes) -> Records:
    """Every record of data (one CSV's bytes) with its verdict, per the module doc."""
    b = np.frombuffer(data, np.uint8)
    bom = data.startswith(BOM)
    begin = 3 if bom else 0
    pos = special_positions(data, b)
    q = pos[QUOTE]
    L, style, stray_cr = _lines(b, pos, begin)
    if not L.start.size:
        return _no_records(data, style, bom)
    # provisional header: the first line; its field count drives the multi-line checks
    header_guess = _header(data, L.start[0], L.end[0])
    first, last, broken = _spans(b, q, pos[COMMA], L, len(header_guess))
    # records: each span, each broken line, each line outside a span
    covered = np.zeros(L.start.size + 1, np.int64)
    np.add.at(covered, first + 1, 1)
    np.add.at(covered, last + 1, -1)
    inside = np.cumsum(covered)[:-1] > 0  # lines 2.. of a span
    single = ~inside
    single[first] = False
    rec_first = np.sort(np.concatenate((first, np.flatnonzero(single))))
    last_of = np.arange(L.start.size)
    last_of[first] = last
    rec_last = last_of[rec_first]
    start, end, stop = L.start[rec_first], L.end[rec_last], L.stop[rec_last]
    rq0, rq1 = L.q0[rec_first], L.q1[rec_last]
    blank = (end == start) & (rq1 == rq0) & single[rec_first]
    line_no = count_before(pos[LF] if style != "\r" else pos[CR], start) + 1
    keep = ~blank
    start, end, stop, rec_first = start[keep], end[keep], stop[keep], rec_first[keep]
    rq0, rq1, line_no = rq0[keep], rq1[keep], line_no[keep]
    n_blank = int(blank.sum())
    if not start.size:
        return _no_records(data, style, bom, n_blank)
    style = _style(b, end, stop, style)
    header = _header(data, start[0], end[0])
    kind = np.zeros(start.size, np.int8)
    detail = np.full(start.size, "", dtype=object)
    nf = _fields(pos[COMMA], q, start, end, rq0, rq1)
    wrong = nf != len(header)
    kind[wrong] = 3
    detail[wrong] = [f"{f} fields, header has {len(header)}" for f in nf[wrong]]
    bad_utf8 = invalid_utf8(data)
    for offsets, what in ((bad_utf8, "invalid UTF-8"), (pos[NUL], "NUL byte")):
        r = np.unique(np.searchsorted(start, offsets, side="right") - 1)
        r = r[r >= 0]
        kind[r], detail[r] = 2, what
    quotes_bad = ~_quotes_ok(b, q, start, end, rq0, rq1)
    if stray_cr.size:
        r = np.searchsorted(start, stray_cr, side="right") - 1
        quoted = (np.searchsorted(q, stray_cr) - rq0[r]) % 2 == 1
        r = np.unique(r[~quoted & (stray_cr < end[r])])
        kind[r], detail[r] = 1, "CR outside quotes (line breaks are LF or CRLF)"
    kind[quotes_bad] = 1
    detail[quotes_bad] = "quote left open or not at a field's start or end"
    is_broken = np.isin(rec_first, broken)
    kind[is_broken] = 1
    detail[is_broken] = "quote left open or not at a field's start or end (this line only)"
    return Records(
        len(data),
        header,
        start[1:],
        end[1:],
        stop[1:],
        line_no[1:],
        kind[1:],
        list(detail[1:][kind[1:] != 0]),
        header_stop=int(stop[0]),
        blank_lines=n_blank,
        newline=style,
        bom=bom,
    )
