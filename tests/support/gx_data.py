"""A tiny, clean olist_mini dataset written by hand (for GX tests; independent of synth/ingest)."""

from __future__ import annotations

import csv
from pathlib import Path


def _h(prefix: str, i: int) -> str:
    return f"{prefix}{i:02d}".ljust(32, "0")[:32]


C = [_h("c", i) for i in range(3)]
U = [_h("a", i) for i in range(3)]
O = [_h("b", i) for i in range(3)]  # noqa: E741 - order ids
P = [_h("d", i) for i in range(2)]
S = [_h("e", i) for i in range(2)]
R = [_h("f", i) for i in range(2)]
TS = "2017-10-02 10:56:33"
TS2 = "2017-10-04 19:55:00"

ROWS: dict[str, list[list]] = {
    "customers": [[C[i], U[i], "01234", "sao paulo", "SP"] for i in range(3)],
    "geolocation": [
        ["01234", "-23.5", "-46.6", "sao paulo", "SP"],
        ["01234", "-23.5", "-46.6", "sao paulo", "SP"],
    ],
    "product_category_name_translation": [
        ["beleza_saude", "health_beauty"],
        ["cama_mesa", "bed_table"],
    ],
    "products": [
        [P[0], "beleza_saude", "40", "287", "1", "225", "16", "10", "14"],
        [P[1], "", "", "", "", "", "", "", ""],
    ],
    "sellers": [[S[i], "13023", "campinas", "SP"] for i in range(2)],
    "orders": [
        [O[0], C[0], "delivered", TS, TS, TS2, TS2, TS2],
        [O[1], C[1], "shipped", TS, TS, TS2, "", TS2],
        [O[2], C[2], "created", TS, "", "", "", TS2],
    ],
    "order_items": [
        [O[0], "1", P[0], S[0], TS2, "29.99", "8.72"],
        [O[0], "2", P[1], S[1], TS2, "10.00", "0.00"],
        [O[1], "1", P[0], S[0], TS2, "5.50", "1.50"],
    ],
    "order_payments": [
        [O[0], "1", "credit_card", "3", "40.00"],
        [O[0], "2", "voucher", "1", "8.71"],
        [O[1], "1", "boleto", "1", "7.00"],
    ],
    "order_reviews": [
        [R[0], O[0], "5", "", 'Good, "very" good\nthanks', TS2, TS2],
        [R[0], O[1], "4", "ok", "", TS2, TS2],
    ],
}


def write_csvs(contract, out: Path, rows: dict[str, list[list]] | None = None) -> Path:
    """Write <table>.csv for every contract table (header = contract columns) into out."""
    out.mkdir(parents=True, exist_ok=True)
    for t in contract.tables:
        with open(out / f"{t.name}.csv", "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(t.column_names)
            w.writerows((rows or ROWS)[t.name])
    return out


DUCKDB_TYPES = {
    "string": "VARCHAR",
    "integer": "BIGINT",
    "bigint": "BIGINT",
    "double": "DOUBLE",
    "timestamp": "TIMESTAMP",
}


def load_duckdb(contract, csv_dir: Path, db: Path, schema: str = "olist") -> Path:
    """Typed tables created from the contract in db.schema, filled from csv_dir (TRY_CAST)."""
    import duckdb

    con = duckdb.connect(str(db))
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
    for t in contract.tables:
        types = {
            c.name: (
                f"DECIMAL({c.type.precision},{c.type.scale})"
                if c.type.kind == "decimal"
                else DUCKDB_TYPES[c.type.kind]
            )
            for c in t.columns
        }
        cols = ", ".join(f"{n} {ty}" for n, ty in types.items())
        con.execute(f"CREATE OR REPLACE TABLE {schema}.{t.name} ({cols})")
        select = ", ".join(f"TRY_CAST({n} AS {ty})" for n, ty in types.items())
        text = "{" + ", ".join(f"'{n}': 'VARCHAR'" for n in types) + "}"
        # staged as text first: DuckDB 2.0 pushes even TRY_CAST into the CSV reader, which raises
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE raw AS SELECT * FROM read_csv("
            f"'{csv_dir / (t.name + '.csv')}', columns={text}, header=true, "
            "auto_detect=false, delim=',', quote='\"', escape='\"')"
        )
        con.execute(f"INSERT INTO {schema}.{t.name} SELECT {select} FROM raw")
    con.close()
    return db


def load_frames_duckdb(contract, frames: dict, db: Path, schema: str = "olist") -> Path:
    """Typed tables from text frames (pre-load rows), values cast with TRY_CAST (bad -> NULL)."""
    import duckdb

    con = duckdb.connect(str(db))
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
    for t in contract.tables:
        types = {
            c.name: (
                f"DECIMAL({c.type.precision},{c.type.scale})"
                if c.type.kind == "decimal"
                else DUCKDB_TYPES[c.type.kind]
            )
            for c in t.columns
        }
        con.execute(
            f"CREATE OR REPLACE TABLE {schema}.{t.name} "
            f"({', '.join(f'{n} {ty}' for n, ty in types.items())})"
        )
        text = frames[t.name][list(types)].reset_index(drop=True)  # noqa: F841 - read by DuckDB
        con.execute(
            f"INSERT INTO {schema}.{t.name} SELECT "
            f"{', '.join(f'TRY_CAST({n} AS {ty})' for n, ty in types.items())} FROM text"
        )
    con.close()
    return db
