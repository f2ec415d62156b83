"""PostgreSQL: enforced keys, B-tree indexes on FK columns, COMMENT ON; changes alter in place."""

from contractbook.ddl.dialect import Dialect

from ._common import STANDARD_ALTERS

DIALECT = Dialect(
    name="postgres",
    title="PostgreSQL",
    sqlglot="postgres",
    comment_statements=True,
    index="CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns});",
    key_note="enforced by PostgreSQL",
    alters=STANDARD_ALTERS
    | {
        "widen_type": "ALTER TABLE {table} ALTER COLUMN {column} TYPE {type};",
        "change_type": (
            "ALTER TABLE {table} ALTER COLUMN {column} TYPE {type} USING {column}::{type};"
        ),
        "create_index": "CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns});",
        "drop_index": "DROP INDEX IF EXISTS {qname};",
    },
    max_identifier_bytes=63,
    identifier_limit_note=" (NAMEDATALEN - 1; longer names are silently truncated)",
)
