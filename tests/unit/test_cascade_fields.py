"""cascade.field_sql: a field of a malformed record's text, read only where it is certain."""

from __future__ import annotations

import duckdb
import pytest

from contractbook.ingest.cascade import field_sql


@pytest.mark.parametrize(
    ("text", "position", "value"),
    [
        ("a1,b2,c3", 0, "a1"),
        ("a1,b2,c3", 2, "c3"),
        ('"a,1",b2', 0, "a,1"),  # a quoted field may hold the separator
        ('x,"say ""hi""",z', 1, 'say "hi"'),  # a doubled quote is one quote
        ('x,"two\r\nlines",z', 2, "z"),  # a quoted line break before the field
        ("a1,,c3", 1, None),  # empty: no key
        ('""', 0, None),
        ("a1,b2", 5, None),  # the record is shorter
        ('a"1,b2,c3', 1, None),  # a quote inside an unquoted field before it: uncertain
        ('"a1,b2,c3', 1, None),  # a quote that never closes
        ('a1,b2"x,c3', 0, "a1"),  # broken after the field: it is still certain
        ("a1,b2\r\nmore", 1, "b2"),  # ends at the line break
    ],
)
def test_field_sql(text, position, value):
    got = duckdb.sql(f"SELECT {field_sql('t', position)} FROM (SELECT $t AS t)", params={"t": text})
    assert got.fetchall() == [(value,)]
