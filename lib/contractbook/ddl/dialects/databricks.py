"""Databricks (Unity Catalog, Delta): catalog.schema.table names, informational PK/FK, no UNIQUE."""

from contractbook.ddl.dialect import Dialect

from ._common import STANDARD_ALTERS

DIALECT = Dialect(
    name="databricks",
    title="Databricks",
    sqlglot="databricks",
    default_catalog="main",
    preamble=(
        "USE CATALOG {catalog};",
        "CREATE SCHEMA IF NOT EXISTS {schema} COMMENT {comment};",
        "USE SCHEMA {schema_name};",
    ),
    # Column mapping lets Delta drop and rename columns in place.
    table_suffix=(
        ") USING DELTA COMMENT {comment} TBLPROPERTIES ('delta.columnMapping.mode' = 'name')"
    ),
    column_comment=" COMMENT {text}",
    unique=None,
    unique_note="Databricks has no UNIQUE constraint; the pipeline checks uniqueness",
    enforces_keys=False,
    key_note="informational: Unity Catalog does not enforce PRIMARY KEY / FOREIGN KEY",
    # Delta cannot change a column's type in place: type changes rebuild the table.
    alters={
        k: v
        for k, v in STANDARD_ALTERS.items()
        if k not in ("widen_type", "add_unique", "drop_unique")
    }
    | {
        "column_comment": "ALTER TABLE {table} ALTER COLUMN {column} COMMENT {text};",
    },
    max_identifier_bytes=255,
    identifier_limit_note="",
    # Unity Catalog object names; column names are free (the tables use Delta column mapping)
    refused_chars={
        "table": (
            r"[. /\x00-\x1f\x7f]",
            "Unity Catalog names exclude the period, space, / and control characters",
        )
    },
)
