"""The DAG as inline SVG: one column per depth, a box per task coloured by its status, arrows."""

from __future__ import annotations

from html import escape

COLOURS = {"ran": "#d7f0dc", "up to date": "#e8eef7", "FAILED": "#f6d1ce"}
W, H, GAP_X, GAP_Y = 170, 44, 60, 18


def _depths(entries) -> dict[str, int]:
    depth: dict[str, int] = {}
    for e in entries:  # entries come in topological order
        depth[e.task] = 1 + max((depth[u] for u in e.upstream if u in depth), default=-1)
    return depth


def svg(entries) -> str:
    """An <svg> element drawing the tasks and their upstream edges (empty without tasks)."""
    if not entries:
        return ""
    depth = _depths(entries)
    rows: dict[int, int] = {}
    pos = {}
    for e in entries:
        d = depth[e.task]
        pos[e.task] = (10 + d * (W + GAP_X), 10 + rows.get(d, 0) * (H + GAP_Y))
        rows[d] = rows.get(d, 0) + 1
    width = 20 + (max(depth.values()) + 1) * (W + GAP_X) - GAP_X
    height = 20 + max(rows.values()) * (H + GAP_Y) - GAP_Y
    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' "
        f"viewBox='0 0 {width} {height}' role='img' aria-label='the DAG' "
        "font-family='sans-serif' font-size='13'><defs><marker id='arrow' viewBox='0 0 10 10'"
        " refX='10' refY='5' markerWidth='7' markerHeight='7' orient='auto'>"
        "<path d='M0,0L10,5L0,10z' fill='#555'/></marker></defs>"
    ]
    for e in entries:
        x, y = pos[e.task]
        for u in e.upstream:
            if u in pos:
                ux, uy = pos[u]
                parts.append(
                    f"<line x1='{ux + W}' y1='{uy + H / 2}' x2='{x}' y2='{y + H / 2}' "
                    "stroke='#555' marker-end='url(#arrow)'/>"
                )
    for e in entries:
        x, y = pos[e.task]
        fill = COLOURS.get(e.status, "#eee" if not e.status.startswith("not run") else "#fbe9c8")
        label = escape(e.task)
        box = (
            f"<rect x='{x}' y='{y}' width='{W}' height='{H}' rx='6' fill='{fill}' "
            f"stroke='#666'/><text x='{x + W / 2}' y='{y + 18}' text-anchor='middle' "
            f"font-weight='bold'>{label}</text><text x='{x + W / 2}' y='{y + 35}' "
            f"text-anchor='middle' font-size='11'>{escape(e.status[:28])}</text>"
        )
        parts.append(f"<a href='{escape(e.report)}'>{box}</a>" if e.report else box)
    return "".join(parts) + "</svg>"
