"""The generated dlt pipeline carries the runner's own hints (freshness: test_generated_fresh)."""

from __future__ import annotations

import ast
from pathlib import Path

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


def _module(text: str, name: str):
    """The generated pipeline text imported as a module (not run)."""
    import sys
    import types

    module = types.ModuleType(name)
    sys.modules[name] = module  # dlt's decorators look the module up
    try:
        exec(compile(text, f"{name}.py", "exec"), module.__dict__)
    finally:
        del sys.modules[name]
    return module


def test_pipeline_names_things_as_the_ingest_does(contract):
    from contractbook.ingest import dltnaming

    generated = _module(files(contract)["pipeline.py"], "generated_naming_check").NamingConvention
    ours, theirs = dltnaming.NamingConvention(), generated()
    names = ["OrderItems", "Event Type", "Amount (€)", "client \\ fk", "a.b", "x;y", "ref'd"]
    assert [theirs.normalize_identifier(n) for n in names] == [
        ours.normalize_identifier(n) for n in names
    ]
    assert [theirs.normalize_table_identifier(n) for n in names] == [
        ours.normalize_table_identifier(n) for n in names
    ]
    assert theirs.normalize_identifier("OrderItems") == "OrderItems"  # snake_case: order_items


def test_pipeline_names_the_tables_dlt_cannot_load_as_named():
    from dataclasses import replace

    from contractbook.contract import load

    world = Path(__file__).resolve().parents[1] / "fixtures" / "contracts" / "world"
    c = load(world / "v302_events_mixed_case.yaml")
    assert "NOT LOADABLE" not in files(c)["pipeline.py"]
    odd = replace(c, tables=(replace(c.tables[0], name="Event.Log"),))
    assert "# NOT LOADABLE AS NAMED: table " in files(odd)["pipeline.py"]
