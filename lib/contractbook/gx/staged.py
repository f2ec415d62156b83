"""Pre-load data for GX: every input read by the one reader and staged as text in DuckDB.

One table per contract table holds the well-formed records as text (empty = NULL), `_line`
(physical start line) and the helper columns the pre-load suite reads: `<col>__typed` (the text
parsed to its type, NULL when unparseable), `<col>__strftime_ok` (the date/time text matches its
format; GX cannot check strftime formats in SQL) and `<col>__in__<parent>` (the FK value is among
the parent's staged keys). The same tables can be handed to pandas (engine="pandas").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from contractbook.contract import Contract
from contractbook.contract.kinds import TYPE_KINDS

from . import suites as gen
from .targets import strftime_format

STRFTIME_SUFFIX = "__strftime_ok"
JSON_SUFFIX = "__json_ok"  # a JSON kind's text parses as JSON of its shape (GX SQL has no check)
NUMERIC_KINDS = ("integer", "bigint", "decimal", "double")
# Per DuckDB instance of the GX step (staging, and each GX connection): beyond it DuckDB evicts
# written pages and spills. Without it the buffer pool kept every staged table (1.6 GB RSS at 1M).
MEMORY_LIMIT = "512MB"


def qi(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    """A SQL string literal (one escaping function; swap for contractbook.sqltext)."""
    return "'" + str(text).replace("'", "''") + "'"


@dataclass
class StagedInputs:
    """The DuckDB file holding the staged tables, and the malformed records per table."""

    path: Path
    malformed: dict = field(default_factory=dict)  # table -> reading.stage.Malformed
    records: dict = field(default_factory=dict)  # table -> physical records read

    @property
    def url(self) -> str:
        return f"duckdb:///{self.path}"


def _typed(kind: str, col: str, fmt: str | None) -> str | None:
    c = qi(col)
    if kind in NUMERIC_KINDS:
        return f"TRY_CAST({c} AS DOUBLE)"
    if kind in ("timestamp", "timestamptz", "date"):
        assert fmt is not None  # the caller gives dates and timestamps their format
        return f"try_strptime({c}, {literal(fmt)})"
    if kind == "boolean":
        return (
            f"CASE lower({c}) WHEN 'true' THEN true WHEN '1' THEN true WHEN 'false' THEN false "
            f"WHEN '0' THEN false END"
        )
    if kind == "time":
        return c
    return None


def helper_columns(contract: Contract, table: str) -> list[str]:
    """SELECT items of the helper columns of one table (typed values, format flags)."""
    t = contract.table(table)
    out = []
    for col in t.columns:
        kind = col.type.kind
        if TYPE_KINDS[kind].pandas == "json":
            json_type = TYPE_KINDS[kind].json_type
            assert json_type is not None  # every JSON kind names its json_type
            c = qi(col.name)
            out.append(
                f"CASE WHEN {c} IS NULL THEN NULL ELSE coalesce(json_valid({c}) AND "
                f"json_type(TRY_CAST({c} AS JSON)) = {literal(json_type)}, "
                f"false) END AS {qi(col.name + JSON_SUFFIX)}"
            )
            continue
        if kind in gen.TEXT_KINDS:
            continue
        fmt = (
            strftime_format(col.format, kind, col.name)
            if kind in ("timestamp", "timestamptz", "date")
            else None
        )
        expr = _typed(kind, col.name, fmt)
        if expr is None:
            raise ValueError(f"column {table}.{col.name}: no text parser for kind {kind!r}")
        out.append(f"{expr} AS {qi(col.name + gen.TYPED_SUFFIX)}")
        if fmt:
            out.append(
                f"CASE WHEN {qi(col.name)} IS NULL THEN NULL ELSE {expr} IS NOT NULL END "
                f"AS {qi(col.name + STRFTIME_SUFFIX)}"
            )
    return out


def parent_flags(contract: Contract, table: str) -> list[str]:
    """SELECT items: per single-column FK, its value found among the parent's staged keys."""
    out = []
    for rel in contract.table(table).relationships:
        if len(rel.columns) > 1:
            continue
        c, pc = qi(rel.columns[0]), qi(rel.to_columns[0])
        out.append(
            f"CASE WHEN {c} IS NULL THEN NULL ELSE {c} IN (SELECT {pc} FROM "
            f"main.{qi(rel.to_table)} WHERE {pc} IS NOT NULL) END "
            f"AS {qi(gen.parent_check_column(rel))}"
        )
    return out


def _stage_table(con, contract: Contract, name: str, path: Path, work: Path):
    """One table staged into main.<name> through con; the reader's Staged record."""
    import pyarrow as pa

    from contractbook.reading.stage import stage

    t = contract.table(name)
    s = stage(con, name, t.column_names, path, work)
    cols = ", ".join(
        f"{qi(c)}" if c in s.present else f"CAST(NULL AS VARCHAR) AS {qi(c)}"
        for c in t.column_names
    )
    try:  # a temporary table (memory, spilling): only the final table is written
        con.execute(f"CREATE TEMP TABLE _st AS SELECT {cols} FROM {s.raw}", s.params)
        s.settle(con)
    finally:
        s.discard()
    con.register("_lines", pa.table({"_line": pa.array(s.line, pa.int64())}))
    extra = helper_columns(contract, name) + parent_flags(contract, name)
    con.execute(
        f"CREATE TABLE main.{qi(name)} AS SELECT *"
        + "".join(f", {e}" for e in extra)
        + " FROM (SELECT * FROM _st POSITIONAL JOIN _lines)"
    )
    con.unregister("_lines")
    con.execute("DROP TABLE _st")
    return s


def stage_inputs(contract: Contract, paths: dict[str, Path], db: Path) -> StagedInputs:
    """Stage every table's input in a fresh DuckDB file at db (see module doc).

    One connection per table: closing it frees DuckDB's buffers before the reader splits the
    next file, so the two never add up (the step's peak memory).
    """
    import duckdb

    db = Path(db)
    db.parent.mkdir(parents=True, exist_ok=True)
    for p in (db, db.with_suffix(db.suffix + ".wal")):
        p.unlink(missing_ok=True)
    out = StagedInputs(db.resolve())
    for name in contract.dependency_order:  # parents first: children's flags read them
        with duckdb.connect(str(db), config={"memory_limit": MEMORY_LIMIT}) as con:
            s = _stage_table(con, contract, name, paths[name], db.parent / "staging")
        out.malformed[name], out.records[name] = s.malformed, s.records
    return out


def sql_suite(suite: gen.Suite) -> gen.Suite:
    """The pre-load suite as GX runs it in SQL: a strftime or JSON check becomes its helper flag."""
    import copy

    flags = {
        "expect_column_values_to_match_strftime_format": STRFTIME_SUFFIX,
        "expect_column_values_to_be_json_parseable": JSON_SUFFIX,
    }
    exps = copy.deepcopy(suite.expectations)
    for e in exps:
        if e["type"] in flags:
            kw = e["kwargs"]
            e["kwargs"] = {
                "column": kw["column"] + flags[e["type"]],
                "value_set": [True],
                **({"mostly": kw["mostly"]} if "mostly" in kw else {}),
            }
            e["type"] = "expect_column_values_to_be_in_set"
    return suite.with_expectations(exps)


def frame(db: Path, table: str):
    """One staged table as a pandas DataFrame indexed by line (the pandas option)."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        df = con.execute(f"SELECT * FROM main.{qi(table)} ORDER BY _line").df()
    finally:
        con.close()
    return df.set_index("_line").rename_axis("line")
