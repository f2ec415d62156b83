"""Names from the contract: dataset/schema per destination, sanitized pipeline and dir names."""

from __future__ import annotations

import hashlib
import re

# What a dataset or pipeline name may hold everywhere (dlt, DuckDB, Postgres, BigQuery, Python).
_SLUG = re.compile(r"[^a-z0-9_]+")
MAX_SLUG = 48


def slug(text: str) -> str:
    """text as a lower-case identifier: `urn:x:Order Book` -> `urn_x_order_book` (not empty)."""
    out = _SLUG.sub("_", str(text).lower()).strip("_") or "contract"
    if out[0].isdigit():
        out = f"c_{out}"
    if len(out) > MAX_SLUG:
        out = f"{out[: MAX_SLUG - 9]}_{hashlib.sha1(out.encode()).hexdigest()[:8]}"
    return out


def contract_slug(contract) -> str:
    """The contract's name (else its id) as an identifier: pipelines, directories, dlt sources."""
    return slug(contract.raw.get("name") or contract.id)


def server(contract, destination: str | None = None) -> dict | None:
    """The contract's `servers` entry of that type (postgres, duckdb, ...), else None."""
    servers = [s for s in contract.raw.get("servers") or [] if isinstance(s, dict)]
    return next((s for s in servers if destination and s.get("type") == destination), None)


def dataset(contract, destination: str | None = None) -> str:
    """The schema (dataset) tables load into: the server's `schema`/`dataset`, else the name."""
    s = server(contract, destination)
    for entry in ([s] if s else []) + [
        x for x in contract.raw.get("servers") or [] if isinstance(x, dict)
    ]:
        name = entry.get("schema") or entry.get("dataset")
        if name:
            return str(name)
    return contract_slug(contract)


def pipeline_name(contract, destination: str) -> str:
    """The dlt pipeline name of one contract and destination."""
    return f"contractbook_{contract_slug(contract)}_{slug(destination)}"


def work_name(name: str) -> str:
    """A table name as a bare SQL identifier for work tables: slug plus a digest (no collisions)."""
    return f"{slug(name)}_{hashlib.sha1(name.encode('utf-8')).hexdigest()[:6]}"


def loaded_dataset(contract, destination: str | None = None) -> str:
    """The schema ingest loads into: dataset() as an identifier, the name dlt gives it too
    (dlt normalizes dataset names: `Sales Data` -> `sales_data`). The DDL keeps dataset()."""
    return slug(dataset(contract, destination))
