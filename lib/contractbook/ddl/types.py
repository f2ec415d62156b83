"""Type maps as data: portable type kind -> SQL type per dialect, with each engine's limits."""

from __future__ import annotations

from dataclasses import dataclass


class DdlError(ValueError):
    """A contract that cannot be rendered as DDL: unknown dialect, unmappable column type."""


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
        checks = ((self.max_precision, precision), (self.max_scale, scale),
                  (self.max_length, length),
                  (self.max_integer_digits, None if precision is None else precision - (scale or 0)))
        return all(limit is None or value is None or value <= limit for limit, value in checks)


# Keys are the kinds of contractbook.contract.KINDS, plus "string(n)" for strings with a length.
# A value is one Fit or a tuple of Fits tried in order (the first that holds wins).
TYPES: dict[str, dict[str, Fit | tuple[Fit, ...]]] = {
    "duckdb": {
        "string": Fit("VARCHAR"),
        # DuckDB accepts VARCHAR(n) but ignores n; the pipeline checks lengths instead.
        "string(n)": Fit("VARCHAR", note="DuckDB does not enforce VARCHAR lengths"),
        "integer": Fit("INTEGER"),
        "bigint": Fit("BIGINT"),
        "decimal": Fit("DECIMAL({precision},{scale})", max_precision=38),
        "double": Fit("DOUBLE"),
        "boolean": Fit("BOOLEAN"),
        "date": Fit("DATE"),
        "timestamp": Fit("TIMESTAMP"),
        "timestamptz": Fit("TIMESTAMPTZ"),
        "time": Fit("TIME"),
    },
    "postgres": {
        "string": Fit("TEXT"),
        "string(n)": Fit("VARCHAR({length})", max_length=10_485_760),
        "integer": Fit("INTEGER"),
        "bigint": Fit("BIGINT"),
        "decimal": Fit("NUMERIC({precision},{scale})", max_precision=1000),
        "double": Fit("DOUBLE PRECISION"),
        "boolean": Fit("BOOLEAN"),
        "date": Fit("DATE"),
        "timestamp": Fit("TIMESTAMP"),
        "timestamptz": Fit("TIMESTAMPTZ"),
        "time": Fit("TIME"),
    },
    "bigquery": {
        "string": Fit("STRING"),
        "string(n)": Fit("STRING({length})"),
        "integer": Fit("INT64"),
        "bigint": Fit("INT64"),
        "decimal": (Fit("NUMERIC({precision},{scale})", max_scale=9, max_integer_digits=29),
                    Fit("BIGNUMERIC({precision},{scale})", max_scale=38, max_integer_digits=38)),
        "double": Fit("FLOAT64"),
        "boolean": Fit("BOOL"),
        "date": Fit("DATE"),
        "timestamp": Fit("DATETIME"),
        "timestamptz": Fit("TIMESTAMP"),
        "time": Fit("TIME"),
    },
    "snowflake": {
        "string": Fit("VARCHAR"),
        "string(n)": Fit("VARCHAR({length})", max_length=16_777_216),
        "integer": Fit("INTEGER"),
        "bigint": Fit("BIGINT"),
        "decimal": Fit("NUMBER({precision},{scale})", max_precision=38),
        "double": Fit("DOUBLE"),
        "boolean": Fit("BOOLEAN"),
        "date": Fit("DATE"),
        "timestamp": Fit("TIMESTAMP_NTZ"),
        "timestamptz": Fit("TIMESTAMP_TZ"),
        "time": Fit("TIME"),
    },
    "databricks": {
        "string": Fit("STRING"),
        "string(n)": Fit("VARCHAR({length})"),
        "integer": Fit("INT"),
        "bigint": Fit("BIGINT"),
        "decimal": Fit("DECIMAL({precision},{scale})", max_precision=38),
        "double": Fit("DOUBLE"),
        "boolean": Fit("BOOLEAN"),
        "date": Fit("DATE"),
        "timestamp": Fit("TIMESTAMP_NTZ"),
        "timestamptz": Fit("TIMESTAMP"),
        "time": Fit("STRING", note="Databricks has no TIME type: stored as HH:MM:SS text"),
    },
}


def _limits(fit: Fit) -> str:
    parts = [f"{k.replace('max_', '').replace('_', ' ')} at most {v}"
             for k, v in vars(fit).items() if k.startswith("max_") and v is not None]
    return f"{fit.template} ({', '.join(parts)})" if parts else fit.template


def sql_type(types: dict, dialect: str, ctype, where: str) -> Fit:
    """The Fit rendering ctype in this dialect; DdlError naming `where` when none holds."""
    key = "string(n)" if ctype.kind == "string" and ctype.length else ctype.kind
    if key not in types:
        raise DdlError(f"column {where}: type {ctype} has no {dialect} mapping "
                         f"(mapped kinds: {', '.join(types)})")
    fits = types[key] if isinstance(types[key], tuple) else (types[key],)
    for fit in fits:
        if fit.holds(ctype.precision, ctype.scale, ctype.length):
            return fit
    raise DdlError(f"column {where}: type {ctype} does not fit any {dialect} type: "
                     f"{'; '.join(_limits(f) for f in fits)}; change its physicalType")

# The keys every dialect's map must define: each portable kind, plus strings with a length.
KINDS_MAPPED = ("string", "string(n)", "integer", "bigint", "decimal", "double", "boolean", "date",
                "timestamp", "timestamptz", "time")
