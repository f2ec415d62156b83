"""Snowflake: upper-case quoted identifiers, inline COMMENTs, keys declared but informational."""

from contractbook.ddl.dialect import Dialect

from ._common import STANDARD_ALTERS

DIALECT = Dialect(
    name="snowflake",
    title="Snowflake",
    sqlglot="snowflake",
    preamble=("CREATE SCHEMA IF NOT EXISTS {schema} COMMENT = {comment};",),
    table_suffix=") COMMENT = {comment}",
    column_comment=" COMMENT {text}",
    enforces_keys=False,
    key_note="informational: Snowflake enforces only NOT NULL",
    # Snowflake alters types only towards longer VARCHAR or more NUMBER precision.
    alters=dict(STANDARD_ALTERS),
    max_identifier_bytes=255,
    identifier_limit_note="",
)
