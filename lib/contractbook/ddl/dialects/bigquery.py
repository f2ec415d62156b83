"""BigQuery: datasets as schemas, OPTIONS(description), keys declared NOT ENFORCED, no UNIQUE."""

from contractbook.ddl.dialect import Dialect

from ._common import STANDARD_ALTERS

DIALECT = Dialect(
    name="bigquery",
    title="BigQuery",
    sqlglot="bigquery",
    preamble=("CREATE SCHEMA IF NOT EXISTS {schema} OPTIONS (description = {comment});",),
    table_suffix=") OPTIONS (description = {comment})",
    column_comment=" OPTIONS (description = {text})",
    primary_key="PRIMARY KEY ({columns}) NOT ENFORCED",
    unique=None,
    unique_note="BigQuery has no UNIQUE constraint; the pipeline checks uniqueness",
    foreign_key=(
        "CONSTRAINT {name} FOREIGN KEY ({columns}) REFERENCES {ref} ({ref_columns}) NOT ENFORCED"
    ),
    enforces_keys=False,
    key_note="informational: BigQuery declares keys NOT ENFORCED (used by the optimizer only)",
    alters={
        k: v
        for k, v in STANDARD_ALTERS.items()
        if k not in ("set_not_null", "add_unique", "drop_unique")
    }
    | {
        "drop_primary_key": "ALTER TABLE {table} DROP PRIMARY KEY;",
        "table_comment": "ALTER TABLE {table} SET OPTIONS (description = {text});",
        "column_comment": (
            "ALTER TABLE {table} ALTER COLUMN {column} SET OPTIONS (description = {text});"
        ),
    },
    max_identifier_bytes=300,
    identifier_limit_note=" (columns 300 characters, tables 1024 bytes)",
    max_table_bytes=1024,
    refused_chars={
        "table": (
            r"[^\w\s\-]|[\t\n\r\f\v]",
            "table names are letters, marks, numbers, connectors, dashes and spaces",
        ),
        "column": (
            r"[!\"$()*,./;?@\[\\\]^`{}~]",
            'flexible column names exclude ! " $ ( ) * , . / ; ? @ [ \\ ] ^ ` { } ~',
        ),
    },
)
