"""An offline HTML catalog page: tables, columns, classifications, rules, owners, lineage."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from html import escape

from contractbook.contract import Contract

from .results import RuleResult

CSS = (
    "body{font-family:sans-serif;margin:2em;max-width:1200px}td,th{padding:3px 10px;"
    "text-align:left;vertical-align:top}tr:nth-child(even){background:#f4f4f4}"
    ".bad{color:#b00;font-weight:bold}.ok{color:#070}code{font-size:90%}"
    "table{border-collapse:collapse;margin-bottom:1em}"
)


def owners(contract: Contract) -> str:
    """Owners as the contract declares them (ODCS `team`, `roles`), or a note there are none."""
    raw = contract.raw or {}
    team = raw.get("team")
    members = team.get("members", []) if isinstance(team, dict) else team or []
    names = [m.get("username") or m.get("name") or str(m) for m in members if isinstance(m, dict)]
    names += [
        r.get("role") for r in raw.get("roles") or [] if isinstance(r, dict) and r.get("role")
    ]
    return ", ".join(names) if names else "none declared (ODCS `team`/`roles` are empty)"


def _row(cells) -> str:
    return "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


def _result(r: RuleResult | None) -> str:
    if r is None:
        return "<span>no run yet</span>"
    css, word = ("ok", "passed") if r.passed else ("bad", "failed")
    return f"<span class='{css}'>{word}</span> ({r.failing_rows} failing of {r.rows_checked})"


def _table(contract: Contract, t, results: dict, edges) -> str:
    cols = "".join(
        _row(
            [
                f"<code>{escape(c.name)}</code>",
                escape(c.physical_type or str(c.type)),
                "yes" if c.required else "",
                str(c.primary_key_position or ""),
                escape(c.classification or ""),
                escape(", ".join(c.tags)),
                escape(c.description),
            ]
        )
        for c in t.columns
    )
    rules = "".join(
        _row(
            [
                f"<code>{escape(r.id)}</code>",
                escape(r.kind),
                escape(r.policy),
                escape(r.description),
                _result(results.get(r.id)),
            ]
        )
        for r in contract.rules_for(t.name)
    )
    up = sorted(e.from_fqn for e in edges if e.to_fqn.endswith("." + t.name))
    down = sorted(
        e.to_fqn
        for e in edges
        if e.from_fqn.endswith("." + t.name) and not e.from_fqn.startswith("contractbook_raw.")
    )
    lineage = (
        f"<p>upstream: {escape(', '.join(up) or 'none')}<br>"
        f"downstream: {escape(', '.join(down) or 'none')}</p>"
    )
    return (
        f"<h3 id='{escape(contract.name)}-{escape(t.name)}'>{escape(t.name)}</h3>"
        f"<p>{escape(t.description)}</p>"
        "<table><tr><th>column</th><th>type</th><th>required</th><th>key</th>"
        f"<th>classification</th><th>tags</th><th>description</th></tr>{cols}</table>"
        "<table><tr><th>rule</th><th>kind</th><th>policy</th><th>what</th>"
        f"<th>latest result</th></tr>{rules}</table>{lineage}"
    )


def render(
    contracts: Sequence[Contract],
    results: dict[str, RuleResult],
    edges,
    graph_png: bytes | None,
    registered: str,
    built_at: str,
) -> str:
    """The whole page as one HTML string (images inlined: it opens offline, anywhere)."""
    parts = [
        f"<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>catalog: "
        f"{escape(contracts[0].name)}</title><style>{CSS}</style></head><body>",
        f"<h1>Catalog: {escape(' + '.join(c.name for c in contracts))}</h1>",
        f"<p>Built {escape(built_at)}. OpenMetadata: {escape(registered)}</p>",
    ]
    failed = sum(not r.passed for r in results.values())
    parts.append(
        f"<p>Latest results: {len(results)} rule(s) with a result, "
        f"<span class='{'bad' if failed else 'ok'}'>{failed} failed</span>.</p>"
    )
    if graph_png:
        data = base64.b64encode(graph_png).decode()
        parts.append(
            f"<h2>Lineage</h2><img alt='lineage graph' src='data:image/png;base64,{data}'>"
        )
    for c in contracts:
        toc = " &middot; ".join(
            f"<a href='#{escape(c.name)}-{escape(t.name)}'>{escape(t.name)}</a>" for t in c.tables
        )
        parts.append(
            f"<h2>{escape(c.name)} {escape(c.version)} <small>({escape(c.id)})</small></h2>"
            f"<p>{escape(c.description)}</p><p>Owners: {escape(owners(c))}</p><p>{toc}</p>"
        )
        parts += [_table(c, t, results, edges) for t in c.tables]
    parts.append("</body></html>\n")
    return "\n".join(parts)
