"""spark/cascade.field_sql reads a malformed record's field as the DuckDB engine's field_sql."""

from __future__ import annotations

import duckdb
import pytest

from contractbook.ingest import cascade as duck_cascade
from contractbook.spark import cascade
from contractbook.spark.sql import lit

pytestmark = pytest.mark.spark

CASES = [
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
    ("a\\1,b", 0, "a\\1"),  # a backslash is text (Spark literals escape it)
]


def test_field_sql_as_duckdb(spark):
    """All cases in one Spark query; each value as expected and as DuckDB reads it."""
    parts = [
        f"SELECT {i} AS i, {cascade.field_sql(lit(text), pos)} AS v"
        for i, (text, pos, _) in enumerate(CASES)
    ]
    got = dict(spark.sql(" UNION ALL ".join(parts)).collect())
    for i, (text, pos, value) in enumerate(CASES):
        duck = duckdb.sql(
            f"SELECT {duck_cascade.field_sql('t', pos)} FROM (SELECT $t AS t)", params={"t": text}
        ).fetchall()
        assert (got[i], duck) == (value, [(value,)]), (text, pos)
