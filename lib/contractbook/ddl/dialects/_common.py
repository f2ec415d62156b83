"""ALTER templates most engines share; dialect modules start from these and override."""

STANDARD_ALTERS = {
    "add_column": "ALTER TABLE {table} ADD COLUMN {column_def};",
    "drop_column": "ALTER TABLE {table} DROP COLUMN {column};",
    "widen_type": "ALTER TABLE {table} ALTER COLUMN {column} SET DATA TYPE {type};",
    "set_not_null": "ALTER TABLE {table} ALTER COLUMN {column} SET NOT NULL;",
    "drop_not_null": "ALTER TABLE {table} ALTER COLUMN {column} DROP NOT NULL;",
    "drop_primary_key": "ALTER TABLE {table} DROP CONSTRAINT {name};",
    "add_primary_key": "ALTER TABLE {table} ADD {constraint};",
    "drop_unique": "ALTER TABLE {table} DROP CONSTRAINT {name};",
    "add_unique": "ALTER TABLE {table} ADD {constraint};",
    "drop_foreign_key": "ALTER TABLE {table} DROP CONSTRAINT {name};",
    "add_foreign_key": "ALTER TABLE {table} ADD {constraint};",
    "table_comment": "COMMENT ON TABLE {table} IS {text};",
    "column_comment": "COMMENT ON COLUMN {table}.{column} IS {text};",
}
