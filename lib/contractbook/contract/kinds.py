"""TYPE_KINDS: every portable type kind, with what each generator needs of it, as one table.

Each consumer reads its own field (DDL: `sql`; ingest: `cast`/`cast_regex` and `dlt`; JSON
Schema: `json_schema`; GX: `text_regex`/`gx_types`/`pandas`; synth: `synth`/`csv_text`/`breaker`).
Fields holding a *recipe* name (cast, pandas, synth, breaker) pick one of a few strategies the
consumer defines once; adding a kind that reuses them is one entry here plus its test.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from contractbook.registry import lookup


@dataclass(frozen=True)
class Fit:
    """One SQL type template and the limits within which it holds (None = no limit)."""

    template: str
    max_precision: int | None = None
    max_scale: int | None = None
    max_integer_digits: int | None = None
    max_length: int | None = None
    note: str = ""

    def holds(self, precision: int | None, scale: int | None, length: int | None) -> bool:
        """True when the type's parameters lie within this template's limits."""
        checks = (
            (self.max_precision, precision),
            (self.max_scale, scale),
            (self.max_length, length),
            (self.max_integer_digits, None if precision is None else precision - (scale or 0)),
        )
        return all(limit is None or value is None or value <= limit for limit, value in checks)


@dataclass(frozen=True)
class Kind:
    """One portable type kind and its form in every engine and generator."""

    name: str
    family: str  # kinds of one family may reference each other (FKs)
    sql: dict[str, Fit | tuple[Fit, ...]]  # dialect -> SQL type (the first Fit that holds)
    json_schema: dict  # JSON Schema of a value in a JSON record
    dlt: dict  # dlt column hint fragment
    cast: str  # ingest: strict cast recipe of the raw CSV text
    synth: str  # synth: clean value generator recipe
    breaker: str | None = None  # synth: recipe writing a text that does not cast (type defect)
    text_regex: str | None = None  # what the CSV text must look like (GX pre-load, casts)
    cast_regex: str | None = None  # the ingest cast's regex where it differs from text_regex
    datetime_format: str | None = None  # default strftime of date/time text
    json_type: str | None = None  # DuckDB json_type() a JSON value must have
    pandas: str = "text"  # GX pre-load: parser recipe of the text column
    gx_types: dict[str, tuple[str, ...]] = field(default_factory=dict)  # target -> reflected names
    sized: dict[str, Fit] = field(default_factory=dict)  # dialect -> type with a length (strings)


_INT = r"^[+-]?[0-9]+$"
_DOUBLE = r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$"
_TS = r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d+)?"
_INTS = ("INTEGER", "BIGINT", "SMALLINT")
_JSON_SQL: dict[str, Fit | tuple[Fit, ...]] = {
    "duckdb": Fit("JSON"),
    "postgres": Fit("JSONB"),
    "bigquery": Fit("JSON"),
    "snowflake": Fit("VARIANT"),
    "databricks": Fit("STRING", note="Databricks stores JSON values as text"),
}
_JSON_GX: dict[str, tuple[str, ...]] = {
    "duckdb": ("JSON", "VARCHAR"),
    "postgres": ("JSONB", "JSON"),
}


def _json_kind(name: str, schema_type: str, json_type: str) -> Kind:
    """object / array / map: a JSON value of one shape, checked to parse as that shape."""
    return Kind(
        name,
        "json",
        _JSON_SQL,
        {"type": schema_type},
        {"data_type": "json"},
        cast="json",
        synth=name,
        breaker="json",
        json_type=json_type,
        pandas="json",
        gx_types=_JSON_GX,
    )


TYPE_KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind(
            "string",
            "text",
            {
                "duckdb": Fit("VARCHAR"),
                "postgres": Fit("TEXT"),
                "bigquery": Fit("STRING"),
                "snowflake": Fit("VARCHAR"),
                "databricks": Fit("STRING"),
            },
            {"type": "string"},
            {"data_type": "text"},
            cast="string",
            synth="string",
            gx_types={
                "duckdb": ("VARCHAR",),
                "postgres": ("TEXT", "VARCHAR", "VARCHAR({length})", "CHAR({length})"),
            },
            # DuckDB accepts VARCHAR(n) but ignores n; the pipeline checks lengths instead.
            sized={
                "duckdb": Fit("VARCHAR", note="DuckDB does not enforce VARCHAR lengths"),
                "postgres": Fit("VARCHAR({length})", max_length=10_485_760),
                "bigquery": Fit("STRING({length})"),
                "snowflake": Fit("VARCHAR({length})", max_length=16_777_216),
                "databricks": Fit("VARCHAR({length})"),
            },
        ),
        Kind(
            "integer",
            "int",
            {
                "duckdb": Fit("INTEGER"),
                "postgres": Fit("INTEGER"),
                "bigquery": Fit("INT64"),
                "snowflake": Fit("INTEGER"),
                "databricks": Fit("INT"),
            },
            {"type": "integer"},
            {"data_type": "bigint", "precision": 32},
            cast="regex",
            synth="integer",
            breaker="not_a_number",
            text_regex=_INT,
            pandas="numeric",
            gx_types={"duckdb": _INTS, "postgres": _INTS},
        ),
        Kind(
            "bigint",
            "int",
            {
                "duckdb": Fit("BIGINT"),
                "postgres": Fit("BIGINT"),
                "bigquery": Fit("INT64"),
                "snowflake": Fit("BIGINT"),
                "databricks": Fit("BIGINT"),
            },
            {"type": "integer"},
            {"data_type": "bigint"},
            cast="regex",
            synth="integer",
            breaker="not_a_number",
            text_regex=_INT,
            pandas="numeric",
            gx_types={"duckdb": ("BIGINT",), "postgres": ("BIGINT",)},
        ),
        Kind(
            "decimal",
            "num",
            {
                "duckdb": Fit("DECIMAL({precision},{scale})", max_precision=38),
                "postgres": Fit("NUMERIC({precision},{scale})", max_precision=1000),
                "bigquery": (
                    Fit("NUMERIC({precision},{scale})", max_scale=9, max_integer_digits=29),
                    Fit("BIGNUMERIC({precision},{scale})", max_scale=38, max_integer_digits=38),
                ),
                "snowflake": Fit("NUMBER({precision},{scale})", max_precision=38),
                "databricks": Fit("DECIMAL({precision},{scale})", max_precision=38),
            },
            {"type": "number"},
            {"data_type": "decimal"},
            cast="decimal",
            synth="decimal",
            breaker="decimal_comma",
            pandas="numeric",
            gx_types={
                "duckdb": ("NUMERIC({precision}, {scale})",),
                "postgres": ("NUMERIC({precision}, {scale})",),
            },
        ),
        Kind(
            "double",
            "num",
            {
                "duckdb": Fit("DOUBLE"),
                "postgres": Fit("DOUBLE PRECISION"),
                "bigquery": Fit("FLOAT64"),
                "snowflake": Fit("DOUBLE"),
                "databricks": Fit("DOUBLE"),
            },
            {"type": "number"},
            {"data_type": "double"},
            cast="regex",
            synth="double",
            breaker="decimal_comma",
            text_regex=_DOUBLE,
            cast_regex=r"^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?$",
            pandas="numeric",
            gx_types={"duckdb": ("FLOAT",), "postgres": ("DOUBLE PRECISION", "REAL")},
        ),
        Kind(
            "boolean",
            "bool",
            {
                "duckdb": Fit("BOOLEAN"),
                "postgres": Fit("BOOLEAN"),
                "bigquery": Fit("BOOL"),
                "snowflake": Fit("BOOLEAN"),
                "databricks": Fit("BOOLEAN"),
            },
            {"type": "boolean"},
            {"data_type": "bool"},
            cast="boolean",
            synth="boolean",
            breaker="not_a_boolean",
            text_regex=r"^(true|false|TRUE|FALSE|True|False|1|0)$",
            pandas="boolean",
            gx_types={"duckdb": ("BOOLEAN",), "postgres": ("BOOLEAN",)},
        ),
        Kind(
            "date",
            "date",
            {
                "duckdb": Fit("DATE"),
                "postgres": Fit("DATE"),
                "bigquery": Fit("DATE"),
                "snowflake": Fit("DATE"),
                "databricks": Fit("DATE"),
            },
            {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
            {"data_type": "date"},
            cast="strptime",
            synth="date",
            breaker="day_first",
            text_regex=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
            datetime_format="%Y-%m-%d",
            pandas="datetime",
            gx_types={"duckdb": ("DATE",), "postgres": ("DATE",)},
        ),
        Kind(
            "timestamp",
            "ts",
            {
                "duckdb": Fit("TIMESTAMP"),
                "postgres": Fit("TIMESTAMP"),
                "bigquery": Fit("DATETIME"),
                "snowflake": Fit("TIMESTAMP_NTZ"),
                "databricks": Fit("TIMESTAMP_NTZ"),
            },
            {"type": "string", "pattern": _TS + "$"},
            {"data_type": "timestamp", "timezone": False},
            cast="strptime",
            synth="timestamp",
            breaker="day_first",
            datetime_format="%Y-%m-%d %H:%M:%S",
            pandas="datetime",
            # dlt may store naive timestamps WITH TIME ZONE: both spellings are accepted.
            gx_types={
                "duckdb": ("TIMESTAMP WITHOUT TIME ZONE",),
                "postgres": ("TIMESTAMP WITHOUT TIME ZONE", "TIMESTAMP WITH TIME ZONE"),
            },
        ),
        Kind(
            "timestamptz",
            "ts",
            {
                "duckdb": Fit("TIMESTAMPTZ"),
                "postgres": Fit("TIMESTAMPTZ"),
                "bigquery": Fit("TIMESTAMP"),
                "snowflake": Fit("TIMESTAMP_TZ"),
                "databricks": Fit("TIMESTAMP"),
            },
            {"type": "string", "pattern": _TS + r"(Z|[+-]\d{2}(:?\d{2})?)$"},
            {"data_type": "timestamp", "timezone": True},
            cast="strptime",
            synth="timestamptz",
            breaker="day_first",
            datetime_format="%Y-%m-%d %H:%M:%S%z",
            pandas="datetime",
            # duckdb-engine reflects TIMESTAMPTZ as TIMESTAMP, so DuckDB cannot tell the two apart.
            gx_types={
                "duckdb": ("TIMESTAMP WITHOUT TIME ZONE",),
                "postgres": ("TIMESTAMP WITH TIME ZONE",),
            },
        ),
        Kind(
            "time",
            "time",
            {
                "duckdb": Fit("TIME"),
                "postgres": Fit("TIME"),
                "bigquery": Fit("TIME"),
                "snowflake": Fit("TIME"),
                "databricks": Fit(
                    "STRING", note="Databricks has no TIME type: stored as HH:MM:SS text"
                ),
            },
            {"type": "string", "pattern": r"^\d{2}:\d{2}:\d{2}(\.\d+)?$"},
            {"data_type": "time"},
            cast="regex",
            synth="time",
            breaker="not_a_time",
            text_regex=r"^[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?$",
            cast_regex=r"^[0-9]{2}:[0-9]{2}:[0-9]{2}([.][0-9]{1,6})?$",
            gx_types={
                "duckdb": ("TIME WITHOUT TIME ZONE",),
                "postgres": ("TIME WITHOUT TIME ZONE",),
            },
        ),
        _json_kind("object", "object", "OBJECT"),
        _json_kind("array", "array", "ARRAY"),
        _json_kind("map", "object", "OBJECT"),
    )
}

DIALECT_NAMES = ("duckdb", "postgres", "bigquery", "snowflake", "databricks")


def kind(name: str) -> Kind:
    """The Kind called name; a clear error listing the known kinds otherwise."""
    return lookup(TYPE_KINDS, name, "type kind", KeyError)


def by_field(attr: str) -> dict:
    """kind -> one field of every kind (the old per-module tables, as views of this one)."""
    return {k.name: getattr(k, attr) for k in TYPE_KINDS.values()}
