"""Physical line numbers of rows and malformed records, against files written by hand."""

from __future__ import annotations

import duckdb
import numpy as np

from contractbook.ingest import lines, read
from contractbook.ingest.plan import newline_count, qi


def _stage(tmp_path, text: bytes):
    p = tmp_path / "t.csv"
    p.write_bytes(text)
    con = duckdb.connect()
    s = read.source(con, "t", ["a", "b", "c"], p)
    con.execute(f"CREATE TEMP TABLE raw_t AS SELECT * FROM {s.raw}")
    s.raw = "raw_t"
    bad = read.malformed(con, s)
    nl = con.sql(f"SELECT rowid AS r, n FROM (SELECT rowid, {newline_count([qi(c) for c in s.present])}"
                 f" AS n FROM raw_t) WHERE n IS NOT NULL ORDER BY rowid").fetchnumpy()
    nl_rows, nl_counts = np.asarray(nl["r"], np.int64), np.asarray(nl["n"], np.int64)
    lm = lines.LineMap(bad["line"], bad["csv_line"], nl_rows, nl_counts)
    rows = con.execute(f"SELECT rowid, a FROM {s.raw} ORDER BY rowid").fetchall()
    good = dict(zip([a for _, a in rows], lm.rows([r for r, _ in rows]).tolist(), strict=True))
    return good, dict(zip(lm.malformed().tolist(), bad["error_types"], strict=True))


def test_lines_count_quoted_line_breaks_and_malformed_records(tmp_path):
    text = (b'a,b,c\n1,x,y\n2,"multi\nline",z\n3,too,many,cols\n4,"two\n\nbreaks",z\n'
            b'5,\xff,z\n6,ok,ok\n7,"q"x,z\n8,ok\n9,ok,ok\n')
    good, bad = _stage(tmp_path, text)
    assert good == {"1": 2, "2": 3, "4": 6, "6": 10, "9": 13}
    assert bad == {5: ["TOO MANY COLUMNS"], 9: ["INVALID ENCODING"], 11: ["UNQUOTED VALUE"],
                   12: ["MISSING COLUMNS"]}


def test_crlf_and_bom(tmp_path):
    good, bad = _stage(tmp_path, b'\xef\xbb\xbfa,b,c\r\n1,x,y\r\n2,"m\r\nl",z\r\n3,x,y\r\n')
    assert good == {"1": 2, "2": 3, "3": 5} and bad == {}
