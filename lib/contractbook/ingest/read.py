"""Read one CSV as all-VARCHAR columns (DuckDB read_csv); malformed records go to a rejects table."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from contractbook.contract import naming

from .plan import qi

# DuckDB reject error types -> the defect kinds of the contract's CSV rules (<table>.csv.<kind>).
CSV_ERRORS = {
    "TOO MANY COLUMNS": "column_count",
    "MISSING COLUMNS": "column_count",
    "UNQUOTED VALUE": "quoting",
    "INVALID ENCODING": "encoding",
    "LINE SIZE OVER MAXIMUM": "line_size",
    "CAST ERROR": "quoting",
}


class IngestError(Exception):
    """Input that cannot be ingested at all (e.g. a missing file); the message names file and fix."""


@dataclass
class Staged:
    """A CSV read into DuckDB: staging table names, the header found, and warnings about it."""

    table: str
    path: Path
    raw: str
    rejects: str
    header: list[str] = field(default_factory=list)
    present: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def read_header(path: Path) -> list[str] | None:
    """The header record of a CSV (BOM removed); None for an empty file."""
    with open(path, encoding="utf-8-sig", errors="replace", newline="") as f:
        try:
            return next(csv.reader(f))
        except StopIteration:
            return None


def csv_rule_id(table: str, error_type: str) -> str:
    """The rule id of a malformed-record error, e.g. orders.csv.column_count."""
    return f"{table}.csv.{CSV_ERRORS.get(error_type, error_type.lower().replace(' ', '_'))}"


def source(con, table: str, columns: list[str], path: Path) -> Staged:
    """The CSV as an all-VARCHAR SQL source (columns named as in its header), not yet read.

    Staged.raw is a `read_csv(...)` expression: the query that reads it parses the file once and
    fills Staged.rejects with the malformed records as it goes.
    """
    path = Path(path)
    work = naming.work_name(table)  # the contract's name may hold spaces or quotes
    s = Staged(table, path, "", f"csvrej_{work}")
    if not path.is_file():
        raise IngestError(f"{path}: file not found; expected one CSV per contract table "
                          f"named {table}.csv in the data directory")
    header = read_header(path)
    if header is None:
        s.warnings.append(f"{path}: empty file (no header); read as 0 rows")
        s.raw = ("(SELECT " + ", ".join(f"CAST(NULL AS VARCHAR) AS {qi(c)}" for c in columns)
                 + " LIMIT 0)")
        _empty_rejects(con, s.rejects)
        s.header, s.present = list(columns), list(columns)
        return s
    dupes = sorted({h for h in header if header.count(h) > 1})
    if dupes or any(h == "" for h in header):
        raise IngestError(f"{path}: header line 1 has duplicate or empty column names {dupes}; "
                          "fix the header so each column is named once")
    s.header = header
    s.present = [c for c in columns if c in header]
    missing = [c for c in columns if c not in header]
    extra = [h for h in header if h not in columns]
    if missing:
        s.warnings.append(f"{path}: header lacks contract column(s) {missing}; read as empty")
    if extra:
        s.warnings.append(f"{path}: header has column(s) {extra} not in the contract; ignored")
    if [c for c in header if c in columns] != s.present:
        s.warnings.append(f"{path}: columns are in another order than the contract; matched by name")
    spec = "{" + ", ".join(f"{_lit(h)}: 'VARCHAR'" for h in header) + "}"
    con.execute(f"DROP TABLE IF EXISTS {s.rejects}")
    con.execute(f"DROP TABLE IF EXISTS csvscan_{work}")
    s.raw = (f"read_csv({_lit(str(path))}, columns={spec}, header=true, auto_detect=false, "
             f"delim=',', quote='\"', escape='\"', strict_mode=true, store_rejects=true, "
             f"rejects_table='{s.rejects}', rejects_scan='csvscan_{work}', encoding='utf-8')")
    return s


def _empty_rejects(con, name: str) -> None:
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} (line BIGINT, byte_position BIGINT, "
                "error_type VARCHAR, csv_line VARCHAR, error_message VARCHAR)")


def _lit(text: str) -> str:
    from contractbook.sqltext import literal

    return literal(text, "duckdb")


def malformed(con, s: Staged) -> dict:
    """Malformed records of a staged file (few), one per record: DuckDB line, error types, text."""
    rows = con.execute(
        f"SELECT line, list(DISTINCT CAST(error_type AS VARCHAR) ORDER BY CAST(error_type AS VARCHAR)), "
        f"first(csv_line ORDER BY byte_position), first(error_message ORDER BY byte_position) "
        f"FROM {s.rejects} GROUP BY line ORDER BY line").fetchall()
    return {"line": [r[0] for r in rows], "error_types": [r[1] for r in rows],
            "csv_line": [r[2] for r in rows], "detail": [r[3] for r in rows]}
