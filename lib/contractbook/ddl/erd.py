"""Entity-relationship diagram: tables as boxes, foreign keys as arrows (matplotlib)."""

from __future__ import annotations

from contractbook.contract import Contract

# Edge style per FK policy: reject = solid, warn = dashed.
EDGE_STYLE = {
    "reject": {"style": "solid", "edge_color": "#444444"},
    "warn": {"style": "dashed", "edge_color": "#c0392b"},
}


def graph(contract: Contract):
    """A networkx DiGraph child -> parent, nodes carrying their layer (FK depth)."""
    import networkx as nx

    g = nx.DiGraph()
    depth: dict[str, int] = {}
    for name in contract.dependency_order:
        table = contract.table(name)
        parents = [r.to_table for r in table.relationships if r.to_table != name]
        depth[name] = 1 + max((depth[p] for p in parents), default=-1)
        g.add_node(name, layer=depth[name], label=_label(contract, name))
    for r in contract.relationships:
        g.add_edge(
            r.table,
            r.to_table,
            policy=r.on_violation,
            label=", ".join(r.columns) + (" (warn)" if r.on_violation == "warn" else ""),
        )
    return g


def _label(contract: Contract, name: str) -> str:
    table = contract.table(name)
    keys = [f"PK {c}" for c in table.primary_key] or ["(no key)"]
    return "\n".join([name, *keys, f"{len(table.columns)} columns"])


def layout(g) -> dict[str, tuple[float, float]]:
    """Columns by FK depth; rows by the mean row of each table's neighbours (fewer crossings)."""
    layers: dict[int, list[str]] = {}
    for node, layer in g.nodes(data="layer"):
        layers.setdefault(layer, []).append(node)
    row: dict[str, float] = {}
    for sweep in (sorted(layers), sorted(layers, reverse=True), sorted(layers)):
        for layer in sweep:

            def key(n, layer=layer):
                near = [row[m] for m in (*g.successors(n), *g.predecessors(n)) if m in row]
                return sum(near) / len(near) if near else row.get(n, 0.0)

            nodes = sorted(layers[layer], key=key)
            row.update({n: i - (len(nodes) - 1) / 2 for i, n in enumerate(nodes)})
    return {n: (float(g.nodes[n]["layer"]), -row[n]) for n in g.nodes}


def draw(contract: Contract, figsize=(13, 7)):
    """A matplotlib Figure of the contract's tables and foreign keys."""
    import matplotlib.pyplot as plt
    import networkx as nx

    g = graph(contract)
    pos = layout(g)
    fig, ax = plt.subplots(figsize=figsize)
    for policy, style in EDGE_STYLE.items():
        edges = [(u, v) for u, v, p in g.edges(data="policy") if p == policy]
        nx.draw_networkx_edges(
            g,
            pos,
            edgelist=edges,
            ax=ax,
            arrows=True,
            arrowsize=18,
            node_size=9000,
            node_shape="s",
            **style,
        )
    nx.draw_networkx_labels(
        g,
        pos,
        labels=dict(g.nodes(data="label")),
        ax=ax,
        font_size=8,
        bbox={"boxstyle": "round,pad=0.5", "fc": "#eef4fb", "ec": "#2c6fbb"},
    )
    nx.draw_networkx_edge_labels(
        g, pos, edge_labels=nx.get_edge_attributes(g, "label"), ax=ax, font_size=7, rotate=False
    )
    ax.set_title(
        f"{contract.name} v{contract.version}: tables and foreign keys "
        "(arrow: child -> parent; dashed: onViolation warn)"
    )
    ax.axis("off")
    ax.margins(x=0.12, y=0.15)
    fig.tight_layout()
    return fig
