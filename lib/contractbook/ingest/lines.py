"""Physical line numbers (where a record starts) for staged rows and malformed records, vectorized.

DuckDB numbers records by unquoted line breaks and keeps accepted rows in file order (`rowid`).
A record's physical line is therefore its record ordinal plus the line breaks quoted inside all
records before it. Blank lines between records are not counted (DuckDB skips them).
"""

from __future__ import annotations

import numpy as np

from .plan import qi


def count_newlines(path, chunk: int = 1 << 24) -> int:
    """Line feeds in a file (vectorized, bounded memory)."""
    total = 0
    with open(path, "rb") as f:
        while block := f.read(chunk):
            total += int(np.count_nonzero(np.frombuffer(block, np.uint8) == 10))
    return total


def embedded_newlines(con, raw: str, columns: list[str], path=None, records: int | None = None):
    """(rowids, counts) of staged rows whose values contain line breaks, in rowid order.

    With path and records (header + rows + malformed records) the scan is skipped when the file
    has no more line feeds than records, i.e. no value holds a line break.
    """
    if path is not None and records is not None and count_newlines(path) <= records:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    if not columns:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    any_nl = " OR ".join(f"contains({qi(c)}, chr(10))" for c in columns)
    count = " + ".join(f"coalesce(length({qi(c)}) - length(replace({qi(c)}, chr(10), '')), 0)"
                       for c in columns)
    res = con.sql(f"SELECT rowid AS r, {count} AS n FROM {raw} WHERE {any_nl} ORDER BY rowid").fetchnumpy()
    return np.asarray(res["r"], np.int64), np.asarray(res["n"], np.int64)


def _text_newlines(text: str | None) -> int:
    return (text or "").strip("\r\n").count("\n")


class LineMap:
    """Maps staged rowids and malformed records (by DuckDB line) to physical start lines."""

    def __init__(self, bad_lines, bad_texts, nl_rows, nl_counts):
        self.bad = np.asarray(bad_lines, np.int64)
        self.bad_nl = np.cumsum([0] + [_text_newlines(t) for t in bad_texts])
        # accepted rows before each malformed record: its line - header - malformed before it
        self.good_before_bad = self.bad - 2 - np.arange(len(self.bad))
        self.nl_rows = np.asarray(nl_rows, np.int64)
        self.nl_cum = np.concatenate([[0], np.cumsum(np.asarray(nl_counts, np.int64))])

    def _acc_nl(self, n_rows_before):
        return self.nl_cum[np.searchsorted(self.nl_rows, n_rows_before, side="left")]

    def rows(self, rowids) -> np.ndarray:
        """Physical line of each staged row."""
        rowids = np.asarray(rowids, np.int64)
        j = np.searchsorted(self.good_before_bad, rowids, side="right")
        ordinal = rowids + 2 + j
        return ordinal + self._acc_nl(rowids) + self.bad_nl[j]

    def malformed(self) -> np.ndarray:
        """Physical line of each malformed record, in the order given."""
        k = np.arange(len(self.bad))
        return self.bad + self._acc_nl(self.good_before_bad) + self.bad_nl[k]
