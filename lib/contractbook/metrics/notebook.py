"""The dashboard notebook's one call: run the models, export them, compute the filtered view.

Paths resolve against the project root, so the notebook runs the same from `ploomber build`
(cwd = project root) and from JupyterLab (cwd = notebooks/), with or without injected parameters.
"""

from __future__ import annotations

from contractbook.contract import load

from .dashboard import Dashboard, Filters, compute, export
from .paths import at_root
from .refresh import refresh

DEFAULT_WAREHOUSE = "data/warehouse.duckdb"
DEFAULT_EXPORT = "data/curated"


def _product(products, key: str, default: str):
    """products[key] from Ploomber (a mapping when injected), else default."""
    try:
        return products[key]
    except (KeyError, TypeError, IndexError):
        return default


def dashboard_for(contract: str, upstream=None, product=None, destination: str = "duckdb",
                  start: str = "", end: str = "", states: str = "", progress=None) -> Dashboard:
    """Materialize and check the curated tables, export them as Parquet, filter, compute.

    With a server or Delta destination, the loaded tables are first copied into a local DuckDB
    file beside the export (metrics.copy), and the models run there.
    """
    from contractbook.ingest import receipt

    model = load(at_root(contract))
    ingest = _product(upstream, "ingest", {})
    found = _product(ingest, "receipt", None)
    warehouse = at_root(receipt.warehouse(found) if found else DEFAULT_WAREHOUSE)
    export_dir = at_root(_product(product, "data", DEFAULT_EXPORT))
    if destination != "duckdb":
        from .copy import local_copy

        warehouse = local_copy(model, destination, str(warehouse), export_dir / "loaded.duckdb")
    run = refresh(model, "duckdb", str(warehouse), progress=progress)
    export(warehouse, export_dir, model)
    return compute(model, warehouse, Filters.parse(start, end, states), run)
