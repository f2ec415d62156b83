"""The package's shape: no import cycles between modules (lazy imports included) or packages,
dependencies point one way (contract model -> generators -> runners -> notebooks), and the
README's architecture diagram is the current import graph."""

from __future__ import annotations

from support import imports
from support.project import ROOT


def test_no_module_import_cycles():
    assert imports.cycles(imports.edges()) == []


def test_no_package_import_cycles():
    assert imports.cycles(imports.package_graph()) == []


# The contract model reads files and validates; it needs nothing of the later layers.
MODEL = ("contractbook.contract",)
MODEL_MAY_IMPORT = (
    "contractbook.contract",
    "contractbook.fastimport",
    "contractbook.errors",
    "contractbook.sqltext",
    "contractbook.registry",
)
# Generators: contract in, text or data out (pure); the generator parts of a mixed package too.
GENERATORS = (
    "contractbook.ddl",
    "contractbook.jsonschema",
    "contractbook.dltgen",
    "contractbook.synth",
    "contractbook.diff",
    "contractbook.gx.suites",
)
# The ingest modules a generator may read: tables of hints, casts and destinations, and the dlt
# naming convention (no I/O; the generated dlt pipeline carries a copy of it).
INGEST_TABLES = (
    "contractbook.ingest.castmap",
    "contractbook.ingest.hints",
    "contractbook.ingest.destinations",
    "contractbook.ingest.dltnaming",
)


def _within(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def test_the_contract_model_imports_no_later_layer():
    bad = sorted(
        (a, b) for a, b in imports.edges() if _within(a, MODEL) and not _within(b, MODEL_MAY_IMPORT)
    )
    assert bad == []


def test_generators_import_no_ingest_runner():
    bad = sorted(
        (a, b)
        for a, b in imports.edges()
        if _within(a, GENERATORS)
        and _within(b, ("contractbook.ingest",))
        and not _within(b, INGEST_TABLES)
    )
    assert bad == []


def test_nothing_in_lib_imports_the_notebooks():
    names = {b for _, b in imports.top_level_imports()}
    assert "contractbook" in names  # the reader sees absolute imports
    assert "notebooks" not in names


def test_layer_check_sees_a_model_importing_a_runner(tmp_path):
    pkg = tmp_path / "contractbook"
    (pkg / "contract").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "contract" / "__init__.py").write_text("")
    lazy = "def f():\n    from contractbook.ingest import run\n"
    (pkg / "contract" / "model.py").write_text(lazy)
    (pkg / "ingest").mkdir()
    (pkg / "ingest" / "run.py").write_text("import notebooks\n")
    graph = imports.edges(lib=tmp_path)
    assert ("contractbook.contract.model", "contractbook.ingest.run") in graph
    assert ("contractbook.ingest.run", "notebooks") in imports.top_level_imports(lib=tmp_path)


def test_cycle_finder_finds_a_cycle(tmp_path):
    pkg = tmp_path / "contractbook"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from .b import x\n")
    (pkg / "b.py").write_text("def f():\n    from contractbook.a import y\n")
    (pkg / "c.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .a import y\n"
    )
    graph = imports.edges(lib=tmp_path)
    assert imports.cycles(graph) == [["contractbook.a", "contractbook.b"]]
    assert ("contractbook.c", "contractbook.a") not in graph


def test_readme_diagram_is_the_current_import_graph():
    found = imports.readme_block((ROOT / "README.md").read_text(encoding="utf-8"))
    assert found is not None, "README.md has no generated architecture diagram"
    assert found == imports.mermaid(), (
        "stale diagram: .venv/bin/python tests/support/imports.py --write"
    )


def test_the_diagram_shows_a_new_package_import(tmp_path):
    pkg = tmp_path / "contractbook"
    for sub in ("contract", "ingest"):
        (pkg / sub).mkdir(parents=True)
        (pkg / sub / "__init__.py").write_text("")
    (pkg / "__init__.py").write_text("")
    (pkg / "ingest" / "run.py").write_text(
        "from contractbook.contract import x\nfrom contractbook import errors\n"
    )
    (pkg / "errors.py").write_text("")
    assert "  ingest --> contract\n" in imports.mermaid(lib=tmp_path)
    assert "errors" not in imports.mermaid(lib=tmp_path)
