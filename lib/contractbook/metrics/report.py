"""HTML views of models, runs and checks for notebooks (`_repr_html_`)."""

from __future__ import annotations

from html import escape


def table(rows: list[dict], caption: str = "") -> str:
    """A small HTML table of dict rows (keys of the first row as header)."""
    if not rows:
        return f"<p><i>{escape(caption)}: no rows</i></p>"
    head = "".join(f"<th>{escape(str(k))}</th>" for k in rows[0])
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in r.values()) + "</tr>" for r in rows
    )
    cap = f"<caption style='text-align:left'><b>{escape(caption)}</b></caption>" if caption else ""
    return f"<table>{cap}<tr>{head}</tr>{body}</table>"


def model_html(m) -> str:
    """A model: description, inputs and its declared columns with sources."""
    rows = [
        {
            "column": c.name,
            "type": c.physical_type or c.logical_type,
            "required": "yes" if c.required or c.name in m.primary_key else "",
            "from": ", ".join(c.sources),
            "description": c.description,
        }
        for c in m.columns
    ]
    return (
        f"<h4>{escape(m.name)}</h4><p>{escape(m.description)}</p><p>reads: "
        f"{escape(', '.join(map(str, m.inputs)))}; key: {escape(', '.join(m.primary_key))}</p>"
        + table(rows)
    )


def run_html(r) -> str:
    """A metrics run: one row per model, then the check when there is one."""
    out = table(r.rows(), f"{len(r.models)} models materialized in {r.engine} schema {r.schema}")
    return out + (check_html(r.check) if r.check is not None else "")


def check_html(c) -> str:
    """The curated check: verdict and one row per table."""
    verdict = "every curated row passes" if c.ok else "SOME CURATED ROWS BREAK A RULE"
    return table(c.rows(), f"checked against {c.contract_id} v{c.version}: {verdict}")
