"""Rejects caused by a rejected parent, told apart from true orphans: the plan (pure) and its
DuckDB SQL (runner).

A child row broke its foreign key either because no parent row has its key (a true orphan) or
because the parent row with that key was itself rejected. For the second, the child's reject
detail names the parent table, the key and the parent's rule(s), as JSON:
`{"cause": "parent_rejected", "parents": [{"rule", "parent_table", "parent_key", "parent_rules"}]}`.
One join of the child's foreign-key rejects on the parent's rejected keys per relationship.
`links` is the engine-neutral part; the Spark engine renders it in `spark/cascade.py`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from contractbook.contract import Contract

from .plan import qi

CAUSE = "parent_rejected"
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


def _one(link: ParentLink, bad: str, chk: str) -> str:
    """(_row, parent JSON) of the rows this foreign key rejected whose parent was rejected."""
    parent, pairs = link.parent, link.pairs
    pcols = ", ".join(f"p.{qi(pc)}" for _, pc in pairs)
    rejected = (
        f"SELECT {pcols}, list(DISTINCT u.reason ORDER BY u.reason) AS rules "
        f"FROM work.{qi('chk_' + parent)} AS p JOIN work.{qi('bad_' + parent)} AS b "
        f"ON p.rowid = b._row, unnest(b._reasons) AS u(reason) "
        f"WHERE b._reasons IS NOT NULL GROUP BY ALL"
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
