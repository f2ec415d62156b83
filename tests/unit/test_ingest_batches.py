"""Arrow batches handed to dlt: bounded by DuckDB's row-group size, every row counted once."""

from __future__ import annotations

import duckdb

from contractbook.ingest.load import BATCH_ROWS, arrow_batches

DUCKDB_ROW_GROUP = 122_880  # DuckDB's row-group size: the destination reads dlt's files by it


def test_batches_are_duckdb_row_groups_and_count_every_row():
    con = duckdb.connect()
    con.execute("CREATE TABLE t AS SELECT range AS id FROM range(300000)")
    counter: dict[str, int] = {}
    sizes = [b.num_rows for b in arrow_batches(con, "SELECT * FROM t", counter=counter, key="t")]
    assert BATCH_ROWS <= DUCKDB_ROW_GROUP
    assert max(sizes) <= DUCKDB_ROW_GROUP and len(sizes) >= 3
    assert sum(sizes) == counter["t"] == 300000


def test_an_empty_result_is_one_empty_table_with_the_schema():
    con = duckdb.connect()
    out = list(arrow_batches(con, "SELECT 1 AS id WHERE false"))
    assert [t.num_rows for t in out] == [0] and out[0].schema.names == ["id"]
