"""Compare what the checks flagged with what the generator planted (the defects.csv manifest).

Pre-load results carry each failing record's start line, so they compare with the manifest's
`line` exactly. Post-load results carry primary-key values, compared with the manifest's `key`:
- a duplicate key: GX flags every occurrence; the manifest lists the later ones (pre-load: later
  by line; post-load primary key: all but one per key);
- a duplicate non-key value on SQL: a warehouse has no row order, so the planted rows must be
  among the flagged ones and their number must equal flagged rows minus one per value;
- a table without a key: the numbers of rows are compared;
- a cross-table SQL rule: on the key columns its failing rows return (e.g. order_id only).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

from contractbook.contract import Contract

from .results import Check, CheckRun

CSV_KINDS = ("csv_column_count", "csv_quoting", "csv_encoding")


def _key(row, cols: list[str]) -> tuple:
    return tuple(str(row[c]) for c in cols)


def _flagged_rows(run: CheckRun) -> dict[str, list[Check]]:
    out: dict[str, list[Check]] = {}
    for c in run.checks:
        if c.rule_id and not c.success:
            out.setdefault(c.rule_id, []).append(c)
    return out


def flagged(run: CheckRun, contract: Contract) -> dict[str, set]:
    """rule id -> flagged start lines (pre-load) or key tuples (post-load), failing checks only."""
    out: dict[str, set] = {}
    for rule_id, checks in _flagged_rows(run).items():
        for c in checks:
            pk = list(contract.table(c.table).primary_key)
            for r in c.later if c.later is not None else c.failing:
                cols = [k for k in pk if isinstance(r, dict) and k in r]
                out.setdefault(rule_id, set()).add(_key(r, cols) if isinstance(r, dict) else r)
    for t in run.tables:
        if t.malformed is not None:
            for line, rule_id in zip(t.malformed["line"], t.malformed["rule_id"], strict=True):
                out.setdefault(rule_id, set()).add(int(line))
    return out


def planted(manifest, by: str = "line", contract: Contract | None = None) -> dict[str, set]:
    """rule id -> planted start lines (by='line') or key tuples (by='key', primary-key order)."""
    out: dict[str, set] = {}
    for row in manifest.itertuples(index=False):
        value: object
        if by == "line":
            value = int(row.line)
        else:
            key = json.loads(row.key or "{}")
            assert contract is not None, "by='key' needs the contract"
            value = tuple(str(key[c]) for c in contract.table(row.table).primary_key if c in key)
        out.setdefault(row.rule_id, set()).add(value)
    return out


def _post_load(rule_id: str, rows: list[dict], checks: list[Check], contract: Contract):
    """(planted view, flagged view, ok) for one rule of a post-load run."""
    table = contract.table(rows[0]["table"] if rows else checks[0].table)
    pk = list(table.primary_key)
    failing = [r for c in checks for r in c.failing]
    kind = rows[0]["kind"] if rows else checks[0].kind
    if not pk:
        return len(rows), len(failing), len(rows) == len(failing)
    cols = [k for k in pk if failing and k in failing[0]] or pk
    p = {tuple(str(json.loads(r["key"])[k]) for k in cols) for r in rows}
    if kind == "unique":
        column = checks[0].column
        assert column is not None  # a unique rule names its column(s)
        values = Counter(tuple(str(r[k]) for k in column.split(",")) for r in failing)
        extra = sum(values.values()) - len(values)
        f = {_key(r, cols) for r in failing}
        return p, f, p <= f and extra == len(p)
    later = [r for c in checks for r in (c.later if c.later is not None else c.failing)]
    f = {_key(r, cols) for r in later}
    return p, f, p == f


@dataclass(frozen=True)
class ProofRow:
    """One rule: rows planted, rows flagged, whether they match, a few missed and extra keys."""

    rule_id: str
    planted: int
    flagged: int
    ok: bool
    missed: list | None = None
    extra: list | None = None


def compare(run: CheckRun, contract: Contract, manifest) -> list[ProofRow]:
    """One row per rule planted or flagged: planted, flagged, ok (see module doc for the rules)."""
    pre = run.target == "csv"
    by_rule = _flagged_rows(run)
    rows: dict[str, list[dict]] = {}
    for r in manifest.to_dict("records"):
        rows.setdefault(r["rule_id"], []).append(r)
    f_lines = flagged(run, contract) if pre else {}
    out = []
    for rule_id in sorted(set(rows) | set(by_rule) | set(f_lines)):
        p: Any  # pre-load: line sets; post-load: counts or key sets (see _post_load)
        f: Any
        if pre:
            p = {int(r["line"]) for r in rows.get(rule_id, [])}
            f = f_lines.get(rule_id, set())
            ok = p == f
        else:
            p, f, ok = (
                _post_load(rule_id, rows.get(rule_id, []), by_rule.get(rule_id, []), contract)
                if rule_id in by_rule
                else (len(rows[rule_id]), 0, False)
            )
        out.append(
            ProofRow(
                rule_id,
                p if isinstance(p, int) else len(p),
                f if isinstance(f, int) else len(f),
                ok,
                sorted(p - f)[:5] if isinstance(p, set) else None,
                sorted(f - p)[:5] if isinstance(p, set) else None,
            )
        )
    return out
