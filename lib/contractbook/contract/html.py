"""Render a contract as an HTML table for notebooks."""

from __future__ import annotations

from html import escape

_STYLE = (
    "<style>.cb-contract td,.cb-contract th{padding:2px 8px;text-align:left;vertical-align:top}"
    ".cb-contract .k{font-weight:bold}.cb-contract .pii{color:#a40}</style>"
)


def _constraints(c) -> str:
    bits = []
    if c.pattern:
        bits.append(f"pattern <code>{escape(c.pattern)}</code>")
    if c.allowed_values is not None:
        bits.append("in {" + ", ".join(escape(str(v)) for v in c.allowed_values) + "}")
    for label, v in (("&ge;", c.minimum), ("&le;", c.maximum)):
        if v is not None:
            bits.append(f"{label} {escape(str(v))}")
    return "; ".join(bits)


def _fks(table) -> dict[str, str]:
    return {
        col: f"&rarr; {r.to_table}.{to}" + (" (warn)" if r.on_violation == "warn" else "")
        for r in table.relationships
        for col, to in zip(r.columns, r.to_columns, strict=True)
    }


def _rows(table) -> str:
    fks, rows = _fks(table), []
    for c in table.columns:
        key = f"PK{c.primary_key_position}" if c.primary_key_position else ""
        pii = f"<span class='pii'>{escape(c.classification)}</span>" if c.classification else ""
        rows.append(
            f"<tr><td class='k'>{escape(c.name)}</td><td>{c.type}</td>"
            f"<td>{'yes' if c.required else ''}</td><td>{key}</td><td>{fks.get(c.name, '')}</td>"
            f"<td>{_constraints(c)}</td><td>{pii}</td><td>{escape(c.description)}</td></tr>"
        )
    return "".join(rows)


def render(contract) -> str:
    """HTML: a header line, then one table per contract table."""
    head = (
        f"<p><b>{escape(contract.name)}</b> v{escape(contract.version)} "
        f"({escape(contract.api_version)}, {len(contract.tables)} tables, "
        f"{len(contract.rules)} rules, {len(contract.warnings)} warnings)</p>"
    )
    cols = "".join(
        f"<th>{h}</th>"
        for h in (
            "column",
            "type",
            "required",
            "key",
            "references",
            "constraints",
            "class",
            "description",
        )
    )
    parts = [_STYLE, head]
    for t in contract.tables:
        parts.append(
            f"<h4>{escape(t.name)}</h4><p>{escape(t.description)}</p>"
            f"<table class='cb-contract'><tr>{cols}</tr>{_rows(t)}</table>"
        )
        for s in t.sql_rules:
            parts.append(
                f"<p>SQL rule <b>{escape(s.id)}</b>: {escape(s.description)}</p>"
                f"<pre>{escape(s.query)}</pre>"
            )
    return "".join(parts)
