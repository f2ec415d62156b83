"""A failed task's partial notebook (papermill leaves `<report>.ipynb`) as `<task>.partial.html`."""

from __future__ import annotations

import os
from pathlib import Path


def first_error(nb) -> str:
    """`ename: evalue` of the first error output of the notebook, or ''."""
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                return f"{out.get('ename', 'Error')}: {out.get('evalue', '')}".strip()
    return ""


def export_partial(report: Path, index_dir: Path) -> tuple[str | None, str]:
    """(href of the partial HTML report relative to index_dir or None, the first error)."""
    import nbformat

    ipynb = report.with_suffix(".ipynb")
    if not ipynb.is_file():
        return None, ""
    from .exporter import ReportExporter

    nb = nbformat.read(ipynb, as_version=4)
    html, _ = ReportExporter().from_notebook_node(nb)
    out = report.with_name(f"{report.stem}.partial.html")
    out.write_text(html, encoding="utf-8")
    return os.path.relpath(out, index_dir), first_error(nb)
