"""Runner: read, type and check one table in one pass, then its SQL rules and rejects (DuckDB)."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from contractbook.contract import Contract
from contractbook.reading.files import ReadError
from contractbook.reading.stage import empty, stage

from .cascade import causes, malformed_keys
from .plan import pair_queries, qi, raw_value, typed_query, verdict_query
from .sqlconn import restricted_connection, rule_inputs
from .tablerules import evaluate


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
    warned: int | None = None  # rows accepted with at least one warning (None: not counted)
    cascaded: Counter = field(default_factory=Counter)  # fk rule -> rows whose parent was rejected
    table_rules: list = field(default_factory=list)  # TableRuleResult per one-number SQL rule
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    error: str | None = None  # the file could not be read at all: nothing of it loaded

    @property
    def accepted_sql(self) -> str:
        return f"SELECT * FROM ok.{qi(self.table)}"

    @property
    def rejects_sql(self) -> str:
        return f"SELECT * EXCLUDE (_reason_list) FROM work.{qi('rej_' + self.table)}"


def setup(con) -> None:
    """Schemas of the work database: typed rows and verdicts, accepted rows, SQL-rule candidates."""
    for s in ("work", "ok", "cand"):
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {s}")


@dataclass(frozen=True)
class RunContext:
    """The run every reject row names: its id and the ingest timestamp (UTC, ISO 8601)."""

    run_id: str
    ingested_at: str


@dataclass(frozen=True)
class WorkTables:
    """The work tables of one table: typed rows, (row, rule) pairs, verdicts, rejects, causes."""

    chk: str
    pairs: str
    bad: str
    rej: str
    cause: str  # child rows whose parent row was rejected (see cascade.py)

    @classmethod
    def of(cls, table: str) -> WorkTables:
        """work.<kind>_<table> (quoted) for kind in chk, pairs, bad, rej, cause."""
        return cls(
            *(f"work.{qi(k + '_' + table)}" for k in ("chk", "pairs", "bad", "rej", "cause"))
        )


def _sql_rules(con, contract: Contract, table: str, n: WorkTables) -> None:
    """Add (row, rule) pairs for candidate rows a cross-table SQL rule returns (joined on shared
    column names); candidates are the rows no other rule rejected.

    Each rule runs from its parsed tree (comments dropped) on a restricted connection
    (restricted_connection); only the keys of its failing rows come back to the work database.
    """
    from contractbook.contract.sqlrules import sql

    t = contract.table(table)
    rules = [r for r in contract.rules_for(table) if r.kind == "sql" and r.params.get("rows_tree")]
    if not rules:
        return
    cols = ", ".join(f"c.{qi(c)}" for c in t.column_names)
    rejected = f"(SELECT DISTINCT _row FROM {n.pairs} WHERE policy = 'reject')"
    rows = f"work.{qi('cand_' + table)}"
    con.execute(
        f"CREATE OR REPLACE VIEW {rows} AS SELECT c.rowid AS _row, {cols} "
        f"FROM {n.chk} AS c ANTI JOIN {rejected} AS r ON c.rowid = r._row"
    )
    trees = [r.params["rows_tree"] for r in rules]
    rc = restricted_connection(rule_inputs(con, contract, table, trees, rows))
    marks: list = []
    try:
        for r in rules:
            query = sql(r.params["rows_tree"])
            keys = [c for c in rc.sql(query).columns if c in t.column_names]
            if not keys:
                raise ValueError(
                    f"rule {r.id}: its failing rows share no column with {table}; "
                    "return the table's key columns from the query"
                )
            name = f"sqlfail_{len(marks)}"
            failing = rc.sql(
                f"SELECT DISTINCT {', '.join(qi(k) for k in keys)} FROM ({query})"
            ).to_arrow_table()
            con.register(name, failing)
            marks.append((r, keys, name))
    finally:
        rc.close()
    found, params = [], []
    for r, keys, name in marks:  # only rows that were candidates when the rules ran
        on = " AND ".join(f"c.{qi(k)} IS NOT DISTINCT FROM f.{qi(k)}" for k in keys)
        found.append(
            f"SELECT DISTINCT c._row, ? AS rule, ? AS policy "
            f"FROM {rows} AS c JOIN {name} AS f ON {on}"
        )
        params += [r.id, r.policy]
    con.execute(f"CREATE OR REPLACE TEMP TABLE sqlpairs AS {' UNION ALL '.join(found)}", params)
    for _, _, name in marks:
        con.unregister(name)
    con.execute(f"INSERT INTO {n.pairs} SELECT * FROM sqlpairs")


def check_table(
    con,
    contract: Contract,
    table: str,
    data_dir: Path,
    run: RunContext,
    fk_policy: dict | None = None,
    path: Path | None = None,
    work_dir: Path | None = None,
    failed: str | None = None,
    ahead=None,
) -> TableCheck:
    """Read, type and check one table in one pass; its accepted rows become view ok.<table>.

    work.chk_<table> holds the typed rows (rowid = record order in the file); work.bad_<table>
    only the rows that broke a rule, with their reasons and warnings. path defaults to
    data_dir/<table>.csv; work_dir holds the reader's temporary copies. failed: the reason the
    file could not be read; the table is then built empty (other tables go on). ahead: a
    reading.ahead.ReadAhead that already reads the file.
    """
    started = time.perf_counter()
    t = contract.table(table)
    res = TableCheck(table, Path(path) if path else Path(data_dir) / f"{table}.csv", error=failed)
    src = (
        empty(table, t.column_names, res.path)
        if failed
        else stage(
            con,
            table,
            t.column_names,
            res.path,
            work_dir or Path(data_dir) / ".staging",
            split_already=ahead.take(res.path) if ahead is not None else None,
        )
    )
    res.notes += src.warnings
    n = WorkTables.of(table)
    try:
        con.execute(
            f"CREATE OR REPLACE TABLE {n.chk} AS "
            + typed_query(contract, table, src.present, src.raw, fk_policy),
            src.params,
        )
        src.settle(con)
    finally:
        src.discard()
    pairs = " UNION ALL ".join(pair_queries(contract, table, n.chk, fk_policy=fk_policy))
    con.execute(f"CREATE OR REPLACE TABLE {n.pairs} AS {pairs}")
    _sql_rules(con, contract, table, n)
    con.execute(
        f"CREATE OR REPLACE TABLE {n.bad} AS "
        + verdict_query(contract, table, f"SELECT * FROM {n.pairs}")
    )
    cols = ", ".join(f"c.{qi(c)}" for c in t.column_names)
    con.execute(
        f"CREATE OR REPLACE VIEW ok.{qi(table)} AS SELECT {cols} FROM {n.chk} AS c "
        f"ANTI JOIN (SELECT _row FROM {n.bad} WHERE _reasons IS NOT NULL) AS b "
        "ON c.rowid = b._row"
    )
    res.table_rules = evaluate(con, contract, table)
    causes(con, contract, table, n.bad, n.chk, n.cause)
    _rejects(con, contract, table, src, n, run)
    malformed_keys(con, contract, table, src.header, n.rej)  # for the children (cascade.py)
    _count(con, res, n, src)
    res.seconds = time.perf_counter() - started
    return res


def _rejects(con, contract: Contract, table: str, src, n: WorkTables, run: RunContext) -> None:
    """work.rej_<table>: rule rejects (raw values) and malformed records (their exact bytes),
    each with its physical start line and byte span in the file."""
    t = contract.table(table)
    bad = src.malformed
    rowids = con.sql(
        f"SELECT _row FROM {n.bad} WHERE _reasons IS NOT NULL ORDER BY _row"
    ).fetchnumpy()["_row"]
    rowids = np.asarray(rowids, np.int64)
    kinds = [[f"{table}.csv.{k}"] for k in bad.kind]

    def span(a):
        return [None if v < 0 else int(v) for v in a.tolist()]

    # small tables, built by DuckDB straight from the Python lists
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _row_lines AS SELECT unnest($1::BIGINT[]) AS rid, "
        "unnest($2::BIGINT[]) AS line, unnest($3::BIGINT[]) AS off, "
        "unnest($4::BIGINT[]) AS len",
        [
            rowids.tolist(),
            src.line[rowids].tolist(),
            span(src.offset[rowids]),
            span(src.length[rowids]),
        ],
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _bad AS SELECT unnest($1::BIGINT[]) AS line, "
        "unnest($2::VARCHAR[]) AS raw_line, unnest($3::VARCHAR[]) AS detail, "
        "unnest($4::VARCHAR[][]) AS kinds, unnest($5::BLOB[]) AS raw_bytes, "
        "unnest($6::BIGINT[]) AS off",
        [bad.line, bad.text(), bad.detail, kinds, bad.raw, bad.offset],
    )
    prov = (
        "$file AS source_file, $cid AS contract_id, $cver AS contract_version, "
        "$run AS run_id, CAST($at AS TIMESTAMPTZ) AS ingested_at"
    )
    params = {
        "file": src.path.name,
        "cid": contract.id,
        "cver": contract.version,
        "run": run.run_id,
        "at": run.ingested_at,
    }
    raw_cols = ", ".join(f"{raw_value(c, typed='c.' + qi(c))} AS {qi(c)}" for c in t.column_names)
    null_cols = ", ".join(f"CAST(NULL AS VARCHAR) AS {qi(c)}" for c in t.column_names)
    con.execute(
        f"""
        CREATE OR REPLACE TABLE {n.rej} AS
        SELECT {raw_cols}, CAST(to_json(b._reasons) AS VARCHAR) AS reject_reasons,
               k.detail AS reject_detail, CAST(NULL AS VARCHAR) AS raw_line,
               CAST(NULL AS BLOB) AS raw_bytes, {prov}, l.line AS source_line,
               l.off AS source_offset, l.len AS source_length, b._reasons AS _reason_list
        FROM (SELECT * FROM {n.bad} WHERE _reasons IS NOT NULL) AS b
             JOIN _row_lines AS l ON l.rid = b._row
             JOIN {n.chk} AS c ON c.rowid = b._row
             LEFT JOIN {n.cause} AS k ON k._row = b._row
        UNION ALL BY NAME
        SELECT {null_cols}, CAST(to_json(kinds) AS VARCHAR) AS reject_reasons,
               detail AS reject_detail, raw_line, raw_bytes, {prov}, line AS source_line,
               off AS source_offset, CAST(octet_length(raw_bytes) AS BIGINT) AS source_length,
               kinds AS _reason_list
        FROM _bad""",
        params,
    )
    con.execute("DROP TABLE _row_lines")
    con.execute("DROP TABLE _bad")


def _count(con, res: TableCheck, n: WorkTables, src) -> None:
    """Counts; read is the reader's count of physical records, checked against the parts."""
    n_rows, n_bad, warned = con.execute(
        f"SELECT (SELECT count(*) FROM {n.chk}), "
        f"(SELECT count(*) FROM {n.bad} WHERE _reasons IS NOT NULL), "
        f"(SELECT count(*) FROM {n.bad} WHERE _warnings IS NOT NULL)"
    ).fetchall()[0]
    res.accepted = n_rows - n_bad
    res.malformed, res.rejected = con.execute(
        f"SELECT count(*) FILTER (WHERE raw_bytes IS NOT NULL), count(*) FROM {n.rej}"
    ).fetchall()[0]
    res.read = src.records
    if n_rows + res.malformed != src.records or n_rows != src.line.size:
        raise ReadError(
            f"{src.path}: {src.records} records read but {n_rows} staged + "
            f"{res.malformed} malformed; refusing to lose records silently"
        )
    res.reasons = Counter(
        dict(
            con.execute(
                f"SELECT reason, count(*) FROM (SELECT unnest(_reason_list) "
                f"AS reason FROM {n.rej}) GROUP BY reason"
            ).fetchall()
        )
    )
    res.warned = (
        con.execute(
            f"SELECT count(*) FROM {n.bad} WHERE _warnings IS NOT NULL AND _reasons IS NULL"
        ).fetchall()[0][0]
        if warned
        else 0
    )
    res.cascaded = Counter(
        dict(
            con.execute(
                f"SELECT r, count(*) FROM (SELECT unnest(rules) AS r FROM {n.cause}) GROUP BY r"
            ).fetchall()
        )
    )
    res.warnings = (
        Counter(
            dict(
                con.execute(
                    "SELECT w, count(*) FROM (SELECT unnest(_warnings) AS w "
                    f"FROM {n.bad}) GROUP BY w"
                ).fetchall()
            )
        )
        if warned
        else Counter()
    )
