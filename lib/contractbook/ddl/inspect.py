"""Runner: read back what a database holds (columns, constraints, indexes, comments) for one schema.

Used to prove that DDL and migrations leave the catalog a fresh create from the contract would.
"""

from __future__ import annotations

_DUCKDB = {
    "columns": "SELECT table_name, column_name, data_type, is_nullable "
    "FROM information_schema.columns "
    "WHERE table_schema = ? AND table_name NOT LIKE '%__cb_backup'",
    "constraints": "SELECT table_name, constraint_type, constraint_column_names, referenced_table, "
    "referenced_column_names FROM duckdb_constraints() WHERE schema_name = ?",
    "indexes": "SELECT table_name, index_name, sql FROM duckdb_indexes() WHERE schema_name = ?",
    "comments": "SELECT table_name, NULL, comment FROM duckdb_tables() WHERE schema_name = ? "
    "UNION ALL SELECT table_name, column_name, comment FROM duckdb_columns() "
    "WHERE schema_name = ?",
}

_POSTGRES = {
    "columns": "SELECT table_name, column_name, data_type, character_maximum_length, "
    "numeric_precision, "
    "numeric_scale, is_nullable FROM information_schema.columns WHERE table_schema = %s",
    "constraints": "SELECT cl.relname, con.conname, con.contype, pg_get_constraintdef(con.oid) "
    "FROM pg_constraint con JOIN pg_class cl ON cl.oid = con.conrelid "
    "JOIN pg_namespace n ON n.oid = cl.relnamespace WHERE n.nspname = %s",
    "indexes": "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = %s",
    "comments": "SELECT c.relname, a.attname, col_description(c.oid, a.attnum) FROM pg_class c "
    "JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid "
    "WHERE n.nspname = %s AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped "
    "UNION ALL SELECT c.relname, NULL, obj_description(c.oid, 'pg_class') FROM pg_class c "
    "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s AND c.relkind = 'r'",
}


def _rows(rows) -> set[tuple]:
    return {tuple(tuple(v) if isinstance(v, list) else v for v in row) for row in rows}


def duckdb_catalog(con, schema: str) -> dict[str, set[tuple]]:
    """Aspect -> set of rows, for one schema of a DuckDB connection."""
    return {
        k: _rows(con.execute(q, [schema] * q.count("?")).fetchall()) for k, q in _DUCKDB.items()
    }


def postgres_catalog(con, schema: str) -> dict[str, set[tuple]]:
    """Aspect -> set of rows, for one schema of a psycopg2 connection."""
    out = {}
    with con.cursor() as cur:
        for k, q in _POSTGRES.items():
            cur.execute(q, [schema] * q.count("%s"))
            out[k] = _rows(cur.fetchall())
    return out


def try_duckdb(sql: str, schema: str) -> list[tuple]:
    """Run a CREATE script in a throwaway DuckDB; (table, constraint, columns, refs) rows."""
    import duckdb

    con = duckdb.connect(":memory:")
    con.execute(sql)
    return con.execute(
        "SELECT table_name, constraint_type, constraint_column_names, referenced_table "
        "FROM duckdb_constraints() WHERE schema_name = ? AND constraint_type <> 'NOT NULL' "
        "ORDER BY table_name, constraint_index",
        [schema],
    ).fetchall()
