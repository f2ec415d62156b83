"""The one reader of every input file: CSV split into physical records, staged in DuckDB."""
