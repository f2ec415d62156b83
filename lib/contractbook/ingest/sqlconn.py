"""The restricted DuckDB connection SQL rules run on, and the Arrow inputs handed to it."""

from __future__ import annotations

from contractbook.contract import Contract

from .plan import qi

# The connection SQL rules run on: no file, network or extension access, settings locked, so a
# rule can read only the tables handed to it (set at connect; it cannot be turned back on).
RESTRICTED: dict[str, str | bool | int | float | list[str]] = {
    "enable_external_access": False,
    "lock_configuration": True,
}


def restricted_connection(tables: dict):
    """A fresh in-memory DuckDB holding only `tables` (name -> Arrow), external access off.

    Why a separate connection: the work database must read the CSVs and write the rejects'
    Parquet, so it cannot lose file access; and once disabled, DuckDB cannot re-enable it.
    The rule therefore sees Arrow copies of exactly the contract tables it names (the
    candidate rows of its own table, the accepted rows of the others), nothing else.
    """
    import duckdb

    rc = duckdb.connect(config=RESTRICTED)
    for name, data in tables.items():
        rc.register(name, data)
    return rc


def rule_inputs(con, contract: Contract, table: str, trees, rows: str) -> dict:
    """name -> Arrow table for every contract table the rule trees read (own table: `rows`,
    the others: their accepted rows, so they must be checked already).

    Only the columns the rules name are copied (all of them when a rule selects `*`).
    """
    import duckdb
    from sqlglot import exp

    from contractbook.contract.sqlrules import tables_of

    names = set().union(*(tables_of(t) for t in trees))
    star = any(t.find(exp.Star) for t in trees)
    used = {c.name for t in trees for c in t.find_all(exp.Column)}
    out = {}
    for name in sorted(names & set(contract.table_names)):
        cols = contract.table(name).column_names
        cols = [c for c in cols if star or c in used] or cols
        src = rows if name == table else f"ok.{qi(name)}"
        try:
            out[name] = con.sql(
                f"SELECT {', '.join(qi(c) for c in cols)} FROM {src}"
            ).to_arrow_table()
        except duckdb.CatalogException:
            raise ValueError(
                f"a SQL rule of {table} reads {name}, which is checked after {table} "
                "(tables are checked parents first); put the rule on the later table"
            ) from None
    return out
