"""Read generated CSVs back through the one reader (contractbook.reading): the test oracle.

It keeps the physical start line of every record and says why a record is malformed, exactly
as every pipeline step sees it. It builds one Python list per record, so use it on small data.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Read:
    """Records (start line, fields) and malformed records (start line, reason) of one file."""

    header: list[str]
    records: list[tuple[int, list[str]]] = field(default_factory=list)
    malformed: list[tuple[int, str]] = field(default_factory=list)


def read(path: str | Path) -> Read:
    """Parse one CSV; reasons are `column_count`, `quoting` or `encoding` (as in rule ids)."""
    import duckdb

    from contractbook.reading.stage import rows, stage

    con = duckdb.connect()
    with tempfile.TemporaryDirectory() as work:
        s = stage(con, "t", None, path, work)
        got = rows(con, s)
    out = Read(header=s.header)
    out.records = [(r["_line"], [r[f"c{i}"] or "" for i in range(len(s.header))]) for r in got]
    out.malformed = sorted(zip(s.malformed.line, s.malformed.kind, strict=True))
    return out


def load(con, directory: str | Path, contract, prefix: str = "raw_") -> dict[str, Read]:
    """Create `<prefix><table>` in DuckDB: every column VARCHAR (empty = NULL) plus `_line`."""
    import pyarrow as pa

    reads = {}
    for t in contract.tables:
        r = read(Path(directory) / f"{t.name}.csv")
        if r.header != t.column_names:
            raise ValueError(
                f"{t.name}.csv: header {r.header} differs from the contract's {t.column_names}"
            )
        cols = {
            name: pa.array([row[i] or None for _, row in r.records], pa.string())
            for i, name in enumerate(t.column_names)
        }
        cols["_line"] = pa.array([line for line, _ in r.records], pa.int64())
        data = pa.table(cols)
        con.register("_readback", data)
        con.execute(f'CREATE OR REPLACE TABLE "{prefix}{t.name}" AS SELECT * FROM _readback')
        con.unregister("_readback")
        reads[t.name] = r
    return reads


def frame(path: str | Path, table):
    """The well-formed records of path as text, indexed by physical line (pandas)."""
    import pandas as pd

    r = read(path)
    idx = r.header.index
    data = {c: [f[idx(c)] or None for _, f in r.records] for c in table.column_names}
    return pd.DataFrame(data, index=pd.Index([line for line, _ in r.records], name="line"))
