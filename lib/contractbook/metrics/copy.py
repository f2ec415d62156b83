"""A local DuckDB copy of what ingest loaded into a server or a Delta folder, for the dashboard.

The dashboard computes in DuckDB. When the destination is PostgreSQL or Delta files, the accepted
rows and the rejects of every contract table are copied once per run into a DuckDB file under the
dashboard's own product, in the schema ingest loaded into, as Arrow (no row loop).
"""

from __future__ import annotations

from pathlib import Path

from contractbook.contract import Contract, naming
from contractbook.sqltext import ident


def _tables(contract: Contract) -> list[str]:
    """The warehouse tables ingest loaded: physicalName (else name) and its rejects."""
    return [n for t in contract.tables for n in (t.physical, f"{t.physical}__rejects")]


def _postgres(contract: Contract, schema: str):
    """(table, Arrow table) of each loaded table, read from PostgreSQL (credentials from the
    environment, as the ingest used them)."""
    import pandas as pd
    import psycopg2
    import pyarrow as pa

    from contractbook.ingest import destinations

    dsn = destinations.get("postgres")._credentials().to_native_representation()
    with psycopg2.connect(dsn) as pg:
        for name in _tables(contract):
            with pg.cursor() as cur:
                cur.execute(
                    "SELECT to_regclass(%s)",
                    [f"{ident(schema, 'postgres')}.{ident(name, 'postgres')}"],
                )
                if cur.fetchone()[0] is None:
                    continue
                cur.execute(f"SELECT * FROM {ident(schema, 'postgres')}.{ident(name, 'postgres')}")
                cols = [d[0] for d in cur.description]
                yield (
                    name,
                    pa.Table.from_pandas(
                        pd.DataFrame(cur.fetchall(), columns=cols), preserve_index=False
                    ),
                )


def _delta(contract: Contract, schema: str, folder: Path):
    """(table, Arrow table) of each Delta table ingest wrote under folder/<schema>/."""
    from deltalake import DeltaTable

    for name in _tables(contract):
        path = folder / schema / name
        if (path / "_delta_log").is_dir():
            yield name, DeltaTable(str(path)).to_pyarrow_table()


def local_copy(contract: Contract, destination: str, location: str, out: Path) -> Path:
    """A DuckDB file at out holding the loaded tables of destination, in the ingest's schema."""
    import duckdb

    schema = naming.loaded_dataset(contract, destination)
    if destination == "postgres":
        tables = _postgres(contract, schema)
    elif destination == "filesystem":
        tables = _delta(contract, schema, Path(location))
    else:
        raise ValueError(f"no local copy for destination {destination!r}")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.unlink(missing_ok=True)
    with duckdb.connect(str(out)) as con:
        con.execute(f"CREATE SCHEMA {ident(schema)}")
        for name, arrow in tables:
            con.register("_copy", arrow)
            con.execute(f"CREATE TABLE {ident(schema)}.{ident(name)} AS SELECT * FROM _copy")
            con.unregister("_copy")
    return out
