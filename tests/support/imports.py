"""The import graph of lib/contractbook, read from the source with ast (nothing is imported).

Used by tests/unit/test_architecture.py (no cycles; the README diagram is current) and to
regenerate the diagram: `.venv/bin/python tests/support/imports.py` prints the README's Mermaid
block, `... --write` puts it into README.md between its architecture markers.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

LIB = Path(__file__).resolve().parents[2] / "lib"
README = LIB.parent / "README.md"
PACKAGE = "contractbook"
# Single modules every layer may use; the diagram leaves them out (they would touch every box).
HELPERS = ("contractbook", "__main__", "errors", "paths", "sqltext", "registry", "fastimport")
BLOCK = re.compile(r"(<!-- architecture:begin.*?-->\n)(.*?)(<!-- architecture:end -->)", re.S)


def modules(lib: Path = LIB) -> dict[str, Path]:
    """Dotted module name -> source file, for every module of the package."""
    out = {}
    for path in sorted((lib / PACKAGE).rglob("*.py")):
        parts = list(path.relative_to(lib).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    """The absolute module an ImportFrom names."""
    if not node.level:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def edges(top_level_only: bool = False, lib: Path = LIB) -> set[tuple[str, str]]:
    """(importer, imported) pairs inside the package.

    top_level_only keeps imports at module level (not inside functions): those are the ones
    that make an import cycle fail at import time.
    """
    mods = modules(lib)
    out = set()
    for name, path in mods.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):  # `if TYPE_CHECKING:` imports are for annotations only
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                node.body = []
        nodes = tree.body if top_level_only else list(ast.walk(tree))
        for node in nodes:
            targets = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = _resolve(name, path.name == "__init__.py", node)
                targets = [
                    f"{base}.{a.name}" if f"{base}.{a.name}" in mods else base for a in node.names
                ]
            for t in targets:
                while t and t not in mods:
                    t = t.rpartition(".")[0]
                if t and t != name and t.startswith(PACKAGE):
                    out.add((name, t))
    return out


def top_level_imports(lib: Path = LIB) -> set[tuple[str, str]]:
    """(module, first name of what it imports) for every import of the package, lazy ones too."""
    out = set()
    for name, path in modules(lib).items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                out |= {(name, a.name.split(".")[0]) for a in node.names}
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                out.add((name, node.module.split(".")[0]))
    return out


def cycles(graph: set[tuple[str, str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), sorted."""
    adj: dict[str, list[str]] = {}
    for a, b in graph:
        adj.setdefault(a, []).append(b)
        adj.setdefault(b, [])
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in adj[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    sys.setrecursionlimit(10_000)
    for v in sorted(adj):
        if v not in index:
            visit(v)
    return sorted(found)


def package_graph(lib: Path = LIB) -> set[tuple[str, str]]:
    """(package, package) edges between the subpackages of contractbook (module-level and lazy)."""

    def pkg(m: str) -> str:
        parts = m.split(".")
        return parts[1] if len(parts) > 1 else "contractbook"

    return {(pkg(a), pkg(b)) for a, b in edges(lib=lib) if pkg(a) != pkg(b)}


def mermaid(lib: Path = LIB) -> str:
    """The README's architecture diagram: a Mermaid flowchart of package imports (no helpers)."""
    graph = sorted((a, b) for a, b in package_graph(lib) if a not in HELPERS and b not in HELPERS)
    lines = ["```mermaid", "flowchart LR"]
    lines += [f"  {a} --> {b}" for a, b in graph]
    lines.append("```")
    return "\n".join(lines) + "\n"


def readme_block(text: str) -> str | None:
    """The diagram currently between README's architecture markers (None: no markers)."""
    m = BLOCK.search(text)
    return m[2] if m else None


def write_readme(path: Path = README) -> bool:
    """Put the current diagram into README's block; True when the file changed."""
    text = path.read_text(encoding="utf-8")
    if readme_block(text) is None:
        raise SystemExit(f"{path}: no <!-- architecture:begin --> ... end --> markers")
    new = BLOCK.sub(lambda m: m[1] + mermaid() + m[3], text, count=1)
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text


if __name__ == "__main__":
    if sys.argv[1:] == ["--write"]:
        print(f"{README}: {'updated' if write_readme() else 'already current'}")
    else:
        sys.stdout.write(mermaid())
