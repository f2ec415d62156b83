"""Runner: stage one table, run its check query and SQL rules, build its rejects (DuckDB, vectorized)."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from contractbook.contract import Contract

from . import lines, read
from .plan import check_query, qi


@dataclass
class TableCheck:
    """The outcome of checking one table: counts, reasons and the names of its work tables."""

    table: str
    path: Path
    read: int = 0
    accepted: int = 0
    rejected: int = 0
    malformed: int = 0
    reasons: Counter = field(default_factory=Counter)
    warnings: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def accepted_sql(self) -> str:
        return f"SELECT * FROM ok.{qi(self.table)}"

    @property
    def rejects_sql(self) -> str:
        return f"SELECT * EXCLUDE (_reason_list) FROM work.{qi('rej_' + self.table)}"


def setup(con) -> None:
    """Schemas of the work database: staging, checked rows, accepted rows, SQL-rule candidates."""
    for s in ("work", "ok", "cand"):
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {s}")


def _sql_rules(con, contract: Contract, table: str, chk: str) -> None:
    """Mark candidate rows that a cross-table SQL rule returns (joined on shared column names)."""
    t = contract.table(table)
    rules = [r for r in contract.rules_for(table) if r.kind == "sql" and r.params.get("rows_query")]
    if not rules:
        return
    cols = ", ".join(qi(c) for c in t.column_names)
    con.execute(f"CREATE OR REPLACE VIEW cand.{qi(table)} AS SELECT {cols} FROM {chk} "
                "WHERE _reasons IS NULL")
    con.execute("SET search_path = 'cand,ok'")
    marks = []
    try:
        for r in rules:
            rel = con.sql(r.params["rows_query"])
            keys = [c for c in rel.columns if c in t.column_names]
            if not keys:
                raise ValueError(f"rule {r.id}: its failing rows share no column with {table}; "
                                 "return the table's key columns from the query")
            name = f"sqlfail_{len(marks)}"
            con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT DISTINCT "
                        f"{', '.join(qi(k) for k in keys)} FROM ({r.params['rows_query']})")
            marks.append((r, keys, name))
    finally:
        con.execute("RESET search_path")
    sql_ids = ", ".join(f"'{r.id}'" for r in rules)
    for r, keys, name in marks:  # only rows that were candidates when the rules ran
        target = "_reasons" if r.policy == "reject" else "_warnings"
        on = " AND ".join(f"c.{qi(k)} IS NOT DISTINCT FROM f.{qi(k)}" for k in keys)
        con.execute(f"UPDATE {chk} AS c SET {target} = list_append(coalesce({target}, []), '{r.id}') "
                    f"FROM {name} AS f WHERE {on} AND (c._reasons IS NULL OR "
                    f"len(list_filter(c._reasons, lambda x: x NOT IN ({sql_ids}))) = 0)")


def check_table(con, contract: Contract, table: str, data_dir: Path, run: dict,
                fk_policy: dict | None = None) -> TableCheck:
    """Stage, check and split one table; its accepted rows become view ok.<table>."""
    started = time.perf_counter()
    t = contract.table(table)
    res = TableCheck(table, Path(data_dir) / f"{table}.csv")
    staged = read.stage(con, table, t.column_names, res.path)
    res.notes += staged.warnings
    chk = f"work.{qi('chk_' + table)}"
    con.execute(f"CREATE OR REPLACE TABLE {chk} AS "
                + check_query(contract, table, staged.present, raw=staged.raw, fk_policy=fk_policy))
    _sql_rules(con, contract, table, chk)
    cols = ", ".join(qi(c) for c in t.column_names)
    con.execute(f"CREATE OR REPLACE VIEW ok.{qi(table)} AS SELECT {cols} FROM {chk} "
                "WHERE _reasons IS NULL")
    _rejects(con, contract, table, staged, chk, run)
    _count(con, res, chk)
    res.seconds = time.perf_counter() - started
    return res


def _rejects(con, contract: Contract, table: str, staged, chk: str, run: dict) -> None:
    """work.rej_<table>: rule rejects (raw values) and malformed records, with file line numbers."""
    t = contract.table(table)
    bad = read.malformed(con, staged)
    rowids = con.sql(f"SELECT _row FROM {chk} WHERE _reasons IS NOT NULL ORDER BY _row").fetchnumpy()["_row"]
    needs_lines = len(rowids) or len(bad["line"])
    if needs_lines:
        n_rows = con.execute(f"SELECT count(*) FROM {staged.raw}").fetchall()[0][0]
        nl_rows, nl_counts = lines.embedded_newlines(con, staged.raw, staged.present, staged.path,
                                                     1 + n_rows + len(bad["line"]))
    else:
        nl_rows, nl_counts = [], []
    lm = lines.LineMap(bad["line"], list(bad["csv_line"]), nl_rows, nl_counts)
    row_lines = pa.table({"rid": pa.array(rowids, pa.int64()), "line": pa.array(lm.rows(rowids), pa.int64())})
    kinds = [[read.csv_rule_id(table, e) for e in errs] for errs in bad["error_types"]]
    bad_tbl = pa.table({"line": pa.array(lm.malformed(), pa.int64()),
                        "raw_line": pa.array(list(bad["csv_line"]), pa.string()),
                        "detail": pa.array(list(bad["detail"]), pa.string()),
                        "kinds": pa.array(kinds, pa.list_(pa.string()))})
    con.register("_row_lines", row_lines)
    con.register("_bad", bad_tbl)
    prov = (f"'{staged.path.name}' AS source_file, '{contract.id}' AS contract_id, "
            f"'{contract.version}' AS contract_version, '{run['run_id']}' AS run_id, "
            f"CAST('{run['ingested_at']}' AS TIMESTAMPTZ) AS ingested_at")
    raw_cols = ", ".join(f"r.{qi(c)} AS {qi(c)}" if c in staged.present
                         else f"CAST(NULL AS VARCHAR) AS {qi(c)}" for c in t.column_names)
    null_cols = ", ".join(f"CAST(NULL AS VARCHAR) AS {qi(c)}" for c in t.column_names)
    con.execute(f"""
        CREATE OR REPLACE TABLE work.{qi('rej_' + table)} AS
        SELECT {raw_cols}, CAST(to_json(c._reasons) AS VARCHAR) AS reject_reasons,
               CAST(NULL AS VARCHAR) AS reject_detail, CAST(NULL AS VARCHAR) AS raw_line,
               {prov}, l.line AS source_line, c._reasons AS _reason_list
        FROM {chk} AS c JOIN _row_lines AS l ON l.rid = c._row AND c._reasons IS NOT NULL
             JOIN {staged.raw} AS r ON r.rowid = c._row
        UNION ALL BY NAME
        SELECT {null_cols}, CAST(to_json(kinds) AS VARCHAR) AS reject_reasons,
               detail AS reject_detail, raw_line, {prov}, line AS source_line, kinds AS _reason_list
        FROM _bad""")
    con.unregister("_row_lines")
    con.unregister("_bad")


def _count(con, res: TableCheck, chk: str) -> None:
    rej = f"work.{qi('rej_' + res.table)}"
    res.accepted, n_rows = con.execute(f"SELECT count(*) FILTER (WHERE _reasons IS NULL), count(*) "
                                   f"FROM {chk}").fetchall()[0]
    res.malformed = con.execute(f"SELECT count(*) FROM {rej} WHERE raw_line IS NOT NULL").fetchall()[0][0]
    res.read = n_rows + res.malformed
    res.rejected = con.execute(f"SELECT count(*) FROM {rej}").fetchall()[0][0]
    res.reasons = Counter(dict(con.execute(f"SELECT reason, count(*) FROM (SELECT unnest(_reason_list) "
                                       f"AS reason FROM {rej}) GROUP BY reason").fetchall()))
    res.warnings = Counter(dict(con.execute(f"SELECT w, count(*) FROM (SELECT unnest(_warnings) AS w "
                                        f"FROM {chk}) GROUP BY w").fetchall()))
