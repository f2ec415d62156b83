"""Project paths that hold from `ploomber build` (cwd = project root) and from JupyterLab
(cwd = notebooks/): relative paths are resolved against the project root found upward."""

from __future__ import annotations

from pathlib import Path

MARKERS = ("pipeline.yaml", "pyproject.toml")  # a folder holding one of these is the project root


def project_root(start: str | Path | None = None) -> Path:
    """The nearest folder at or above start (default: cwd) holding pipeline.yaml or pyproject.toml."""
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if any((folder / m).is_file() for m in MARKERS):
            return folder
    raise FileNotFoundError(f"no project root ({' or '.join(MARKERS)}) at or above {here}")


def at_root(path: str | Path, start: str | Path | None = None) -> Path:
    """path itself when absolute, else path under the project root."""
    p = Path(path)
    return p if p.is_absolute() else project_root(start) / p


def default_contract() -> Path:
    """The project's raw contract: under the root above cwd, else beside the installed package."""
    rel = Path("contracts/olist_mini/contract.yaml")
    try:
        found = at_root(rel)
        if found.is_file():
            return found
    except FileNotFoundError:
        pass
    return Path(__file__).resolve().parents[3] / rel
