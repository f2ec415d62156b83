"""Spark reads one CSV as all-string columns in file order; malformed records are set apart.

Differences from the DuckDB reader (`ingest/read.py`), as far as Spark allows:
- Spark's CSV parser (univocity) cannot reject one record for a stray quote: RAISE_ERROR fails
  the whole file. With STOP_AT_DELIMITER it keeps such a field's raw text, so a field that still
  starts with a quote and has text after the closing one (`"abc"-1`) is marked csv `quoting`. A
  value that really starts with a quote and has text after an inner quote would be marked too.
- Invalid UTF-8 bytes are decoded as U+FFFD instead of failing: a record holding U+FFFD is marked
  csv `encoding` (a file that really contains U+FFFD would be marked too).
- A record with too many or too few fields is Spark's own malformed record (csv `column_count`).
- raw_line of an encoding or quoting record is its parsed fields joined by commas (Spark keeps
  the raw text only for records it finds malformed itself). `_parsed` counts the leading fields
  of such a record Spark parsed as CSV (all but from its first quoting field on), so a parent's
  key can still be read from them (`spark/cascade.py`).
The whole file is one partition (multiLine), so record ordinals follow the file order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from contractbook.ingest.read import IngestError
from contractbook.reading.files import identify, problem, read_header
from contractbook.reading.header import EMPTY, fit

from .sql import ident, lit

CORRUPT = "_corrupt_record"
QUOTING = r'^"[^"]*"[^",]'  # a field that kept its closing quote and text after it
REPLACEMENT = "\ufffd"


@dataclass
class SparkSource:
    """One CSV read by Spark: the DataFrame (strings, `_row` ordinal, `_csv` kind), header facts."""

    table: str
    path: Path
    frame: object = None
    present: list[str] = field(default_factory=list)
    position: dict[str, int] = field(default_factory=dict)  # present column -> header position
    warnings: list[str] = field(default_factory=list)


def _quoting_at(fields: list[str]) -> str:
    """Spark SQL: the 1-based position of a record's first quoting field (0: none)."""
    cols = ", ".join(ident(h) for h in fields)
    quoting = f"x -> coalesce(x RLIKE '{QUOTING}', false)"
    return f"array_position(transform(array({cols}), {quoting}), true)"


def _kind_expr(fields: list[str]) -> str:
    """Spark SQL: the csv defect kind of a record (NULL for a well-formed one); reads _qpos."""
    cols = ", ".join(ident(h) for h in fields)
    return (
        f"CASE WHEN {ident(CORRUPT)} IS NOT NULL THEN 'column_count' "
        f"WHEN exists(array({cols}), x -> contains(x, '{REPLACEMENT}')) THEN 'encoding' "
        "WHEN _qpos > 0 THEN 'quoting' END"
    )


def _parsed_expr(n_fields: int) -> str:
    """Spark SQL: how many leading fields of an encoding or quoting record were parsed as CSV
    (0 for Spark's own malformed record, whose fields may be shifted)."""
    return (
        f"CASE WHEN {ident(CORRUPT)} IS NOT NULL THEN 0 "
        f"WHEN _qpos > 0 THEN _qpos - 1 ELSE {int(n_fields)} END"
    )


def empty(spark, table: str, columns: list[str], path: Path) -> SparkSource:
    """A table whose file could not be read: 0 rows of the contract's columns."""
    return _empty(spark, SparkSource(table, Path(path)), columns)


# csv defect kind -> the DuckDB reader's detail (reading/records.py); column_count is counted
QUOTE_DETAIL = "quote left open or not at a field's start or end"
ENCODING_DETAIL = "invalid UTF-8"


def _detail_expr(n_header: int) -> str:
    """Spark SQL: a malformed record's detail as the DuckDB reader words it.

    The field count of a column_count record: its commas outside quoted fields, plus one.
    """
    unquoted = "regexp_replace(regexp_replace(_text, '[\\r\\n]+$', ''), '\"([^\"]|\"\")*\"', '')"
    fields = f"size(split({unquoted}, ',', -1))"
    return (
        f"CASE _csv WHEN 'column_count' THEN concat(CAST({fields} AS STRING), "
        f"' fields, header has {int(n_header)}') "
        f"WHEN 'encoding' THEN {lit(ENCODING_DETAIL)} WHEN 'quoting' THEN {lit(QUOTE_DETAIL)} END"
    )


def _empty(spark, s: SparkSource, columns: list[str]) -> SparkSource:
    """A file with no header: 0 rows of the contract's columns."""
    from pyspark.sql import types as T

    schema = T.StructType([T.StructField(c, T.StringType()) for c in columns])
    s.frame = spark.createDataFrame([], schema).selectExpr(
        "*",
        "CAST(NULL AS BIGINT) AS _row",
        "CAST(NULL AS STRING) AS _csv",
        "CAST(NULL AS STRING) AS _text",
        "CAST(NULL AS STRING) AS _detail",
        "CAST(NULL AS INT) AS _parsed",
    )
    s.present = list(columns)
    s.position = {c: i for i, c in enumerate(columns)}
    return s


def source(spark, table: str, columns: list[str], path: Path) -> SparkSource:
    """The CSV as a DataFrame: contract columns as strings (empty = NULL), `_row`, `_csv`, `_text`.

    The header checks and warnings are the DuckDB reader's (`reading/header.py`); Spark reads
    the fields by position (c0, c1, ...), so any header the reader accepts is read.
    """
    from pyspark.sql import types as T

    path = Path(path)
    s = SparkSource(table, path)
    if (why := problem(path)) is not None:
        raise IngestError(why)
    if (f := identify(path)).format != "csv" or f.compression:
        raise IngestError(
            f"{path}: {f.compression or f.format} input; the Spark engine reads plain CSV only: "
            "use --engine duckdb for it, or give the table as an uncompressed CSV"
        )
    header = read_header(path)
    if header is None:
        s.warnings.append(f"{path}: {EMPTY}; read as 0 rows")
        return _empty(spark, s, columns)
    found = fit(path, header, columns)
    s.present, s.warnings = found.present, [*s.warnings, *found.warnings]
    s.position = {c: found.position[c] for c in found.present}
    fields = [f"c{i}" for i in range(len(header))]
    schema = T.StructType(
        [T.StructField(f, T.StringType()) for f in fields]
        + [T.StructField(CORRUPT, T.StringType())]
    )
    raw = (
        spark.read.schema(schema)
        .options(
            header=True,
            multiLine=True,
            mode="PERMISSIVE",
            columnNameOfCorruptRecord=CORRUPT,
            quote='"',
            escape='"',
            sep=",",
            encoding="UTF-8",
            unescapedQuoteHandling="STOP_AT_DELIMITER",
            enforceSchema=True,
        )
        .csv(str(path))
    )
    cols = [f"nullif({ident(f)}, '') AS {ident(f)}" for f in fields]
    text = f"coalesce({ident(CORRUPT)}, concat_ws(',', {', '.join(ident(f) for f in fields)}))"
    named = [f"{ident(f'c{found.position[c]}')} AS {ident(c)}" for c in s.present]
    frame = (
        raw.selectExpr(*cols, ident(CORRUPT), "monotonically_increasing_id() AS _row")
        .selectExpr("*", f"{_quoting_at(fields)} AS _qpos")
        .selectExpr(
            *named,
            "_row",
            f"{_kind_expr(fields)} AS _csv",
            f"{text} AS _text",
            f"{_parsed_expr(len(fields))} AS _parsed",
        )
    )
    s.frame = frame.selectExpr("*", f"{_detail_expr(len(header))} AS _detail")
    return s
