"""The one place contract text becomes SQL: identifiers, literals, comments, for every dialect."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlglot
from sqlglot import exp

from contractbook import sqltext
from support.hostile import strings

CORPUS = strings(Path("/tmp/canary.txt"), Path("/tmp/canary_out.csv"))
SHORT = [s for s in CORPUS if len(s.encode()) <= 63]  # PostgreSQL truncates longer names


@pytest.mark.parametrize("text", CORPUS)
def test_duckdb_reads_back_literals_identifiers_and_comments_exactly(text):
    import duckdb

    con = duckdb.connect()
    assert con.sql(f"SELECT {sqltext.literal(text)}").fetchall() == [(text,)]
    con.execute(f"CREATE TABLE {sqltext.ident(text)} ({sqltext.ident(text[::-1])} INTEGER)")
    assert con.sql("SELECT table_name FROM duckdb_tables()").fetchall() == [(text,)]
    assert con.sql("SELECT column_name FROM duckdb_columns() WHERE NOT internal").fetchall() == [
        (text[::-1],)
    ]
    con.execute(f"DROP TABLE {sqltext.ident(text)}")
    # a comment followed by a statement: only the statement runs
    script = sqltext.comment_text(text) + "\nSELECT 42"
    assert con.sql(script).fetchall() == [(42,)]
    assert con.sql("SELECT count(*) FROM duckdb_tables()").fetchall() == [(0,)]


@pytest.mark.postgres
def test_postgres_reads_back_literals_identifiers_and_comments_exactly(postgres_dsn):
    import psycopg2

    con = psycopg2.connect(postgres_dsn)
    cur = con.cursor()
    try:
        for text in CORPUS:
            cur.execute(f"SELECT {sqltext.literal(text, 'postgres')}")
            assert cur.fetchone() == (text,)
            cur.execute(sqltext.comment_text(text) + "\nSELECT 42")
            assert cur.fetchone() == (42,)
        for text in SHORT:
            cur.execute(f"CREATE TEMP TABLE {sqltext.ident(text, 'postgres')} (x INTEGER)")
            cur.execute("SELECT relname FROM pg_class WHERE relpersistence = 't' AND relkind = 'r'")
            assert cur.fetchall() == [(text,)]
            cur.execute(f"DROP TABLE {sqltext.ident(text, 'postgres')}")
    finally:
        con.rollback()
        con.close()


@pytest.mark.parametrize("dialect", ["bigquery", "snowflake", "databricks"])
@pytest.mark.parametrize("text", CORPUS)
def test_other_dialects_parse_literals_back_exactly(dialect, text):
    """sqlglot, reading each dialect's escapes, sees the very text (these engines are not here)."""
    tree = sqlglot.parse_one(f"SELECT {sqltext.literal(text, dialect)} AS x", read=dialect)
    assert tree.find(exp.Literal).this == text


@pytest.mark.parametrize("dialect", ["snowflake", "databricks"])
@pytest.mark.parametrize("text", CORPUS)
def test_other_dialects_parse_identifiers_back_exactly(dialect, text):
    tree = sqlglot.parse_one(f"SELECT 1 AS {sqltext.ident(text, dialect)}", read=dialect)
    folds = dialect == "snowflake" and sqltext._FOLDABLE.match(text)  # plain lower-case names
    assert tree.find(exp.Alias).alias == (text.upper() if folds else text)


def test_bigquery_identifiers_use_its_escape_sequences():
    """BigQuery's lexical rules: quoted identifiers take the string-literal escapes (\\`, \\\\)."""
    assert sqltext.ident("a`b\\c\nd", "bigquery") == "`a\\`b\\\\c\\nd`"


def test_nul_and_unknown_dialects_are_refused():
    with pytest.raises(sqltext.SqlTextError, match="NUL"):
        sqltext.literal("a\x00b")
    with pytest.raises(sqltext.SqlTextError, match="NUL"):
        sqltext.ident("a\x00b", "postgres")
    with pytest.raises(sqltext.SqlTextError, match="unknown SQL dialect 'oracle'"):
        sqltext.ident("a", "oracle")
    with pytest.raises(sqltext.SqlTextError, match="unknown comment style"):
        sqltext.comment("a", "lisp")


@pytest.mark.parametrize("text", CORPUS + ["a\x00b", "x\u2029y\x85z\x0bw", "*/*/ /*/ ---> <!--"])
def test_comment_lines_each_start_with_the_marker_and_hold_no_delimiter(text):
    for style, marker in (("sql", "--"), ("python", "#"), ("toml", "#")):
        lines = sqltext.comment(text, style)
        assert all(line.startswith(marker) for line in lines)
        assert all(len(line.splitlines()) == 1 and "\x00" not in line for line in lines)
    sql = sqltext.comment_text(text)
    assert "/*" not in sql and "*/" not in sql
    assert "-->" not in sqltext.comment_text(text, "html") and "<!--" not in sqltext.comment_text(
        text, "html"
    )
