"""The generated dlt pipeline carries the runner's own hints (freshness: test_generated_fresh)."""

from __future__ import annotations

import ast

from contractbook.dltgen import files
from contractbook.ingest.destinations import DESTINATIONS
from contractbook.ingest.hints import table_hints


def test_pipeline_hints_are_the_runners(contract):
    text = files(contract)["pipeline.py"]
    assert text.startswith(f"# dlt pipeline for contract {contract.id} v{contract.version}.")
    tree = ast.parse(text)
    consts = {
        t.id: ast.literal_eval(n.value)
        for n in tree.body
        if isinstance(n, ast.Assign)
        for t in n.targets
        if isinstance(t, ast.Name) and t.id in ("HINTS", "TABLES")
    }
    assert consts["TABLES"] == contract.dependency_order
    assert consts["HINTS"] == {t: table_hints(contract, t) for t in contract.dependency_order}


def test_every_destination_has_settings_without_secrets(contract):
    out = files(contract)
    for name, d in DESTINATIONS.items():
        toml = out[f"destinations/{name}.toml"]
        assert all(v in toml for v in d.env)
        assert "password =" not in toml.lower() and "token =" not in toml.lower()
    assert "minimum permissions" in out["README.md"]
