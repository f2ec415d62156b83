"""The table writer merges planted records into the clean stream at the right place and line."""

from __future__ import annotations

import io

import numpy as np
import pyarrow as pa
import pytest

from contractbook.synth.plant import Event
from contractbook.synth.write import TableWriter


def _naive(clean: list[str], events: list[Event]) -> tuple[bytes, list[int]]:
    """Reference merge: a plain loop over rows and events."""
    out, lines, line = [], [], 2
    by_row = {}
    for ev in sorted(events, key=lambda e: e.order):
        by_row.setdefault(ev.order[0], []).append(ev)
    for i in range(len(clean) + 1):
        skip = False
        for ev in by_row.get(i, []):
            lines.append(line)
            out.append(ev.data)
            line += ev.data.count(b"\n")
            skip |= ev.op == "replace"
        if i < len(clean) and not skip:
            out.append(clean[i].encode())
            line += clean[i].count("\n")
    return b"h\n" + b"".join(out), lines


@pytest.mark.parametrize("batch", [1, 3, 4, 100])
def test_events_land_at_their_rows_across_batch_boundaries(batch):
    rng = np.random.default_rng(batch)
    clean = [f"r{i}\n" if i % 5 else f'"r{i}\nsecond line"\n' for i in range(12)]
    replaced = sorted(rng.choice(12, 4, replace=False).tolist())
    events = [Event(r, "replace", f"R{r}\n".encode(), seq=k) for k, r in enumerate(replaced)]
    events += [
        Event(j, "insert", f"I{j}\n".encode(), seq=10 + k) for k, j in enumerate((-1, 3, 3, 11))
    ]
    events.sort(key=lambda e: e.order)
    fh = io.BytesIO()
    writer = TableWriter(fh, b"h\n", events)
    arr = pa.array(clean)
    for start in range(0, len(clean), batch):
        writer.feed(pa.record_batch([arr.slice(start, batch)], names=["line"]))
    writer.close()
    want, lines = _naive(clean, events)
    assert fh.getvalue() == want
    assert [line for line, _ in writer.placed] == lines
    assert writer.records == len(clean) + 4
    text = fh.getvalue().decode()
    for line, ev in writer.placed:  # the manifest line really starts that record
        assert text.split("\n")[line - 1] + "\n" == ev.data.decode()
