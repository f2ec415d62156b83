"""Write one table's CSV: the clean record stream from DuckDB with planted records merged in."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from .plant import Event


def _views(batch: pa.RecordBatch) -> tuple[np.ndarray, memoryview]:
    """(record start offsets, bytes) of a batch's single string column, zero-copy."""
    col = batch.column(0)
    if pa.types.is_string_view(col.type):
        col = col.cast(pa.large_string())
    width = np.int64 if pa.types.is_large_string(col.type) else np.int32
    _, off_buf, data_buf = col.buffers()
    offsets = np.frombuffer(off_buf, dtype=width)[col.offset : col.offset + len(col) + 1]
    return offsets.astype(np.int64), memoryview(data_buf)


def _newlines(view: memoryview) -> int:
    return int(np.count_nonzero(np.frombuffer(view, dtype=np.uint8) == 10))


class TableWriter:
    """Streams record batches into a file, putting each event at its place and noting its line."""

    def __init__(self, fh, header: bytes, events: list[Event]):
        self.fh, self.events, self.next_event = fh, events, 0
        self.row, self.line, self.records = 0, 1, 0
        self.placed: list[tuple[int, Event]] = []
        self._write(memoryview(header), count=True)

    def _write(self, view: memoryview, count: bool) -> None:
        self.fh.write(view)
        if count:
            self.line += _newlines(view)

    def _emit(self, ev: Event) -> None:
        self.placed.append((self.line, ev))
        self._write(memoryview(ev.data), count=True)
        self.records += 1

    def feed(self, batch: pa.RecordBatch) -> None:
        """Write one batch of clean records (rows self.row .. self.row + len - 1)."""
        offsets, data = _views(batch)
        n, base = len(offsets) - 1, self.row
        pos = 0  # next clean row of this batch to write
        while self.next_event < len(self.events):
            ev = self.events[self.next_event]
            before = ev.order[0] - base  # the event goes before batch row `before`
            if before > n or (before == n and ev.op == "replace"):
                break
            if before > pos:
                self._write(data[offsets[pos] : offsets[before]], count=True)
                self.records += before - pos
                pos = before
            self._emit(ev)
            self.next_event += 1
            if ev.op == "replace":
                pos = before + 1
        more = self.next_event < len(self.events)
        if pos < n:
            self._write(data[offsets[pos] : offsets[n]], count=more)
            self.records += n - pos
        self.row += n

    def close(self) -> None:
        """Write events after the last clean row (inserts after it)."""
        for ev in self.events[self.next_event :]:
            if ev.op == "replace":
                raise ValueError(f"event replaces row {ev.row} beyond the table's {self.row} rows")
            self._emit(ev)
        self.next_event = len(self.events)
