"""One module per SQL dialect, each defining DIALECT (a contractbook.ddl.dialect.Dialect)."""
