"""Generic planter for table-level SQL rules (one-number queries): one row's value moves the
metric past the rule's threshold while staying inside the column's own rules."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from sqlglot import exp

from contractbook.contract.kinds import kind
from contractbook.contract.sqlrules import sql as rule_sql
from contractbook.contract.sqlrules import tables_of
from contractbook.contract.thresholds import passes, plain
from contractbook.contract.thresholds import table_rules as one_number_rules
from contractbook.ingest.castmap import cast_expr
from contractbook.sqltext import ident, literal

from .plant import Event
from .records import line
from .sqlplant import WORK, Searcher

NUMERIC = ("int", "num")  # kind families whose values the planter may move


@dataclass(frozen=True)
class TablePlant:
    """One planted table-level defect: clean row `row` of table gets `value` in `column`."""

    rule_id: str
    table: str
    row: int
    column: str
    value: str
    metric: float | int | str | None  # the rule's value on the planted (accepted) rows

    def to_dict(self) -> dict:
        """The manifest.json form."""
        return {
            "table": self.table,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "metric": self.metric,
        }


def table_rules(contract) -> list:
    """The contract's accepted SQL rules that return one value (not failing rows)."""
    return [r for t in contract.table_names for r in one_number_rules(contract, t)]


def _numbers(threshold) -> list[Decimal]:
    """Candidate values around a threshold (or both bounds): t - 1, t, t + 1."""
    bounds = threshold if isinstance(threshold, list | tuple) else [threshold]
    out = []
    for b in bounds:
        if isinstance(b, int | float) and not isinstance(b, bool):
            d = Decimal(str(b))
            out += [d + 1, d, d - 1]
    return out


def _fits(col, d: Decimal) -> bool:
    """Whether d is a value col's own rules accept (integer kinds, minimum, maximum)."""
    if kind(col.type.kind).family == "int" and d != d.to_integral_value():
        return False
    bounds = (
        (col.minimum, lambda b: d >= b),
        (col.maximum, lambda b: d <= b),
        (col.exclusive_minimum, lambda b: d > b),
        (col.exclusive_maximum, lambda b: d < b),
    )
    return all(b is None or ok(Decimal(str(b))) for b, ok in bounds)


def _columns(contract, rule) -> list:
    """Numeric columns of the rule's table it names, which no other SQL rule or key reads."""
    t = contract.table(rule.table)
    named = {c.name for c in rule.params["tree"].find_all(exp.Column)}
    others = {
        c.name
        for r in contract.rules
        if r.kind == "sql" and r.id != rule.id and r.params.get("tree") is not None
        for c in r.params["tree"].find_all(exp.Column)
    }
    fks = {c for rel in t.relationships for c in rel.columns}
    return [
        c
        for c in t.columns
        if c.name in named - others
        and kind(c.type.kind).family in NUMERIC
        and c.name not in t.primary_key
        and c.name not in fks
        and not c.unique
    ]


def _metric(s: Searcher, rule, row: int | None = None, col=None, text: str = ""):
    """The rule's value with row's col set to text (None: the clean rows)."""
    name = ident(s.t.name)
    body = f"SELECT * EXCLUDE (_row) FROM {WORK}.cur"
    if row is not None:
        c = ident(col.name)
        new = cast_expr(col, literal(text), s.t.name)
        body = (
            f"SELECT * EXCLUDE (_row) REPLACE (CASE WHEN _row = {int(row)} THEN {new} "
            f"ELSE {c} END AS {c}) FROM {WORK}.cur"
        )
    s.con.execute(f"CREATE OR REPLACE VIEW {name} AS {body}")
    return s.con.sql(rule_sql(rule.params["tree"])).fetchall()[0][0]


def _fails(rule, value) -> bool:
    """Whether value breaks any of the rule's thresholds (a NULL value breaks them)."""
    declared = rule.params.get("thresholds") or (("mustBe", 0),)
    if value is None:
        return True
    try:
        return not all(passes(op, value, t) for op, t in declared)
    except (TypeError, ValueError):
        return False


def plant_one(contract, rule, s: Searcher, free: np.ndarray) -> tuple[TablePlant | None, str]:
    """A mutation of one free row making the rule's value fail, or None and why not."""
    if _fails(rule, _metric(s, rule)):
        return None, "the clean rows already fail it"
    cols = _columns(contract, rule)
    if not cols:
        return None, ("it names no numeric column of its table that no key or other SQL rule reads")
    pool = np.flatnonzero(free)
    if not len(pool):
        return None, "no row of its table is free of other planted defects"
    row = int(pool[0])
    tried = []
    for col in cols:
        for _, t in rule.params.get("thresholds") or (("mustBe", 0),):
            for d in _numbers(t):
                if not _fits(col, d):
                    tried.append(f"{col.name}={d} (outside the column's own rules)")
                    continue
                text = str(d)
                value = _metric(s, rule, row, col, text)
                if _fails(rule, value):
                    return TablePlant(rule.id, rule.table, row, col.name, text, plain(value)), ""
                tried.append(f"{col.name}={d}")
    return None, (
        "no value inside the columns' own rules makes its metric fail on the accepted rows "
        f"(tried {', '.join(tried) or 'none'})"
    )


def plant(contract, src, events: dict) -> tuple[dict[str, TablePlant], dict[str, str]]:
    """Plant one table-level defect per one-number SQL rule into events; (planted, why not)."""
    planted, why = {}, {}
    for rule in table_rules(contract):
        read = {rule.table} | (tables_of(rule.params["tree"]) & set(contract.table_names))
        s = Searcher(
            contract,
            rule.table,
            {t: src.arrow(t) for t in read},
            lambda rows, t=rule.table: src.texts(t, rows),
        )
        try:
            free = np.ones(s.n, dtype=bool)
            for ev in events[rule.table]:  # rows a planted record replaces or follows
                free[max(ev.row, 0) : ev.row + 2] = False
            got, reason = plant_one(contract, rule, s, free)
        finally:
            s.close()
        if got is None:
            why[rule.id] = reason
            continue
        values = list(src.texts(rule.table, np.array([got.row]))[0])
        values[contract.table(rule.table).column_names.index(got.column)] = got.value
        events[rule.table].append(
            Event(got.row, "replace", line(values), [], seq=len(events[rule.table]))
        )
        events[rule.table].sort(key=lambda e: e.order)
        planted[rule.id] = got
    return planted, why
