"""Physical line numbers (where a record starts) for accepted rows and malformed records, vectorized.

DuckDB numbers records by unquoted line breaks and keeps accepted rows in file order (`rowid`).
A record's physical line is therefore its record ordinal plus the line breaks quoted inside all
records before it. Blank lines between records are not counted (DuckDB skips them).
"""

from __future__ import annotations

import numpy as np


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
