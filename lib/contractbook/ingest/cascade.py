"""Rejects caused by a rejected parent, told apart from true orphans: the plan (pure) and its
DuckDB SQL (runner).

A child row broke its foreign key either because no parent row has its key (a true orphan) or
because the parent row with that key was itself rejected. For the second, the child's reject
detail names the parent table, the key and the parent's rule(s), as JSON:
`{"cause": "parent_rejected", "parents": [{"rule", "parent_table", "parent_key", "parent_rules"}]}`.
One join of the child's foreign-key rejects on the parent's rejected keys per relationship.

A parent is rejected by a row rule, a `type: sql` rule (both in work.bad_<parent>), or as a
malformed record (not typed at all: work.mkey_<parent> holds the keys read back from its raw
text, see `malformed_keys`); `parent_rules` are the parent's reject reasons as its rejects table
lists them (`<parent>.csv.<kind>` for a malformed record). A grand-child names its own parent,
whose reject detail names the next one up. A malformed record whose key cannot be read back
unambiguously leaves its children true orphans (no detail).

`links`, `referenced` and `field_regex` are the engine-neutral part; the Spark engine renders
them in `spark/cascade.py`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from contractbook.contract import Contract

from .castmap import cast_expr
from .plan import qi

CAUSE = "parent_rejected"
# One CSV field as written: quoted (`""` inside is a quote) or unquoted (no quote, comma, CR, LF).
FIELD = r'"(?:[^"]|"")*"|[^,"\r\n]*'
# the JSON text before the sorted list of parents (compact, as DuckDB's json_object writes it)
DETAIL_PREFIX = json.dumps({"cause": CAUSE}, separators=(",", ":"))[:-1] + ',"parents":['


@dataclass(frozen=True)
class ParentLink:
    """One foreign key of a child table to another table: rule id, parent, column pairs."""

    rule: str
    parent: str
    pairs: tuple[tuple[str, str], ...]  # (child column, parent column), logical names


def links(contract: Contract, table: str) -> list[ParentLink]:
    """The foreign keys of table whose rejects may be caused by a rejected parent row."""
    return [
        ParentLink(
            r.id,
            r.params["to_table"],
            tuple(zip(r.columns, r.params["to_columns"], strict=True)),
        )
        for r in contract.rules_for(table)
        if r.kind == "foreign_key" and r.params["to_table"] != table
    ]


def _q(text: str) -> str:
    from contractbook import sqltext

    return sqltext.literal(text, "duckdb")


def referenced(contract: Contract, table: str) -> list[str]:
    """Columns of table that other tables' foreign keys point at (contract order)."""
    cols = {
        c
        for t in contract.table_names
        if t != table
        for r in contract.rules_for(t)
        if r.kind == "foreign_key" and r.params["to_table"] == table
        for c in r.params["to_columns"]
    }
    return [c for c in contract.table(table).column_names if c in cols]


def field_regex(position: int) -> str:
    """The regex (RE2 and Java alike) whose group 1 is the 0-based field `position` of a CSV
    record's text, matched strictly from its start (every field before it well formed)."""
    return f"^(?:(?:{FIELD}),){{{int(position)}}}({FIELD})(?:,|\r|\n|$)"


def field_sql(text: str, position: int) -> str:
    """SQL: the value of the 0-based field `position` of a CSV record's text, read strictly from
    its start; NULL when it or a field before it is not well formed, or it is empty."""
    regex = _q(field_regex(position))
    v = f"regexp_extract({text}, {regex}, 1)"
    unquoted = (
        f"CASE WHEN starts_with({v}, '\"') THEN replace({v}[2:-2], '\"\"', '\"') ELSE {v} END"
    )
    return f"CASE WHEN regexp_matches({text}, {regex}) THEN nullif({unquoted}, '') END"


def malformed_keys(con, contract: Contract, table: str, header: list[str], rej: str) -> None:
    """Create work.mkey_<table> (referenced columns typed, `rules`, `line`): the keys of the
    table's malformed records, read back from their raw text where that is unambiguous.

    A field is read only if every field before it parses as CSV from the record's start. With
    the wrong field count (`column_count`) only the first field is certain: a missing or extra
    separator may lie anywhere after it, so later fields stay NULL (their children: orphans).
    """
    cols = referenced(contract, table)
    if not cols:
        return
    t = contract.table(table)
    count = _q(f"{table}.csv.column_count")
    typed = []
    for c in cols:
        if c not in header:
            raw = "CAST(NULL AS VARCHAR)"
        elif (pos := header.index(c)) == 0:
            raw = field_sql("raw_line", 0)
        else:
            raw = (
                f"CASE WHEN NOT list_contains(_reason_list, {count}) "
                f"THEN {field_sql('raw_line', pos)} END"
            )
        typed.append(f"{cast_expr(t.column(c), raw, table)} AS {qi(c)}")
    con.execute(
        f"CREATE OR REPLACE TABLE work.{qi('mkey_' + table)} AS SELECT {', '.join(typed)}, "
        f"_reason_list AS rules, source_line AS line FROM {rej} WHERE raw_bytes IS NOT NULL"
    )


def _one(link: ParentLink, bad: str, chk: str) -> str:
    """(_row, parent JSON) of the rows this foreign key rejected whose parent was rejected."""
    parent, pairs = link.parent, link.pairs
    pcols = ", ".join(f"p.{qi(pc)}" for _, pc in pairs)
    mcols = ", ".join(f"m.{qi(pc)}" for _, pc in pairs)
    keyed = " AND ".join(f"m.{qi(pc)} IS NOT NULL" for _, pc in pairs)
    reasons = (
        f"SELECT {pcols}, b._reasons AS rules "
        f"FROM work.{qi('chk_' + parent)} AS p JOIN work.{qi('bad_' + parent)} AS b "
        f"ON p.rowid = b._row WHERE b._reasons IS NOT NULL "
        f"UNION ALL SELECT {mcols}, m.rules FROM work.{qi('mkey_' + parent)} AS m WHERE {keyed}"
    )
    keys = ", ".join(qi(pc) for _, pc in pairs)
    rejected = (
        f"SELECT {keys}, list(DISTINCT u.reason ORDER BY u.reason) AS rules "
        f"FROM ({reasons}) AS p, unnest(p.rules) AS u(reason) GROUP BY ALL"
    )
    on = " AND ".join(f"c.{qi(c)} = r.{qi(pc)}" for c, pc in pairs)
    key = ", ".join(f"{_q(pc)}, c.{qi(c)}" for c, pc in pairs)
    return (
        f"SELECT b._row, json_object('rule', {_q(link.rule)}, 'parent_table', {_q(parent)}, "
        f"'parent_key', json_object({key}), 'parent_rules', to_json(r.rules)) AS parent "
        f"FROM {bad} AS b JOIN {chk} AS c ON c.rowid = b._row JOIN ({rejected}) AS r ON {on} "
        f"WHERE list_contains(b._reasons, {_q(link.rule)})"
    )


def causes(con, contract: Contract, table: str, bad: str, chk: str, out: str) -> None:
    """Create out (_row, detail JSON text, rules): rows whose foreign-key reject has a rejected
    parent; rules lists those foreign-key rule ids."""
    parts = [_one(link, bad, chk) for link in links(contract, table)]
    if not parts:
        con.execute(f"CREATE OR REPLACE TABLE {out} (_row BIGINT, detail VARCHAR, rules VARCHAR[])")
        return
    con.execute(
        f"CREATE OR REPLACE TABLE {out} AS SELECT _row, CAST(json_object('cause', "
        f"{_q(CAUSE)}, 'parents', list(parent ORDER BY parent)) AS VARCHAR) AS detail, "
        f"list(json_extract_string(parent, '$.rule') ORDER BY parent) AS rules "
        f"FROM ({' UNION ALL '.join(parts)}) GROUP BY _row"
    )
