"""Read-ahead: the same bytes and records as reading in turn; errors surface for their own file."""

from __future__ import annotations

import gzip

import numpy as np
import pytest

from contractbook.reading.ahead import ReadAhead
from contractbook.reading.files import ReadError
from contractbook.reading.records import split


def _files(tmp_path):
    a = tmp_path / "a.csv"
    a.write_bytes(b'id,txt\n1,"x\r\ny"\n2,bad \xff\n3,"open\n4,z\n')
    b = tmp_path / "b.csv.gz"
    b.write_bytes(gzip.compress(b"\xef\xbb\xbfk,v\r\n1,2\r\n3,4,5\r\n"))
    c = tmp_path / "c.parquet"
    c.write_bytes(b"PAR1 not really")
    return [a, b, c]


def test_read_ahead_gives_what_reading_in_turn_gives(tmp_path):
    paths = _files(tmp_path)
    ahead = ReadAhead(paths)
    try:
        for p in paths[:2]:
            data, got = ahead.take(p)
            raw = gzip.decompress(p.read_bytes()) if p.suffix == ".gz" else p.read_bytes()
            want = split(raw)
            assert data == raw and got.header == want.header and got.detail == want.detail
            for f in ("start", "end", "line", "kind"):
                assert np.array_equal(getattr(got, f), getattr(want, f)), f
            assert got.bad.size  # each holds a malformed record: the verdicts were compared
        assert ahead.take(paths[2]) is None  # Parquet is read by DuckDB natively
        assert ahead.take(tmp_path / "other.csv") is None  # not read ahead: the caller reads it
    finally:
        ahead.close()


def test_an_unreadable_file_fails_when_its_own_table_takes_it(tmp_path):
    good = tmp_path / "good.csv"
    good.write_bytes(b"a\n1\n")
    broken = tmp_path / "broken.csv.gz"
    broken.write_bytes(b"\x1f\x8b\x08 not gzip at all")
    ahead = ReadAhead([broken, good])
    try:
        with pytest.raises(ReadError, match="does not decompress"):
            ahead.take(broken)
        assert ahead.take(good)[1].n == 1  # the next file was still read
    finally:
        ahead.close()
