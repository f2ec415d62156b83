"""Resolve project paths from anywhere: `ploomber build` (cwd = root) or JupyterLab (cwd = notebooks/)."""

from __future__ import annotations

from pathlib import Path

MARKERS = ("pipeline.yaml",)  # the DAG file marks the root (copies of the project have no pyproject)


def project_root(start: str | Path | None = None) -> Path:
    """The nearest folder at or above start (default: cwd) holding pipeline.yaml."""
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if all((folder / m).is_file() for m in MARKERS):
            return folder
    raise FileNotFoundError(f"no project root (a folder with {' and '.join(MARKERS)}) at or "
                            f"above {here}")


def resolve(path: str | Path, start: str | Path | None = None) -> Path:
    """An absolute path: as given if absolute, else relative to the project root."""
    p = Path(path)
    return p if p.is_absolute() else project_root(start) / p
