"""The lineage graph (raw files -> warehouse tables -> curated tables) as networkx, drawn to PNG."""

from __future__ import annotations

from pathlib import Path

import networkx as nx

LAYERS = ("raw", "warehouse", "curated")


def build(edges) -> nx.DiGraph:
    """A directed graph of table FQNs, each node with its layer (raw, warehouse, curated)."""
    g = nx.DiGraph()
    for e in edges:
        g.add_edge(e.from_fqn, e.to_fqn, columns=len(e.columns))
    for node in g:
        is_raw = node.startswith("contractbook_raw.")
        layer = (
            "raw"
            if is_raw
            else "warehouse"
            if g.in_degree(node)
            and any(p.startswith("contractbook_raw.") for p in g.predecessors(node))
            else "curated"
        )
        g.nodes[node]["layer"] = LAYERS.index(layer)
        g.nodes[node]["label"] = node.split(".")[-1] + (".csv" if is_raw else "")
    ordered = nx.DiGraph()  # raw file and its table side by side: same order in every layer
    ordered.add_nodes_from(sorted(g.nodes(data=True), key=lambda n: (n[1]["layer"], n[1]["label"])))
    ordered.add_edges_from(g.edges(data=True))
    return ordered


def draw(g: nx.DiGraph, path: str | Path, title: str = "lineage") -> Path:
    """Draw g left to right by layer into a PNG file; returns its path."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = max(1, max((sum(1 for n in g if g.nodes[n]["layer"] == i) for i in range(3)), default=1))
    fig, ax = plt.subplots(figsize=(11, max(3.0, 0.45 * rows + 1)))
    if len(g):
        pos = nx.multipartite_layout(g, subset_key="layer")
        colours = [
            "#f6c85f"
            if g.nodes[n]["layer"] == 0
            else "#6f9fd8"
            if g.nodes[n]["layer"] == 1
            else "#9dd866"
            for n in g
        ]
        nx.draw_networkx_edges(g, pos, ax=ax, arrows=True, edge_color="#888", arrowsize=10)
        nx.draw_networkx_nodes(g, pos, ax=ax, node_color=colours, node_size=260)
        nx.draw_networkx_labels(
            g,
            {n: (x, y + 0.03) for n, (x, y) in pos.items()},
            {n: g.nodes[n]["label"] for n in g},
            ax=ax,
            font_size=8,
        )
    ax.set_title(f"{title}: raw files (yellow) -> warehouse (blue) -> curated (green)")
    ax.axis("off")
    ax.margins(x=0.12)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return path
