"""One call for the CLI, the notebook and the bench: run every model, then check the tables."""

from __future__ import annotations

from contractbook.contract import Contract

from . import engines
from .check import check
from .curated import load_fresh
from .declare import CURATED, RAW
from .run import MetricsRun, run


def refresh(
    contract: Contract,
    engine: str = "duckdb",
    url: str | None = None,
    raw_schema: str = RAW,
    schema: str = CURATED,
    checked: bool = True,
    progress=print,
) -> MetricsRun:
    """Materialize the curated tables in the warehouse and check them against their contract."""
    curated = load_fresh(contract) if checked else None
    s = engines.get(engine).connect(url)
    try:
        result = run(s, contract, raw_schema=raw_schema, curated_schema=schema, progress=progress)
        if curated is not None:
            result.check = check(s, curated, schema)
        return result
    finally:
        s.close()
