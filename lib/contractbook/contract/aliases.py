"""Physical types as engines spell them -> portable kind (plus default precision/scale/length)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Alias:
    """An engine's spelling of a type: its kind, and parameters implied when none are written."""

    kind: str
    precision: int | None = None
    scale: int | None = None
    length: int | None = None


def _all(kind: str, *names: str, **params) -> dict[str, Alias]:
    return {n: Alias(kind, **params) for n in names}


# Engine -> its spellings (lower case, spaces collapsed). A name several engines share is listed
# under the first; the lookup is the union. Parameters written in the contract win over these.
ENGINE_ALIASES: dict[str, dict[str, Alias]] = {
    "postgres": {
        **_all("integer", "int2", "int4", "serial", "serial2", "serial4", "smallserial"),
        **_all("bigint", "int8", "serial8", "bigserial"),
        **_all("string", "bpchar", "character", "character varying", "citext", "name"),
        "uuid": Alias("string", length=36),
        **_all("double", "float4", "float8", "double precision"),
        **_all("timestamp", "timestamp without time zone"),
        **_all("timestamptz", "timestamp with time zone"),
        **_all("time", "time without time zone"),
        **_all("object", "json", "jsonb"),
        "money": Alias("decimal", precision=19, scale=2),
    },
    "duckdb": {
        **_all("integer", "tinyint", "int1", "utinyint", "usmallint", "signed"),
        **_all("bigint", "uinteger", "hugeint", "ubigint"),
        **_all("string", "bpchar", "uuid"),
        **_all("object", "struct"),
        **_all("array", "list"),
        **_all("map", "map"),
    },
    "bigquery": {
        **_all("bigint", "int64"),
        "bignumeric": Alias("decimal", precision=38, scale=9),
        "bigdecimal": Alias("decimal", precision=38, scale=9),
        **_all("double", "float64"),
        **_all("array", "array"),
    },
    "snowflake": {
        "number": Alias("decimal", precision=38, scale=0),
        **_all("bigint", "byteint"),
        **_all("double", "float8", "double precision"),
        **_all("timestamp", "timestamp_ntz"),
        **_all("timestamptz", "timestamp_ltz"),
        **_all("object", "variant", "object"),
    },
    "databricks": {
        **_all("double", "float"),
        **_all("timestamp", "timestamp_ntz"),
        **_all("object", "variant"),
    },
    "mysql": {
        **_all("integer", "mediumint", "year"),
        **_all("string", "tinytext", "mediumtext", "longtext", "enum", "set"),
        "fixed": Alias("decimal", precision=10, scale=0),
    },
    "sqlserver": {
        **_all("string", "nvarchar", "nchar", "ntext", "uniqueidentifier", "sysname"),
        **_all("boolean", "bit"),
        **_all("timestamp", "datetime2", "smalldatetime"),
        **_all("timestamptz", "datetimeoffset"),
        "smallmoney": Alias("decimal", precision=10, scale=4),
    },
}
ALIASES: dict[str, Alias] = {}
for _names in ENGINE_ALIASES.values():
    for _name, _alias in _names.items():
        ALIASES.setdefault(_name, _alias)
# Collections written with their item type: text[], ARRAY<STRING>, MAP<STRING, INT>, STRUCT<...>.
CONTAINERS = {
    "[]": "array",
    "array": "array",
    "list": "array",
    "map": "map",
    "struct": "object",
    "object": "object",
}
