"""Write the payloads as JSON (one file per kind) and the workflow YAMLs under data/catalog/."""

from __future__ import annotations

import json
from pathlib import Path

from contractbook.contract import Contract

from . import workflows
from .payloads import Payloads

GENERATOR = "contractbook.catalog"


def _dump(model) -> dict:
    return json.loads(model.model_dump_json(exclude_none=True))


def header(payloads: Payloads, kind: str, model: str) -> dict:
    """What every payload file says of itself: contracts, generator, the SDK model of its items."""
    return {
        "contracts": payloads.contracts,
        "destination": payloads.destination,
        "generator": GENERATOR,
        "kind": kind,
        "model": model,
    }


def documents(payloads: Payloads) -> dict[str, dict]:
    """file name -> JSON document: {"generated": header, "requests": [...]} per kind."""
    out = {}
    for kind in Payloads.PAYLOAD_KINDS:
        items = getattr(payloads, kind)
        model = type(items[0]).__name__ if items else ""
        out[f"{kind}.json"] = {
            "generated": header(payloads, kind, model),
            "requests": [_dump(i) for i in items],
        }
    out["test_results.json"] = {
        "generated": header(payloads, "test_results", "TestCaseResult"),
        "requests": [
            {"testCaseFQN": k, "result": _dump(v)} for k, v in payloads.test_results.items()
        ],
    }
    out["lineage.json"] = {
        "generated": header(payloads, "lineage", "AddLineageRequest (ids resolved at push)"),
        "requests": [
            {
                "from": e.from_fqn,
                "to": e.to_fqn,
                "description": e.description,
                "columns": [{"from": list(f), "to": t} for f, t in e.columns],
            }
            for e in payloads.lineage
        ],
    }
    return out


def texts(payloads: Payloads, contract: Contract) -> dict[str, str]:
    """Relative path -> text: every payload document and every validated workflow YAML."""
    out = {
        name: json.dumps(doc, indent=1, sort_keys=False) + "\n"
        for name, doc in documents(payloads).items()
    }
    for source in workflows.SOURCES:
        workflows.validate(workflows.config(source, contract))
        out[f"workflows/{source}.yaml"] = workflows.render(source, contract)
    return out


def write(payloads: Payloads, contract: Contract, out_dir: str | Path) -> list[Path]:
    """Write every payload document and every validated workflow YAML; returns the paths."""
    out = Path(out_dir)
    (out / "workflows").mkdir(parents=True, exist_ok=True)
    paths = []
    for rel, text in texts(payloads, contract).items():
        path = out / rel
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths
