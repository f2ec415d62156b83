"""Where a suite runs: raw CSV text (pandas) or a typed SQL warehouse; per-target type knowledge."""

from __future__ import annotations

from dataclasses import dataclass, field

from contractbook.contract.kinds import by_field
from contractbook.registry import lookup

# Raw CSV text -> what a value of each kind must look like, as written (CSV conventions).
# Kinds parsed with a strftime format (DATETIME_FORMATS) are checked that way instead.
TEXT_PATTERNS: dict[str, str] = {k: r for k, r in by_field("text_regex").items() if r}

# Kinds whose text is parsed with a strftime format (the column's `format`, else this default).
DATETIME_FORMATS: dict[str, str] = {k: f for k, f in by_field("datetime_format").items() if f}

# ODCS/Java date-format tokens -> strftime, longest first.
JAVA_FORMAT_TOKENS = (
    ("yyyy", "%Y"),
    ("MM", "%m"),
    ("dd", "%d"),
    ("HH", "%H"),
    ("mm", "%M"),
    ("ss", "%S"),
    ("XXX", "%z"),
    ("Z", "%z"),
)

# SQL warehouses -> the column type texts GX accepts per kind ({…} filled per column). GX compares
# them case-insensitively with the reflected type compiled by the dialect (DuckDB: via the shim).
# duckdb-engine reflects DOUBLE as FLOAT and TIMESTAMPTZ as TIMESTAMP, so DuckDB cannot tell those.
SQL_TYPE_NAMES: dict[str, dict[str, list[str]]] = {
    engine: {k: list(names[engine]) for k, names in by_field("gx_types").items() if engine in names}
    for engine in ("duckdb", "postgres")
}
# Spark: pyspark.sql.types class names (GX checks isinstance; DecimalType has no precision here,
# so DECIMAL(10,2) cannot be told from DECIMAL(12,4)). Naive timestamps are NTZ.
SQL_TYPE_NAMES["spark"] = {
    "string": ["StringType", "VarcharType", "CharType"],
    "integer": ["IntegerType", "LongType", "ShortType"],
    "bigint": ["LongType"],
    "decimal": ["DecimalType"],
    "double": ["DoubleType"],
    "boolean": ["BooleanType"],
    "date": ["DateType"],
    "timestamp": ["TimestampNTZType"],
    "timestamptz": ["TimestampType"],
    "time": ["TimeType"],
}


@dataclass(frozen=True)
class GxTarget:
    """One place suites run: its engine, SQL dialect (sqlglot name) and capabilities."""

    name: str
    engine: str  # "pandas" | "sql"
    sqlglot_dialect: str | None = None
    description: str = ""
    type_names: dict[str, list[str]] = field(default_factory=dict)


TARGETS: dict[str, GxTarget] = {
    "csv": GxTarget("csv", "pandas", description="pre-load: raw CSV text read with pandas"),
    "duckdb": GxTarget(
        "duckdb",
        "sql",
        "duckdb",
        "post-load: DuckDB warehouse (via the shim)",
        SQL_TYPE_NAMES["duckdb"],
    ),
    "postgres": GxTarget(
        "postgres", "sql", "postgres", "post-load: PostgreSQL warehouse", SQL_TYPE_NAMES["postgres"]
    ),
    "spark": GxTarget(
        "spark",
        "sql",
        "spark",
        "post-load: Spark DataFrames (local or Databricks)",
        SQL_TYPE_NAMES["spark"],
    ),
}


def target(name: str) -> GxTarget:
    """The target called name; a clear error listing the known ones otherwise."""
    return lookup(TARGETS, name, "GX target")


def type_names(tgt: GxTarget, kind: str, precision=None, scale=None, length=None) -> list[str]:
    """Accepted type names of one column on a SQL target, templates filled, unfillable dropped."""
    if kind not in tgt.type_names:
        raise ValueError(f"type kind {kind!r} has no {tgt.name} type mapping")
    values = {"precision": precision, "scale": scale, "length": length}
    out = []
    for name in tgt.type_names[kind]:
        fields = [f for f in values if "{" + f + "}" in name]
        if all(values[f] is not None for f in fields):
            out.append(name.format(**values))
    return list(dict.fromkeys(out))


def strftime_format(java_format: str | None, kind: str, column: str) -> str:
    """The strftime format of a date/time column (from its ODCS format, else the CSV default)."""
    if not java_format:
        return DATETIME_FORMATS[kind]
    out = java_format
    for token, directive in JAVA_FORMAT_TOKENS:
        out = out.replace(token, directive)
    leftover = [ch for ch in out.replace("%", "") if ch.isalpha() and f"%{ch}" not in out]
    if leftover:
        raise ValueError(
            f"column {column!r}: date format {java_format!r} has tokens "
            f"contractbook cannot translate ({''.join(leftover)}); use yyyy MM dd HH mm ss"
        )
    return out
