"""DuckDB: enforced keys, ART indexes, COMMENT ON; ALTER TABLE is narrow: most changes rebuild."""

from contractbook.ddl.dialect import Dialect

from ._common import STANDARD_ALTERS

DIALECT = Dialect(
    name="duckdb",
    title="DuckDB",
    sqlglot="duckdb",
    comment_statements=True,
    index="CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns});",
    key_note="enforced by DuckDB",
    # DuckDB cannot alter a table other tables reference, nor add/drop constraints or change a
    # keyed column's type: everything else goes through a rebuild of the table and its children.
    alters={k: STANDARD_ALTERS[k] for k in ("add_column", "table_comment", "column_comment")}
    | {
        "create_index": "CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns});",
        "drop_index": "DROP INDEX IF EXISTS {qname};",
    },
    rebuild_dependents=True,
)
