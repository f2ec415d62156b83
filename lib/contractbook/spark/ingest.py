"""Runner: the same rule plan as the DuckDB engine, compiled to Spark SQL; Parquet out.

Per table, parents first: Spark reads the CSV the contract names (`reading/find.py`, as
DuckDB), the plan's typed pass, rule pairs (duplicate keys, foreign keys against the parent's
accepted rows) and the cross-table SQL rules run as Spark SQL transpiled from the plan's DuckDB
SQL (`spark/sql.py`), then the table-level SQL rules on the accepted rows
(`spark/tablerules.py`); the verdicts, line numbers, parent-rejected causes (`spark/cascade.py`)
and rejects are written here natively. Rules with policy warn are counted, their rows loaded.
The checks work in the contract's names; what is written carries the engine's (physicalName):
accepted rows go to `<out>/<physical>/` and rejects, with the same columns as the DuckDB engine's
`<physical>__rejects`, to `<out>/<physical>__rejects/` (Parquet; folder names escaped by
`spark/sql.py:folder`); rejects also go to `<rejects>/reason=<rule id>/date=<day>/` in the
contract's names, as with DuckDB.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from contractbook.contract import Contract, Table
from contractbook.ingest.check import RunContext, TableCheck
from contractbook.ingest.hints import rejects_table
from contractbook.ingest.plan import pair_queries, qi, row_rules, rule_order, typed_query
from contractbook.ingest.run import IngestResult, _parent_failed_policy, new_run
from contractbook.reading.files import ReadError

from . import cascade, read, tablerules
from .sql import folder, ident, lit, transpile, view_name

DEFAULT_OUT = "data/spark"


def _view(spark, frame, schema: str, table: str, cache: bool = False):
    """Register frame as the temp view standing for schema.table; returns the frame."""
    if cache:
        frame = frame.persist()
    frame.createOrReplaceTempView(ident(view_name(schema, table)))
    return frame


def physical(t: Table, columns: list[str] | None = None) -> list[str]:
    """Select items renaming t's columns (contract names) to the engine's (physicalName)."""
    return [f"{ident(c.name)} AS {ident(c.physical)}" for c in t.columns] + [
        ident(c) for c in columns or []
    ]


def logical(t: Table, columns: list[str] | None = None) -> list[str]:
    """Select items renaming t's columns back from physicalName to the contract's names."""
    return [f"{ident(c.physical)} AS {ident(c.name)}" for c in t.columns] + [
        ident(c) for c in columns or []
    ]


def _parquet(spark, frame, path: Path, schema: str, table: str, t: Table, extra=None):
    """Write frame as Parquet at path under t's physical column names (extra columns as they
    are), and read it back as the view schema.table in the contract's names (schema known)."""
    written = frame.selectExpr(*physical(t, extra))
    written.write.mode("overwrite").parquet(str(path))
    back = spark.read.schema(written.schema).parquet(str(path))
    return _view(spark, back.selectExpr(*logical(t, extra)), schema, table)


def _sql_pairs(spark, contract: Contract, table: str, cand_tables: set[str]):
    """(row, rule, policy) of candidate rows a cross-table SQL rule returns (shared columns)."""
    t = contract.table(table)
    rules = [r for r in contract.rules_for(table) if r.kind == "sql" and r.params.get("rows_query")]
    if not rules:
        return None
    cols = ", ".join(f"c.{ident(c)}" for c in t.column_names)
    cand = spark.sql(
        f"SELECT c._row, {cols} FROM {ident(view_name('work', 'chk_' + table))} AS c "
        f"LEFT ANTI JOIN (SELECT DISTINCT _row FROM "
        f"{ident(view_name('work', 'pairs_' + table))} WHERE policy = 'reject') AS r "
        "ON c._row = r._row"
    )
    _view(spark, cand, "work", "cand_" + table, cache=True)
    _view(spark, cand.drop("_row"), "cand", table)
    cand_tables.add(table)
    views = {n: view_name("cand" if n in cand_tables else "ok", n) for n in contract.table_names}
    found = None
    for r in rules:
        failing = spark.sql(transpile(r.params["rows_query"], views))
        keys = [c for c in failing.columns if c in t.column_names]
        if not keys:
            raise ValueError(
                f"rule {r.id}: its failing rows share no column with {table}; "
                "return the table's key columns from the query"
            )
        _view(
            spark, failing.selectExpr(*map(ident, keys)).distinct(), "work", "sqlfail", cache=True
        )
        on = " AND ".join(f"c.{ident(k)} <=> f.{ident(k)}" for k in keys)
        pairs = spark.sql(
            f"SELECT DISTINCT c._row, {lit(r.id)} AS rule, {lit(r.policy)} AS policy "
            f"FROM {ident(view_name('work', 'cand_' + table))} AS c "
            f"JOIN {ident(view_name('work', 'sqlfail'))} AS f ON {on}"
        )
        found = pairs if found is None else found.unionByName(pairs)
    return found


def verdict_sql(contract: Contract, table: str, pairs: str) -> str:
    """Per broken row: _reasons (policy reject) and _warnings (warn) in contract rule order."""
    order = "array(" + ", ".join(lit(i) for i in rule_order(contract, table)) + ")"

    def listed(policy: str) -> str:
        item = f"named_struct('p', array_position({order}, rule), 'r', rule)"
        return (
            f"CASE WHEN count_if(policy = {lit(policy)}) > 0 THEN transform(array_sort("
            f"collect_list(CASE WHEN policy = {lit(policy)} THEN {item} END)), x -> x.r) END"
        )

    return (
        f"SELECT _row, {listed('reject')} AS _reasons, {listed('warn')} AS _warnings "
        f"FROM (SELECT DISTINCT _row, rule, policy FROM {pairs}) GROUP BY _row"
    )


def _lines(spark, table: str):
    """View work.lines_<table>: physical start line of every rejected or malformed record.

    line = 2 + record ordinal + line breaks inside the records before it (as `ingest/lines.py`).
    """
    src = ident(view_name("work", "src_" + table))
    bad = ident(view_name("work", "bad_" + table))
    nl = "length(t) - length(replace(t, chr(10), ''))"
    spark.sql(f"""
        SELECT _row, 2 + _row + coalesce(sum(nl) OVER (ORDER BY _row, need DESC
               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS line, need
        FROM (SELECT _row, nl, 0 AS need FROM (SELECT _row, {nl} AS nl FROM (SELECT _row,
                     regexp_replace(_text, '[\\r\\n]+$', '') AS t FROM {src})) WHERE nl > 0
              UNION ALL SELECT _row, 0, 1 FROM {bad} WHERE _reasons IS NOT NULL
              UNION ALL SELECT _row, 0, 1 FROM {src} WHERE _csv IS NOT NULL)
        """).where("need = 1").drop("need").createOrReplaceTempView(
        ident(view_name("work", "lines_" + table))
    )


def _raw_value(column: str) -> str:
    """Spark SQL of plan.raw_value: the kept raw text, else the typed value as text.

    Written here, not transpiled: sqlglot parses a JSON path literal and fails on a quote in it
    (a column named `ref'd`). The path is the one DuckDB reads ($.r.<column>), as a literal.
    """
    path = lit("$.r." + column)
    return f"coalesce(get_json_object(c._x, {path}), CAST(c.{ident(column)} AS STRING))"


def _rejects(spark, contract: Contract, table: str, run: RunContext, path: Path, file: str):
    """Rule rejects (raw values) and malformed records with their lines, the DuckDB columns."""
    t = contract.table(table)
    names = {
        k: ident(view_name("work", f"{k}_{table}")) for k in ("chk", "bad", "lines", "src", "cause")
    }
    prov = (
        f"{lit(file)} AS source_file, {lit(contract.id)} AS contract_id, "
        f"{lit(contract.version)} AS contract_version, {lit(run.run_id)} AS run_id, "
        f"CAST({lit(run.ingested_at)} AS TIMESTAMP_LTZ) AS ingested_at"
    )
    raw_cols = ", ".join(f"{_raw_value(c)} AS {ident(c)}" for c in t.column_names)
    null_cols = ", ".join(f"CAST(NULL AS STRING) AS {ident(c)}" for c in t.column_names)
    rules = spark.sql(f"""
        SELECT {raw_cols}, to_json(b._reasons) AS reject_reasons,
               k.detail AS reject_detail, CAST(NULL AS STRING) AS raw_line,
               CAST(NULL AS BINARY) AS raw_bytes, {prov}, l.line AS source_line,
               CAST(NULL AS BIGINT) AS source_offset, CAST(NULL AS BIGINT) AS source_length,
               b._reasons AS _reason_list
        FROM (SELECT * FROM {names["bad"]} WHERE _reasons IS NOT NULL) AS b
             JOIN {names["lines"]} AS l ON l._row = b._row
             JOIN {names["chk"]} AS c ON c._row = b._row
             LEFT JOIN {names["cause"]} AS k ON k._row = b._row""")
    kinds = f"array(concat({lit(table + '.csv.')}, _csv))"
    malformed = spark.sql(f"""
        SELECT {null_cols}, to_json({kinds}) AS reject_reasons,
               _detail AS reject_detail,
               _text AS raw_line, CAST(_text AS BINARY) AS raw_bytes, {prov},
               l.line AS source_line, CAST(NULL AS BIGINT) AS source_offset,
               CAST(NULL AS BIGINT) AS source_length, {kinds} AS _reason_list
        FROM (SELECT * FROM {names["src"]} WHERE _csv IS NOT NULL) AS s
             JOIN {names["lines"]} AS l ON l._row = s._row""")
    extra = [c for c in rules.columns if c not in t.column_names and c != "_reason_list"]
    written = _parquet(
        spark,
        rules.unionByName(malformed).drop("_reason_list"),
        path,
        "work",
        "rej_" + table,
        t,
        extra,
    )
    return _view(
        spark,
        written.selectExpr("*", "from_json(reject_reasons, 'ARRAY<STRING>') AS _reason_list"),
        "work",
        "rej_" + table,
    )


def check_table(
    spark,
    contract: Contract,
    table: str,
    data_dir: Path,
    run: RunContext,
    work: Path,
    out: Path,
    fk_policy: dict | None = None,
    cand_tables: set[str] | None = None,
    path: Path | None = None,
    failed: str | None = None,
) -> TableCheck:
    """Read, type, check one table; accepted rows -> out/<physical>, rejects ->
    out/<physical>__rejects (folder names: `folder`).

    cand_tables: tables whose SQL-rule candidate views exist (later rules read those first).
    path: the input file (default data_dir/<table>.csv). failed: why the file could not be
    read; the table is then built empty (other tables go on), as in the DuckDB engine.
    """
    started = time.perf_counter()
    t = contract.table(table)
    res = TableCheck(table, Path(path) if path else Path(data_dir) / f"{table}.csv", error=failed)
    src = (
        read.empty(spark, table, t.column_names, res.path)
        if failed
        else read.source(spark, table, t.column_names, res.path)
    )
    res.notes += src.warnings
    _view(spark, src.frame, "work", "src_" + table, cache=True)
    cascade.malformed_keys(spark, contract, table, src.position)
    good = spark.sql(f"SELECT * FROM {ident(view_name('work', 'src_' + table))} WHERE _csv IS NULL")
    _view(spark, good, "work", "raw_" + table)
    chk = f"work.{qi('chk_' + table)}"
    typed = transpile(
        typed_query(
            contract, table, src.present, f"work.{qi('raw_' + table)}", fk_policy, row="_row"
        )
    )
    _view(spark, spark.sql(typed), "work", "chk_" + table, cache=True)
    pairs = " UNION ALL ".join(
        transpile(q) for q in pair_queries(contract, table, chk, "_row", fk_policy=fk_policy)
    )
    frame = _view(spark, spark.sql(pairs), "work", "pairs_" + table, cache=True)
    extra = _sql_pairs(spark, contract, table, set() if cand_tables is None else cand_tables)
    if extra is not None:
        _view(spark, frame.unionByName(extra), "work", "pairs_" + table, cache=True)
    bad = spark.sql(verdict_sql(contract, table, ident(view_name("work", "pairs_" + table))))
    _view(spark, bad, "work", "bad_" + table, cache=True)
    cols = ", ".join(f"c.{ident(c)}" for c in t.column_names)
    ok = spark.sql(
        f"SELECT {cols} FROM {ident(view_name('work', 'chk_' + table))} AS c "
        f"LEFT ANTI JOIN (SELECT _row FROM {ident(view_name('work', 'bad_' + table))} "
        "WHERE _reasons IS NOT NULL) AS b ON c._row = b._row"
    )
    _parquet(spark, ok, out / folder(t.physical), "ok", table, t)
    res.table_rules = tablerules.evaluate(spark, contract, table)
    cascade.causes(spark, contract, table)
    _lines(spark, table)
    _rejects(spark, contract, table, run, out / folder(rejects_table(t)), res.path.name)
    res.seconds = time.perf_counter() - started
    return res


def _counts_sql(table: str) -> tuple[str, str]:
    """Spark SQL of one table's totals and of its counts per reason, warning and cascade."""
    src, bad, rej, cause = (
        ident(view_name("work", f"{k}_{table}")) for k in ("src", "bad", "rej", "cause")
    )
    name = lit(table)
    totals = (
        f"SELECT {name} AS t, count(*) AS n_read, count_if(_csv IS NOT NULL) AS n_malformed, "
        f"(SELECT count_if(_reasons IS NOT NULL) FROM {bad}) AS n_bad, "
        f"(SELECT count_if(_warnings IS NOT NULL AND _reasons IS NULL) FROM {bad}) AS n_warned, "
        f"(SELECT count(*) FROM {rej}) AS n_rejected FROM {src}"
    )
    per_rule = (
        f"SELECT {name} AS t, 'reason' AS k, r, count(*) AS n FROM (SELECT "
        f"explode(_reason_list) AS r FROM {rej}) GROUP BY r UNION ALL SELECT {name}, "
        f"'warning', r, count(*) FROM (SELECT explode(_warnings) AS r FROM {bad}) GROUP BY r "
        f"UNION ALL SELECT {name}, 'cascade', r, count(*) FROM (SELECT explode(rules) AS r "
        f"FROM {cause}) GROUP BY r"
    )
    return totals, per_rule


def count_all(spark, checks: dict[str, TableCheck]) -> None:
    """Fill every TableCheck's counts with two Spark queries over all tables' work views."""
    parts = [_counts_sql(t) for t in checks]
    for t, n_read, n_malformed, n_bad, n_warned, n_rejected in spark.sql(
        " UNION ALL ".join(p[0] for p in parts)
    ).collect():
        c = checks[t]
        c.read, c.malformed, c.rejected, c.warned = n_read, n_malformed, n_rejected, n_warned
        c.accepted = n_read - n_malformed - n_bad
    counters = {"reason": "reasons", "warning": "warnings", "cascade": "cascaded"}
    for t, k, rule, n in spark.sql(" UNION ALL ".join(p[1] for p in parts)).collect():
        getattr(checks[t], counters[k])[rule] = n


def check_all(
    spark,
    contract: Contract,
    data_dir,
    run: RunContext,
    work: Path,
    out: Path,
    fk_policy=None,
    progress=print,
    paths: dict | None = None,
) -> dict[str, TableCheck]:
    """Check every table parents first; returns {table: TableCheck} in that order.

    paths: {table: input file} (default: reading.find.sources, as the DuckDB engine).
    """
    from contractbook.reading.find import require, sources

    paths = paths or sources(contract, data_dir)
    require(paths)
    for name in contract.dependency_order:
        row_rules(contract, name, fk_policy)  # policy errors before any work
    checks, cand_tables, failed = {}, set[str](), dict[str, str]()
    for name in contract.dependency_order:
        # foreign keys to a table that failed to read are only warned about (as DuckDB)
        policy = _parent_failed_policy(contract, name, failed, fk_policy)
        args = (spark, contract, name, Path(data_dir), run, work, out, policy, cand_tables)
        try:
            checks[name] = check_table(*args, paths[name])
        except ReadError as e:
            failed[name] = str(e)
            checks[name] = check_table(*args, paths[name], failed=str(e))
    count_all(spark, checks)  # two jobs for all tables, not four per table
    for name, c in checks.items():
        if c.error:
            progress(f"  {name:<36} FAILED: {c.error}")
            continue
        progress(
            f"  {name:<36} read {c.read:>9,}  accepted {c.accepted:>9,}  rejected "
            f"{c.rejected:>7,}  {c.seconds:6.2f}s" + (f"  warned {c.warned:,}" if c.warned else "")
        )
        for note in c.notes:
            progress(f"    note: {note}")
    return checks


def write_rejects(spark, checks, rejects_dir: Path, run_id: str) -> None:
    """Rejects under rejects_dir/reason=<rule id>/date=<day>/, one copy per reason (as DuckDB)."""
    for c in checks:
        frame = spark.sql(
            f"SELECT * EXCEPT (_reason_list), explode(_reason_list) AS reason, "
            f"to_date(ingested_at) AS date FROM "
            f"{ident(view_name('work', 'rej_' + c.table))}"
        )
        if c.rejected:
            frame.write.mode("append").partitionBy("reason", "date").parquet(str(rejects_dir))


def _written(spark, out: Path, names: dict[str, str]) -> dict[str, int]:
    """Rows in each Parquet folder out/<folder>, by key, read back in one Spark job."""
    frames = [
        spark.read.parquet(str(out / f)).selectExpr(f"{lit(n)} AS t") for n, f in names.items()
    ]
    if not frames:  # a contract without tables
        return {}
    union = frames[0]
    for f in frames[1:]:
        union = union.unionByName(f)
    return {t: n for t, n in union.groupBy("t").count().collect()}


def ingest(
    contract: Contract,
    data_dir,
    out=DEFAULT_OUT,
    rejects_dir="data/rejects",
    state_dir=".state/spark",
    fk_policy: dict | None = None,
    progress=print,
    spark=None,
    server: str | None = None,
) -> IngestResult:
    """Check, split and write every table as Parquet with Spark; the accounting read back.

    Every input is checked to exist before anything is created (server: the contract's file
    server that names the input files; default <table>.csv), as in the DuckDB engine.
    """
    from contractbook.reading.find import require, sources

    from .session import session

    paths = sources(contract, data_dir, server)
    require(paths)
    spark = spark or session()
    run = new_run()
    out, work = Path(out), Path(state_dir) / "work" / run.run_id
    result = IngestResult(run.run_id, contract, "parquet", {}, rejects_dir=Path(rejects_dir))
    progress(f"ingest {contract.id} v{contract.version} run {run.run_id} -> Spark, Parquet {out}")
    try:
        result.checks = check_all(
            spark, contract, data_dir, run, work, out, fk_policy, progress, paths
        )
        started = time.perf_counter()
        write_rejects(spark, result.checks.values(), Path(rejects_dir), run.run_id)
        # the equation is checked again on what was written
        folders: dict[str, str] = {}
        for n in result.checks:
            t = contract.table(n)
            folders |= {n: folder(t.physical), f"{n}__rejects": folder(rejects_table(t))}
        written = _written(spark, out, folders)
        result.loaded = {n: written.get(n, 0) for n in result.checks}
        result.rejected_loaded = {n: written.get(f"{n}__rejects", 0) for n in result.checks}
        result.load_seconds = time.perf_counter() - started
        for a in result.accounting():
            if a.error:
                progress(f"  FAILED {a.table}: {a.error}")
            elif not a.ok:
                progress(
                    f"  ACCOUNTING FAILED {a.table}: read {a.read} != loaded "
                    f"{a.loaded} + rejected {a.rejected}"
                )
        return result
    finally:
        spark.catalog.clearCache()
        shutil.rmtree(work, ignore_errors=True)
