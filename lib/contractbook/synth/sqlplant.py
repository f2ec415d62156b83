"""Generic SQL-rule defects: mutate clean rows until the rule's own query flags them.

A `type: sql` rule has no generic inverse, but its query is declared by the contract and ingest
evaluates it (ingest/check.py: the failing-rows query of `SELECT COUNT(*) FROM (<rows>)`, on a
restricted DuckDB, joined back to the table on shared column names). The planter does the same on
the clean tables, typed as ingest types them: it applies one candidate mutation (a referenced
column set to NULL, to its min or max, to another row's value or to another column's value of the
same domain; a copy of a row with fresh keys), re-runs every SQL rule, and keeps the first mutation
that makes this rule flag a few unused rows while every other SQL rule flags none. Values come
from existing rows of the same column (or a same-domain column), so column rules still hold.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
from sqlglot import exp

from contractbook.contract.sqlrules import sql as rule_sql
from contractbook.ingest.castmap import cast_expr
from contractbook.sqltext import ident, literal

from .render import text_expr

# As ingest.sqlconn.RESTRICTED: no file, network or extension access, settings locked.
RESTRICTED: dict[str, str | bool | int | float | list[str]] = {
    "enable_external_access": False,
    "lock_configuration": True,
}
ROWS_PER_MUTATION = 3  # candidate rows tried per mutation
MAX_FLAGGED = 4  # a planted instance may make the rule flag at most this many rows
MAX_INSTANCES = 25  # instances planted per rule at most (each is a search; `rate=` asks many)
WORK = "cbplant"  # schema of the planter's own tables (rules read unqualified contract names)

NOT_ROWS = (
    "it returns one value, not failing rows: ingest checks it as a table-level check on the "
    "accepted rows, and the planter targets only rules of the form SELECT COUNT(*) FROM "
    "(<failing rows>)"
)
PARENT = "its table is a foreign-key parent: rejecting a flagged row would also reject its children"
NO_KEYS = "its failing rows share no column with its table (ingest refuses such a rule)"
ALREADY = "the clean rows already fail it (the generic generator knows no SQL condition)"


@dataclass(frozen=True)
class Mutation:
    """Row `row` gets column `column` from row `source` column `from_column` (None: NULL);
    kind `duplicate`: a copy of `row` is inserted with fresh keys."""

    kind: str
    row: int
    column: str | None = None
    source: int | None = None
    from_column: str | None = None

    def describe(self) -> str:
        """A short label (for reasons and tests)."""
        return self.kind if self.column is None else f"{self.kind}:{self.column}"


@dataclass
class Planted:
    """One planted instance: rows changed (text), rows inserted after a source row, flagged."""

    mutation: Mutation
    changed: dict[int, list] = field(default_factory=dict)  # clean row -> its new text values
    inserted: list[tuple[int, int, list]] = field(default_factory=list)  # (after, _row, values)
    flagged: list[int] = field(default_factory=list)  # _row values the rule flags


def why_not(contract, rule) -> str:
    """Why the generic planter cannot target rule ('' when it may try)."""
    if rule.params.get("rows_tree") is None:
        return NOT_ROWS
    referenced = {r.to_table for r in contract.relationships}
    if rule.table in referenced and rule.policy == "reject":
        return PARENT
    return ""


def plantable(contract) -> set[str]:
    """Ids of the SQL rules the generic planter may try."""
    return {r.id for r in contract.rules if r.kind == "sql" and not why_not(contract, r)}


def _domain(col) -> tuple:
    """What a value must satisfy in col: type and every row-level constraint."""
    return (
        str(col.type),
        col.pattern,
        col.minimum,
        col.maximum,
        col.exclusive_minimum,
        col.exclusive_maximum,
        col.min_length,
        col.max_length,
        col.allowed_values,
        col.format,
    )


def _referenced(rule, table) -> list[str]:
    """Columns of table the rule's query names, in table order."""
    tree = rule.params["rows_tree"]
    names = {c.name for c in tree.find_all(exp.Column)}
    star = tree.find(exp.Star) is not None
    return [c for c in table.column_names if star or c in names]


class Searcher:
    """The clean tables typed in a restricted DuckDB; evaluates candidate mutations of one table."""

    def __init__(self, contract, table: str, arrow: dict, texts):
        import duckdb

        self.contract, self.t = contract, contract.table(table)
        self.texts = texts  # rows -> their CSV text values (clean)
        self.rules = [r for r in contract.rules if r.kind == "sql" and r.params.get("rows_tree")]
        self.con = duckdb.connect(config=RESTRICTED)
        self.con.execute(f"CREATE SCHEMA {WORK}")
        for name, data in arrow.items():
            self._typed(name, data, own=name == table)
        self.n = arrow[table].num_rows
        self.next_row = self.n
        self.text: dict[int, list] = {}  # current text of rows changed or inserted so far
        self.extremes: dict[tuple[str, str], int | None] = {}

    def _typed(self, name: str, data, own: bool) -> None:
        """The table as ingest types it: CSV text of every column, cast back by ingest's casts."""
        t = self.contract.table(name)
        if own:
            data = data.append_column("_row", pa.array(np.arange(data.num_rows, dtype=np.int64)))
        self.con.register(f"{WORK}_src", data)
        cols = ", ".join(
            f"{cast_expr(c, '(' + text_expr(c) + ')', name)} AS {ident(c.name)}" for c in t.columns
        )
        target = f"{WORK}.cur" if own else f"{WORK}.{ident('t_' + name)}"
        row = "_row, " if own else ""
        self.con.execute(f"CREATE TABLE {target} AS SELECT {row}{cols} FROM {WORK}_src")
        self.con.unregister(f"{WORK}_src")
        if not own:
            self.con.execute(f"CREATE VIEW {ident(name)} AS SELECT * FROM {target}")

    def close(self) -> None:
        """Release the connection."""
        self.con.close()

    def stage(self, m: Mutation | None, fresh: dict[str, str]) -> None:
        """Views {WORK}.cand (with _row) and <table> (what the rules read) for mutation m."""
        cur = f"{WORK}.cur"
        if m is None:
            body = f"SELECT * FROM {cur}"
        elif m.kind == "duplicate":
            body = f"SELECT * FROM {cur} UNION ALL {self._copy(m, fresh)}"
        else:
            assert m.column is not None  # every kind but duplicate names its column
            c = ident(m.column)
            body = (
                f"SELECT * REPLACE (CASE WHEN _row = {m.row} THEN {self._value(m)} ELSE {c} END "
                f"AS {c}) FROM {cur}"
            )
        self.con.execute(f"CREATE OR REPLACE VIEW {WORK}.cand AS {body}")
        self.con.execute(
            f"CREATE OR REPLACE VIEW {ident(self.t.name)} AS "
            f"SELECT * EXCLUDE (_row) FROM {WORK}.cand"
        )

    def _value(self, m: Mutation) -> str:
        """The new value of an assignment: NULL, or the source row's value of from_column."""
        if m.source is None:
            return "NULL"
        assert m.from_column is not None  # a source row always names its column
        return f"(SELECT {ident(m.from_column)} FROM {WORK}.cur WHERE _row = {m.source})"

    def _copy(self, m: Mutation, fresh: dict[str, str]) -> str:
        """SELECT of the copy of row m.row with fresh key values, as the next _row."""
        repl = ", ".join(
            f"{cast_expr(self.t.column(c), literal(v), self.t.name)} AS {ident(c)}"
            for c, v in fresh.items()
        )
        return (
            f"SELECT * REPLACE ({repl}, CAST({self.next_row} AS BIGINT) AS _row) "
            f"FROM {WORK}.cur WHERE _row = {m.row}"
        )

    def keys(self, rule) -> list[str]:
        """Columns of the rule's failing rows that are this table's (ingest joins on them)."""
        query = rule_sql(rule.params["rows_tree"])
        return [c for c in self.con.sql(query).columns if c in self.t.column_names]

    def flagged(self, rule) -> set[int]:
        """_row values of this table the rule's failing rows name (ingest's join on keys)."""
        query = rule_sql(rule.params["rows_tree"])
        keys = self.keys(rule)
        on = " AND ".join(f"c.{ident(k)} IS NOT DISTINCT FROM f.{ident(k)}" for k in keys)
        rows = self.con.sql(
            f"SELECT DISTINCT c._row FROM {WORK}.cand AS c JOIN "
            f"(SELECT DISTINCT {', '.join(ident(k) for k in keys)} FROM ({query})) AS f ON {on}"
        ).fetchall()
        return {r[0] for r in rows}

    def failing(self, rule) -> frozenset:
        """The distinct failing rows the rule returns (any table's rule; this table as staged)."""
        query = rule_sql(rule.params["rows_tree"])
        return frozenset(self.con.sql(f"SELECT DISTINCT * FROM ({query})").fetchall())

    def others(self, rule) -> list:
        """The other SQL rules reading this table (their failing rows must stay as they are;
        approximation: another table's rule sees the flagged rows ingest would reject first)."""
        return [r for r in self.rules if r.id != rule.id and self.t.name in {*_tables(r), r.table}]

    def commit(self, m: Mutation, fresh: dict[str, str]) -> None:
        """Make the candidate the current state; keep the text of the rows it changed."""
        if m.kind == "duplicate":
            self.con.execute(f"INSERT INTO {WORK}.cur {self._copy(m, fresh)}")
        else:
            assert m.column is not None  # every kind but duplicate names its column
            c = ident(m.column)
            self.con.execute(f"UPDATE {WORK}.cur SET {c} = {self._value(m)} WHERE _row = {m.row}")
        self.extremes.clear()
        names = self.t.column_names
        if m.kind == "duplicate":
            values = list(self.row_text(m.row))
            for c, v in fresh.items():
                values[names.index(c)] = v
            self.text[self.next_row] = values
            self.next_row += 1
            return
        values = list(self.row_text(m.row))
        values[names.index(m.column)] = (
            None if m.source is None else self.row_text(m.source)[names.index(m.from_column)]
        )
        self.text[m.row] = values

    def row_text(self, row: int) -> list:
        """The current CSV text values of a row."""
        if row not in self.text:
            self.text[row] = self.texts(np.array([row]))[0]
        return self.text[row]

    def extreme(self, column: str, fn: str) -> int | None:
        """A row holding the min or max of column (None when the column is all NULL)."""
        if (column, fn) not in self.extremes:
            c = ident(column)
            got = self.con.sql(f"SELECT {fn}(_row, {c}) FROM {WORK}.cur WHERE {c} IS NOT NULL")
            self.extremes[column, fn] = got.fetchall()[0][0]
        return self.extremes[column, fn]


def _tables(rule) -> set[str]:
    from contractbook.contract.sqlrules import tables_of

    return tables_of(rule.params["rows_tree"])


def tables_read(contract, target) -> set[str]:
    """Contract tables the target's rule reads, or any SQL rule reading its table reads."""
    rules = [r for r in contract.rules if r.kind == "sql" and r.params.get("rows_tree")]
    mine = [r for r in rules if r.id == target.rule_id or target.table in {*_tables(r), r.table}]
    return {t for r in mine for t in (*_tables(r), r.table)} & set(contract.table_names)


def _mutations(s: Searcher, rule, row: int, other: int) -> list[Mutation]:
    """Candidate mutations of row (other: another row), cheapest and most local first."""
    t = s.t
    cols = [c for c in _referenced(rule, t) if c not in t.primary_key]
    fks = _fk_columns(t)  # another column's value there could be an orphan
    out = []
    for name in cols:
        col = t.column(name)
        if not col.required:
            out.append(Mutation("null", row, name))
        if col.unique:
            continue
        for kind, fn in (("min", "arg_min"), ("max", "arg_max")):
            src = s.extreme(name, fn)
            if src is not None and src != row:
                out.append(Mutation(kind, row, name, src, name))
        out.append(Mutation("other_row", row, name, other, name))
        out += [
            Mutation("other_column", row, name, row, d)
            for d in cols
            if d != name and _domain(t.column(d)) == _domain(col) and not {name, d} & fks
        ]
    if set(t.primary_key) - fks and not any(c.unique and c.name in fks for c in t.columns):
        out.append(Mutation("duplicate", row))
    return out


def _fk_columns(t) -> set[str]:
    """Columns of t that are (part of) a foreign key."""
    return {c for r in t.relationships for c in r.columns}


def _fresh(ctx, s: Searcher, row: int) -> dict[str, str]:
    """Fresh text values for a copy of row: its key columns (foreign keys kept) and unique ones."""
    values = s.row_text(row)
    t = s.t
    fks = _fk_columns(t)
    cols = [
        c.name for c in t.columns if (c.name in t.primary_key and c.name not in fks) or c.unique
    ]
    return {c: ctx.fresh(c, values[t.column_names.index(c)]) for c in cols}


def search(ctx, s: Searcher, rule, k: int, free: np.ndarray, rng) -> tuple[list[Planted], str]:
    """Plant k instances breaking rule; the instances found and, if fewer, why not more."""
    s.stage(None, {})
    if not s.keys(rule):
        return [], NO_KEYS
    if s.flagged(rule):
        return [], ALREADY
    out: list[Planted] = []
    tried: set[str] = set()
    k = min(k, MAX_INSTANCES)
    for _ in range(k):
        got = _one(ctx, s, rule, free, rng, tried)
        if got is None:
            break
        out.append(got)
        for r in [*got.flagged, *got.changed, *(a for a, _, _ in got.inserted)]:
            if r < s.n:
                free[r] = False
    if len(out) == k:
        return out, ""
    return out, (
        f"no mutation within the budget made the rule fail on its own (tried {ROWS_PER_MUTATION} "
        f"rows each of: {', '.join(sorted(tried)) or 'none'})"
    )


def _one(ctx, s: Searcher, rule, free: np.ndarray, rng, tried: set) -> Planted | None:
    """The first mutation of a few free rows that makes rule flag free rows only, or None."""
    pool = np.flatnonzero(free)
    if len(pool) < 2:
        return None
    rows = rng.permutation(pool)[: ROWS_PER_MUTATION + 1].tolist()
    s.stage(None, {})
    before = s.flagged(rule)  # rows earlier instances made the rule flag
    others = {r.id: (r, s.failing(r)) for r in s.others(rule)}
    for i, row in enumerate(rows[:ROWS_PER_MUTATION]):
        other = rows[i + 1]
        for m in _mutations(s, rule, row, other):
            tried.add(m.describe())
            fresh = _fresh(ctx, s, row) if m.kind == "duplicate" else {}
            s.stage(m, fresh)
            now = s.flagged(rule)
            hit = now - before
            ok = hit and before <= now and len(hit) <= MAX_FLAGGED
            ok = ok and all(r >= s.n or free[r] for r in hit)
            if not ok or any(s.failing(r) != base for r, base in others.values()):
                continue
            planted = Planted(m, flagged=sorted(hit))
            s.commit(m, fresh)
            if m.kind == "duplicate":
                planted.inserted.append((row, s.next_row - 1, s.text[s.next_row - 1]))
            else:
                planted.changed[row] = s.text[row]
            return planted
    return None
