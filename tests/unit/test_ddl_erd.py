"""The entity-relationship diagram is drawn from the contract's relationships."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

from contractbook.ddl.erd import EDGE_STYLE, draw, graph  # noqa: E402


def test_graph_has_every_table_and_relationship(contract):
    g = graph(contract)
    assert set(g.nodes) == set(contract.table_names)
    assert {(r.table, r.to_table) for r in contract.relationships} == set(g.edges)
    assert g.edges["products", "product_category_name_translation"]["policy"] == "warn"
    assert all(
        g.nodes[r.to_table]["layer"] < g.nodes[r.table]["layer"] for r in contract.relationships
    )
    assert "PK order_item_id" in g.nodes["order_items"]["label"]


def test_draw_returns_a_figure_with_both_edge_styles(contract):
    import matplotlib.pyplot as plt

    fig = draw(contract)
    assert {r.on_violation for r in contract.relationships} == set(EDGE_STYLE)
    arrows = fig.axes[0].patches
    assert len(arrows) == len(contract.relationships)
    assert sum(a.get_linestyle() == "dashed" for a in arrows) == 1  # the warn-only FK
    assert contract.name in fig.axes[0].get_title()
    plt.close(fig)
