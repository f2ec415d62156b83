"""Pure generator: model declarations -> the ODCS contract of the curated tables (YAML text).

Committed as contracts/<name>/generated/curated.odcs.yaml (a test regenerates and compares it);
each property lists its source columns in ODCS `transformSourceObjects` (column lineage).
"""

from __future__ import annotations

import yaml

from contractbook import provenance
from contractbook.contract import Contract

from .declare import CURATED, Model

GENERATOR = "contractbook.metrics.contract"
REGENERATE = "python -m contractbook metrics --write-contract"
FILE = "curated.odcs.yaml"


def _property(m: Model, c) -> dict:
    p = {"name": c.name, "logicalType": c.logical_type}
    if c.physical_type:
        p["physicalType"] = c.physical_type
    if c.name in m.primary_key:
        p.update(primaryKey=True, primaryKeyPosition=m.primary_key.index(c.name) + 1)
    p["required"] = c.required or c.name in m.primary_key
    if c.options:
        p["logicalTypeOptions"] = dict(c.options)
    p["description"] = c.description
    if c.sources:
        p["transformSourceObjects"] = list(c.sources)
    return p


def _table(m: Model) -> dict:
    return {
        "name": m.name,
        "physicalName": m.name,
        "physicalType": "table",
        "description": m.description,
        "customProperties": [
            {"property": "inputs", "value": [str(i) for i in m.inputs]},
            {"property": "model", "value": f"lib/contractbook/metrics/models/{m.path}"},
        ],
        "properties": [_property(m, c) for c in m.columns],
    }


def generate(models: tuple[Model, ...], contract: Contract) -> dict:
    """The ODCS document describing every model's table in schema `curated`."""
    # the warehouses of the raw contract (servers with a schema), with schema curated
    servers = [{**s, "schema": CURATED} for s in contract.raw.get("servers") or [] if "schema" in s]
    return {
        "apiVersion": contract.api_version,
        "kind": "DataContract",
        "id": f"{contract.id}:curated",
        "name": f"{contract.name}_curated",
        "version": contract.version,
        "status": contract.raw.get("status", "active"),
        **({"domain": contract.raw["domain"]} if contract.raw.get("domain") else {}),
        "tags": ["curated", "metrics"],
        "description": {
            "purpose": f"Curated metrics computed by SQL models from the accepted rows of "
            f"{contract.id} v{contract.version}.",
            "usage": "Dashboards and analysis of orders, payments, deliveries and reviews.",
            "limitations": "Rows the ingest rejected are not counted; each model run reports "
            "how many input rows it left out that way.",
        },
        "servers": servers,
        "schema": [_table(m) for m in models],
    }


def render(doc: dict, contract: Contract) -> str:
    """The contract as YAML text, with a header naming its source contract and generator."""
    head = provenance.comment(contract, GENERATOR, "Curated contract of the SQL models", "python")
    return head + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100)


def text(contract: Contract, models_: tuple[Model, ...] | None = None) -> str:
    """The curated contract's text for contract (default: every packaged model)."""
    from .declare import models

    return render(generate(models_ or models(contract), contract), contract)


def files(contract: Contract) -> dict[str, str]:
    """{FILE: text}: the curated contract of every packaged model."""
    return {FILE: text(contract)}


def not_applicable(contract: Contract) -> str | None:
    """Why the packaged models cannot describe contract's curated tables, or None when they can."""
    from .declare import _declared

    missing = sorted({t for m in _declared() for t in m.raw_inputs} - set(contract.table_names))
    return f"the SQL models read tables it lacks: {', '.join(missing)}" if missing else None
