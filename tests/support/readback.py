"""Read generated CSVs back with Python's csv module (strict): the reference reader for checks.

It is independent of the writer and of DuckDB, keeps the physical start line of every record and
says why a record is malformed. It builds one Python list per record, so use it on small data
(tests, samples); the ingest step reads with DuckDB.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

_SURROGATE = re.compile("[\udc80-\udcff]")


@dataclass
class Read:
    """Records (start line, fields) and malformed records (start line, reason) of one file."""

    header: list[str]
    records: list[tuple[int, list[str]]] = field(default_factory=list)
    malformed: list[tuple[int, str]] = field(default_factory=list)


def read(path: str | Path) -> Read:
    """Parse one CSV; reasons are `column_count`, `quoting` or `encoding` (as in rule ids)."""
    with open(path, newline="", encoding="utf-8", errors="surrogateescape") as fh:
        reader = csv.reader(fh, strict=True)
        out = Read(header=next(reader))
        start = reader.line_num + 1
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return out
            except csv.Error:
                out.malformed.append((start, "quoting"))
            else:
                if any(_SURROGATE.search(v) for v in row):
                    out.malformed.append((start, "encoding"))
                elif len(row) != len(out.header):
                    out.malformed.append((start, "column_count"))
                else:
                    out.records.append((start, row))
            start = reader.line_num + 1


def load(con, directory: str | Path, contract, prefix: str = "raw_") -> dict[str, Read]:
    """Create `<prefix><table>` in DuckDB: every column VARCHAR (empty = NULL) plus `_line`."""
    import pyarrow as pa

    reads = {}
    for t in contract.tables:
        r = read(Path(directory) / f"{t.name}.csv")
        if r.header != t.column_names:
            raise ValueError(f"{t.name}.csv: header {r.header} differs from the contract's {t.column_names}")
        cols = {name: pa.array([row[i] or None for _, row in r.records], pa.string())
                for i, name in enumerate(t.column_names)}
        cols["_line"] = pa.array([line for line, _ in r.records], pa.int64())
        data = pa.table(cols)
        con.register("_readback", data)
        con.execute(f'CREATE OR REPLACE TABLE "{prefix}{t.name}" AS SELECT * FROM _readback')
        con.unregister("_readback")
        reads[t.name] = r
    return reads
