"""The package's shape: no import cycles between modules (lazy imports included) or packages,
and the README's architecture diagram is the current import graph."""

from __future__ import annotations

import re

from support import imports
from support.project import ROOT


def test_no_module_import_cycles():
    assert imports.cycles(imports.edges()) == []


def test_no_package_import_cycles():
    assert imports.cycles(imports.package_graph()) == []


def test_cycle_finder_finds_a_cycle(tmp_path):
    pkg = tmp_path / "contractbook"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from .b import x\n")
    (pkg / "b.py").write_text("def f():\n    from contractbook.a import y\n")
    (pkg / "c.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                              "    from .a import y\n")
    graph = imports.edges(lib=tmp_path)
    assert imports.cycles(graph) == [["contractbook.a", "contractbook.b"]]
    assert ("contractbook.c", "contractbook.a") not in graph


def test_readme_diagram_is_the_current_import_graph():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(r"<!-- architecture:begin.*?-->\n(.*?)<!-- architecture:end -->", readme, re.S)
    assert m, "README.md has no generated architecture diagram"
    assert m[1] == imports.mermaid(), "stale diagram: python tests/support/imports.py"
