"""The dashboard notebook's one call: run the models, export them, compute the filtered view.

Paths resolve against the project root, so the notebook runs the same from `ploomber build`
(cwd = project root) and from JupyterLab (cwd = notebooks/), with or without injected parameters.
"""

from __future__ import annotations

from contractbook.contract import load
from contractbook.paths import at_root

from .dashboard import Dashboard, Filters, compute, export
from .refresh import refresh

DEFAULT_WAREHOUSE = "data/warehouse.duckdb"
DEFAULT_EXPORT = "data/curated"


def _product(products, key: str, default):
    """products[key] from Ploomber (a mapping when injected), else default."""
    try:
        return products[key]
    except (KeyError, TypeError, IndexError):
        return default


class NotApplicable:
    """The dashboard of a contract that lacks the tables the curated models read: every cell
    says so, and the checkpoint holds one item stating it (nothing is computed)."""

    def __init__(self, contract_name: str, missing: list[str]):
        self.note = (
            f"The curated models read the Olist tables; contract {contract_name!r} "
            f"has no {', '.join(missing)}, so there is nothing to compute here."
        )
        self.warehouse_run = self

    def _repr_html_(self) -> str:
        from html import escape

        return f"<p><b>Not applicable.</b> {escape(self.note)}</p>"

    def headline(self):
        return self

    def plot(self, name: str):
        return self

    def tables(self, *names: str):
        return self

    def checkpoint(self):
        from .figures import Check, Checkpoint

        return Checkpoint(
            (Check("the curated models do not apply to this contract", True, self.note),)
        )


def dashboard_for(
    contract: str,
    upstream=None,
    product=None,
    destination: str = "duckdb",
    start: str = "",
    end: str = "",
    states: str = "",
    progress=None,
) -> Dashboard | NotApplicable:
    """Materialize and check the curated tables, export them as Parquet, filter, compute.

    With a server or Delta destination, the loaded tables are first copied into a local DuckDB
    file beside the export (metrics.copy), and the models run there.
    """
    from contractbook.ingest import receipt

    from . import models

    model = load(at_root(contract))
    export_dir = at_root(_product(product, "data", DEFAULT_EXPORT))
    needed = sorted({t for m in models() for t in m.raw_inputs})
    missing = [t for t in needed if t not in model.table_names]
    if missing:
        export_dir.mkdir(parents=True, exist_ok=True)  # the task's product: empty, on purpose
        return NotApplicable(model.name, missing)
    ingest = _product(upstream, "ingest", {})
    found = _product(ingest, "receipt", None)
    warehouse = at_root(receipt.warehouse(found) if found else DEFAULT_WAREHOUSE)
    if destination != "duckdb":
        from .copy import local_copy

        warehouse = local_copy(model, destination, str(warehouse), export_dir / "loaded.duckdb")
    run = refresh(model, "duckdb", str(warehouse), progress=progress)
    export(warehouse, export_dir, model)
    return compute(model, warehouse, Filters.parse(start, end, states), run)
