"""Plant defects: choose source rows, change their text, and say which rule each record breaks.

A plan is, per table, a list of Events: either *replace* clean row i by a changed record, or
*insert* a new record (a duplicate, a malformed line) after clean row j. The writer merges events
into the clean stream and knows the physical line of each, which goes into the manifest.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Protocol

import numpy as np

from contractbook.contract.kinds import by_field
from contractbook.sqltext import ident

from . import plugins
from .records import TS_FORMAT, esc, line, set_value
from .spec import DEFECT_KINDS, Spec
from .targets import HEX32, DefectTarget, targets

# Text a duplicate gets in numeric columns a SQL rule sums, so the copy leaves every total alone.
NEUTRAL = {"integer": "0", "bigint": "0", "double": "0.0"}


@dataclass
class Event:
    """One planted record: replaces clean row `row` (op 'replace') or follows it (op 'insert')."""

    row: int
    op: str
    data: bytes
    entries: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, rule_id, key JSON)
    seq: int = 0

    @property
    def order(self) -> tuple:
        """Position in the file: before clean row `row` (replace) or after it (insert)."""
        return (self.row, 1, self.seq) if self.op == "replace" else (self.row + 1, 0, self.seq)


class PlantContext:
    """What planters need: the contract table, the rng, fresh ids, and key JSON for a row."""

    def __init__(self, table, rng: np.random.Generator, existing: Callable[[str], set], facts):
        self.table, self.rng, self._existing = table, rng, existing
        self.sql_cols = facts.sql_cols
        self.extra = facts.summed(table.name)
        self.free_text = lambda column: facts.free_text(table.name, column)
        self.names = table.column_names
        self.counter = 0
        self.plugin: object = None  # the contract's synth plug-in, set by plant()

    def i(self, column: str) -> int:
        """Position of column in the record."""
        return self.names.index(column)

    def key(self, values) -> str:
        """JSON object of the primary-key values as written."""
        return json.dumps(
            {k: values[self.i(k)] for k in self.table.primary_key}, ensure_ascii=False
        )

    def _fresh_matching(self, col, taken: set) -> str:
        import random

        import rstr

        gen = rstr.Rstr(random.Random(int(self.rng.integers(2**31))))
        for _ in range(1000):
            v = gen.xeger(col.pattern)
            if v not in taken and re.search(col.pattern, v):
                taken.add(v)
                return v
        raise ValueError(f"column {col.name!r}: no fresh value matching {col.pattern!r}")

    def fresh(self, column: str, like: str | None) -> str:
        """A new value for column that exists nowhere in the table (hex ids, or `<value>_<n>`)."""
        if self.table.column(column).pattern == HEX32:
            return bytes(self.rng.integers(0, 256, 16, dtype=np.uint8)).hex()
        taken = self._existing(column)
        col = self.table.column(column)
        if col.type.kind in ("integer", "bigint"):  # stay an integer, within the column's range
            self.counter += 1
            value = fresh_integer(col, {int(x) for x in taken if x}, self.counter)
            taken.add(str(value))
            return str(value)
        if col.pattern:  # stay within the pattern
            return self._fresh_matching(col, taken)
        while True:
            self.counter += 1
            suffix = f"_{self.counter + 1}"  # _2, _3, ... like the data's own
            stem = like or column
            if col.max_length is not None:  # stay within the column's length
                stem = stem[: max(0, col.max_length - len(suffix))]
            candidate = stem + suffix
            if candidate not in taken:
                taken.add(candidate)
                return candidate


def _bounds(col) -> tuple[int | None, int | None]:
    """The smallest and largest whole number col's range rules allow (None: unbounded)."""
    lows = [math.ceil(float(col.minimum))] if col.minimum is not None else []
    highs = [math.floor(float(col.maximum))] if col.maximum is not None else []
    if col.exclusive_minimum is not None:
        lows.append(math.floor(float(col.exclusive_minimum)) + 1)
    if col.exclusive_maximum is not None:
        highs.append(math.ceil(float(col.exclusive_maximum)) - 1)
    return (max(lows) if lows else None), (min(highs) if highs else None)


def fresh_integer(col, taken: set[int], step: int) -> int:
    """A whole number no row uses, within col's range rules: beyond every value in use where the
    range allows it, else the first unused one from the range's low end (or high end)."""
    lo, hi = _bounds(col)
    beyond = max(taken, default=0 if lo is None else lo - 1) + 1_000_000 + step
    if (hi is None or beyond <= hi) and (lo is None or beyond >= lo):
        return beyond
    used = np.unique(np.fromiter(taken, np.int64, len(taken)))
    if lo is not None:
        used = used[used >= lo]
        expected = lo + np.arange(used.size)
        gaps = np.flatnonzero(used != expected)
        found = int(expected[gaps[0]]) if gaps.size else lo + used.size
        if hi is None or found <= hi:
            return found
    else:
        assert hi is not None  # unbounded both ways: `beyond` fits
        used = used[used <= hi][::-1]
        expected = hi - np.arange(used.size)
        gaps = np.flatnonzero(used != expected)
        return int(expected[gaps[0]]) if gaps.size else hi - used.size
    raise ValueError(
        f"column {col.name!r}: every whole number from {lo} to {hi} is in use; no fresh value "
        "for a planted defect (widen the range or plant fewer defects)"
    )


def _text_of_kind(kind: str, scale: int | None, value: Decimal) -> str:
    return f"{value:.{scale}f}" if kind == "decimal" else str(value)


# --- value breakers: column -> a text that breaks exactly the named rule -----------------------


def _break_pattern(col, v: str) -> str:
    """A value that no longer matches the column's pattern, in the way real data goes wrong."""
    limit = col.type.length or len(v) + 4  # stay within the type: break only the pattern
    for candidate in (v.lower(), v.upper(), v.lstrip("0"), v[:-1], v + "-000", "?" + v):
        if candidate and len(candidate) <= limit and not re.search(col.pattern, candidate):
            return candidate
    raise ValueError(f"cannot break pattern {col.pattern!r} of column {col.name!r}")


def _break_allowed(col, v: str) -> str:
    limit = col.type.length or len(v) + 4
    allowed = {str(a) for a in col.allowed_values}
    for candidate in (v.upper(), "pix", f"{v}_x"):
        if candidate not in allowed and len(candidate) <= limit:
            return candidate
    raise ValueError(f"cannot find a value outside the allowed values of {col.name!r}")


def _break_range(col, v: str) -> str:
    bounds = [
        (col.maximum, 1),
        (col.exclusive_maximum, 0),
        (col.minimum, -1),
        (col.exclusive_minimum, 0),
    ]
    for bound, step in bounds:
        if bound is not None:
            value = Decimal(str(bound)) + step
            if col.type.kind in ("integer", "bigint"):
                return str(int(value))
            return _text_of_kind(col.type.kind, col.type.scale, value + Decimal("0.5") * step)
    raise ValueError(f"column {col.name!r} has no bounds to break")


def _bad_timestamp(v: str) -> str:
    return datetime.strptime(v, TS_FORMAT).strftime("%d/%m/%Y %H:%M")  # Brazilian day-first


def _day_first(v: str) -> str:
    """A date or timestamp text written day-first (timestamps keep the Olist form exactly)."""
    try:
        return _bad_timestamp(v)
    except ValueError:
        return re.sub(r"^(\d{4})-(\d{2})-(\d{2})", r"\3/\2/\1", v)


# Breaker recipe (a kind's `breaker` in TYPE_KINDS) -> a text that does not cast to that kind,
# written the way such values arrive in practice.
BREAKERS = {
    "not_a_number": lambda v: "N/A",
    "decimal_comma": lambda v: v.replace(".", ",") if "." in v else v + ",5",
    "day_first": _day_first,
    "not_a_boolean": lambda v: "maybe",
    "not_a_time": lambda v: v.replace(":", "h", 1),
    "json": lambda v: "{" + v.strip("{}[]") + ",",
}
# Column kind -> its breaker (a view of TYPE_KINDS).
TYPE_BREAKERS = {k: BREAKERS[b] for k, b in by_field("breaker").items() if b}


_set = set_value


def _value_defect(ctx: PlantContext, values: list, column: str, text) -> tuple[str, bytes, str]:
    """Replace the row's value; in tables whose amounts a SQL rule sums, add a zero-amount record
    with the next sequence number instead (so rejecting it changes no total)."""
    if not ctx.extra:
        new = _set(ctx, values, column, text)
        return "replace", line(new), ctx.key(new)
    seq = ctx.table.primary_key[-1]
    new = _set(ctx, _neutral(ctx, values), seq, str(int(values[ctx.i(seq)]) + 1))
    new = _set(ctx, new, column, text)
    return "insert", line(new), ctx.key(new)


# --- planters: (ctx, target, source values, k) -> (op, new values or bytes, key JSON) -----------


def _required(ctx, t, v, k):
    return _value_defect(ctx, v, t.column, None)


def _type(ctx, t, v, k):
    col = ctx.table.column(t.column)
    if col.type.kind not in TYPE_BREAKERS:
        raise ValueError(f"column {col.name!r}: no way to write a value that is not {col.type}")
    value = v[ctx.i(t.column)]
    if value in (None, ""):  # an empty source value: break a value the column holds elsewhere
        value = min(x for x in ctx._existing(t.column) if x not in (None, ""))
    return _value_defect(ctx, v, t.column, TYPE_BREAKERS[col.type.kind](value))


def _breaker(fn):
    def plant(ctx, t, v, k):
        return _value_defect(ctx, v, t.column, fn(ctx.table.column(t.column), v[ctx.i(t.column)]))

    return plant


def _neutral(ctx, values: list) -> list:
    """values with zero in every non-key number a SQL rule reads (sums stay as they were)."""
    out = list(values)
    for c in ctx.table.columns:
        if (ctx.table.name, c.name) in ctx.sql_cols and c.name not in ctx.table.primary_key:
            if c.type.kind == "decimal":
                out[ctx.i(c.name)] = f"{0:.{c.type.scale}f}"
            elif c.type.kind in NEUTRAL:
                out[ctx.i(c.name)] = NEUTRAL[c.type.kind]
    return out


def _primary_key(ctx, t, v, k):
    new = _neutral(ctx, v) if ctx.extra else list(v)  # zeros only where a SQL rule sums
    return "insert", line(new), ctx.key(new)


def _unique(ctx, t, v, k):
    new = list(v)
    for c in ctx.table.primary_key:
        new[ctx.i(c)] = ctx.fresh(c, v[ctx.i(c)])
    return "insert", line(new), ctx.key(new)


def _foreign_key(ctx, t, v, k):
    known = ctx.plugin.orphans.get(f"{t.table}.{t.column}")
    orphan = known[k % len(known)] if known else ctx.fresh(t.column, v[ctx.i(t.column)])
    return _value_defect(ctx, v, t.column, orphan)


def _fresh_copy(ctx, v) -> list:
    """A new record like v with a fresh first key column and no line breaks."""
    new = [None if x is None else x.replace("\n", " ").replace("\r", " ") for x in v]
    if ctx.table.primary_key:
        c = ctx.table.primary_key[0]
        new[ctx.i(c)] = ctx.fresh(c, v[ctx.i(c)])
    return new


def _column_count(ctx, t, v, k):
    new = _fresh_copy(ctx, v)
    new = new + [new[-1] or "extra"] if k % 2 == 0 else new[:-1]
    return "insert", line(new), "{}"


def _text_column(ctx) -> int:
    """Position of the first non-key string column (else the first column)."""
    names = [
        c.name
        for c in ctx.table.columns
        if c.type.kind == "string" and c.name not in ctx.table.primary_key
    ]
    return ctx.i(names[0]) if names else 0


def _clean_text(x: str | None) -> str:
    return re.sub(r'[,"\n\r]', " ", x or "") or "sem valor"


def _quoting(ctx, t, v, k):
    new = _fresh_copy(ctx, v)
    i = _text_column(ctx)
    fields = [esc(x) for x in new]
    fields[i] = f'"{_clean_text(new[i])}"-{k}'  # text after the closing quote
    return "insert", (",".join(fields) + "\n").encode("utf-8"), "{}"


def _encoding(ctx, t, v, k):
    new = _fresh_copy(ctx, v)
    i = ctx.i(next(c for c in ctx.names if ctx.free_text(c)))
    fields = [esc(x).encode("utf-8") for x in new]
    fields[i] = _clean_text(new[i]).encode("utf-8") + " são".encode("latin-1")  # not UTF-8
    return "insert", b",".join(fields) + b"\n", "{}"


PLANTERS = {
    "required": _required,
    "type": _type,
    "primary_key": _primary_key,
    "unique": _unique,
    "allowed_values": _breaker(_break_allowed),
    "pattern": _breaker(_break_pattern),
    "range": _breaker(_break_range),
    "foreign_key": _foreign_key,
    "csv_column_count": _column_count,
    "csv_quoting": _quoting,
    "csv_encoding": _encoding,
}


# --- eligible source rows: SQL over the clean tables (each has a `_row` column: its position) ---

VALUE_KINDS = ("required", "type", "allowed_values", "pattern", "range", "foreign_key")


def next_free_sql(table) -> str:
    """Rows whose next sequence number (last key column + 1) is free within their group."""
    *group, seq = (ident(c) for c in table.primary_key)
    same = " AND ".join(f"b.{c} = a.{c}" for c in group)
    return (
        f"SELECT a._row FROM {ident(table.name)} AS a ANTI JOIN {ident(table.name)} AS b "
        f"ON {same} AND b.{seq} = a.{seq} + 1"
    )


class Rows(Protocol):
    """Access to the clean tables the planner needs (the runner implements it with DuckDB)."""

    def count(self, table: str) -> int:
        """Rows of table."""

    def where(self, sql: str) -> np.ndarray:
        """Positions returned by a `SELECT _row ...` query."""

    def texts(self, table: str, rows: np.ndarray) -> list[list]:
        """CSV text values of those rows, in contract column order."""

    def arrow(self, table: str):
        """The clean table as generated (pyarrow.Table)."""


def _per_target_counts(
    spec: Spec, kind: str, found: list[DefectTarget], rows: dict[str, int]
) -> list[int]:
    n = spec.count(kind)
    if not found:
        return []
    if n is None:  # rate: a fraction of each target table's rows, split over the targets
        return [max(1, round(spec.rate * rows[t.table] / len(found))) for t in found]
    return [n // len(found) + (i < n % len(found)) for i in range(len(found))]


def _mask(src: Rows, table: str, sql: str) -> np.ndarray:
    out = np.zeros(src.count(table), dtype=bool)
    out[src.where(sql)] = True
    return out


def _choose(contract, src: Rows, spec: Spec, facts, rng, plugin) -> tuple[list, dict, list]:
    """Source rows per target: distinct rows for changed records, eligible where a planter needs.

    Also the used rows per table, and the (target, count) of SQL rules to search (sqlplant).
    """
    found = targets(contract, facts.sql_planters)
    searched = []
    rows = {t: src.count(t) for t in contract.table_names}
    used = {t: np.zeros(rows[t], dtype=bool) for t in contract.table_names}
    free: dict[str, np.ndarray] = {}  # rows whose next sequence number is free
    picks = []
    for kind in DEFECT_KINDS:
        for target, k in zip(
            found[kind], _per_target_counts(spec, kind, found[kind], rows), strict=True
        ):
            if k == 0:
                continue
            if kind == "sql" and target.rule_id not in plugin.sql_planters:
                searched.append((target, k))
                continue
            malformed = kind.startswith("csv_")  # fresh copies: any row will do, it stays as is
            ok = np.ones(rows[target.table], dtype=bool) if malformed else ~used[target.table]
            if target.rule_id in plugin.eligible:
                ok &= _mask(src, target.table, plugin.eligible[target.rule_id])
            if kind in VALUE_KINDS and facts.summed(target.table):
                if target.table not in free:
                    free[target.table] = _mask(
                        src, target.table, next_free_sql(contract.table(target.table))
                    )
                ok &= free[target.table]
            pool = np.flatnonzero(ok)
            if len(pool) < k:
                raise ValueError(
                    f"cannot plant {k} {kind} defect(s) for {target.rule_id}: only "
                    f"{len(pool)} suitable row(s) in {target.table}; lower the count "
                    f"or raise n_orders"
                )
            chosen = np.sort(pool[rng.choice(len(pool), size=k, replace=False)])
            used[target.table][chosen] |= not malformed
            picks.append((target, chosen))
    return picks, used, searched


def _place(target: DefectTarget, op: str, row: int, n: int, rng) -> int:
    """Clean row the record replaces or follows: duplicates come later than their original,
    malformed lines anywhere, extra value records right after their source."""
    if op == "insert" and target.kind in ("primary_key", "unique"):
        return int(rng.integers(row, n))
    if op == "insert" and target.kind not in VALUE_KINDS:
        return int(rng.integers(-1, n))
    return row


def plan(
    contract, src: Rows, spec: Spec, seed: int, plugin=None, notes: dict | None = None
) -> dict[str, list[Event]]:
    """Events per table for spec, from the clean tables `src` gives access to.

    notes, when given, receives rule id -> why, for SQL rules a search found no mutation for.
    """
    from .targets import Facts

    events: dict[str, list[Event]] = {t: [] for t in contract.table_names}
    if spec.empty:
        return events
    rng = np.random.default_rng([seed, 99])
    plugin = plugin or plugins.for_contract(contract)
    facts = Facts(contract, plugin.sql_rule_ids(contract))
    picks, used, searched = _choose(contract, src, spec, facts, rng, plugin)
    contexts: dict[str, PlantContext] = {}

    def context(table: str) -> PlantContext:
        if table not in contexts:
            t = contract.table(table)
            contexts[table] = PlantContext(t, rng, _existing(src, t), facts)
            contexts[table].plugin = plugin
        return contexts[table]

    for table in contract.table_names:
        mine = [(t, r) for t, r in picks if t.table == table]
        if not mine:
            continue
        allrows = np.concatenate([r for _, r in mine])
        text = dict(zip(allrows.tolist(), src.texts(table, allrows), strict=True))
        ctx = context(table)
        for target, chosen in mine:
            planter = (
                plugin.sql_planters[target.rule_id]
                if target.kind == "sql"
                else PLANTERS[target.kind]
            )
            for k, row in enumerate(chosen.tolist()):
                op, data, key = planter(ctx, target, text[row], k)
                at = _place(target, op, row, src.count(table), rng)
                events[table].append(
                    Event(
                        at, op, data, [(target.kind, target.rule_id, key)], seq=len(events[table])
                    )
                )
    _searched(contract, src, searched, used, context, rng, events, notes)
    for table in events:
        events[table].sort(key=lambda e: e.order)
    return events


def _searched(contract, src, searched, used, context, rng, events, notes) -> None:
    """Events for SQL rules planted by search (sqlplant), one searcher per table."""
    from . import sqlplant

    by_table: dict[str, list] = {}
    for target, k in searched:
        by_table.setdefault(target.table, []).append((target, k))
    for table, items in by_table.items():
        read = {table} | {t for target, _ in items for t in sqlplant.tables_read(contract, target)}
        s = sqlplant.Searcher(
            contract,
            table,
            {t: src.arrow(t) for t in contract.table_names if t in read},
            lambda rows, t=table: src.texts(t, rows),
        )
        try:
            for target, k in items:
                rule = next(r for r in contract.rules if r.id == target.rule_id)
                free = ~used[table]
                found, why = sqlplant.search(context(table), s, rule, k, free, rng)
                used[table] |= ~free
                if not found and notes is not None:
                    notes[rule.id] = why
                for p in found:
                    events[table] += _sql_events(context(table), target, p, s, len(events[table]))
        finally:
            s.close()


def _sql_events(ctx, target, p, s, seq: int) -> list[Event]:
    """Events of one searched instance: changed, inserted and flagged rows (entries on flagged)."""
    out = []

    def entries(row: int, values) -> list:
        return [("sql", target.rule_id, ctx.key(values))] if row in p.flagged else []

    for row, values in p.changed.items():
        out.append(Event(row, "replace", line(values), entries(row, values)))
    for after, row, values in p.inserted:
        out.append(Event(after, "insert", line(values), entries(row, values)))
    for row in p.flagged:
        if row not in p.changed and row < s.n:
            values = s.row_text(row)
            out.append(Event(row, "replace", line(values), entries(row, values)))
    for i, ev in enumerate(out):
        ev.seq = seq + i
    return out


def _existing(src: Rows, table) -> Callable[[str], set]:
    """column -> the set of its values (read once, only for columns that need a fresh value)."""
    cache: dict[str, set] = {}

    def existing(column: str) -> set:
        if column not in cache:
            rows = src.where(f"SELECT _row FROM {ident(table.name)}")
            cache[column] = {
                r[table.column_names.index(column)] for r in src.texts(table.name, rows)
            }
        return cache[column]

    return existing


def __getattr__(name: str):
    """SQL_PLANTERS / ELIGIBLE / ORPHANS: the Olist plug-in's (where they used to live)."""
    if name in ("SQL_PLANTERS", "ELIGIBLE", "ORPHANS"):
        from . import olist

        return getattr(olist, name)
    raise AttributeError(name)
