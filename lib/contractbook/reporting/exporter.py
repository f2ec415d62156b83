"""The HTML exporter of every task report (pipeline.yaml: `nbconvert_exporter_name`).

nbconvert's lab page, plus: the parameters and Ploomber's injected-parameters cells left out
(they hold the build machine's paths), code folded behind a toggle, no scripts from a CDN, the
task name as title and a link back to reports/index.html.
"""

from __future__ import annotations

import copy
from pathlib import Path

from nbconvert.exporters import HTMLExporter
from traitlets import default

TEMPLATES = Path(__file__).parent / "templates"
HIDDEN_TAGS = {"parameters", "injected-parameters"}


def task_name(nb) -> str:
    """The task's name: the stem of its `nb` product, from the parameters papermill recorded."""
    params = nb.metadata.get("papermill", {}).get("parameters", {})
    product = params.get("product")
    report = product.get("nb") if isinstance(product, dict) else product
    return Path(str(report)).stem if report else nb.metadata.get("title", "report")


class ReportExporter(HTMLExporter):
    """HTMLExporter with the contractbook report template."""

    export_from_notebook = "contractbook report"

    @default("template_name")
    def _template_name_default(self) -> str:
        return "contractbook"

    @default("extra_template_basedirs")
    def _extra_template_basedirs_default(self) -> list[str]:
        return [str(TEMPLATES)]

    @default("exclude_input_prompt")
    def _exclude_input_prompt_default(self) -> bool:
        return True

    @default("exclude_output_prompt")
    def _exclude_output_prompt_default(self) -> bool:
        return True

    def from_notebook_node(self, nb, resources=None, **kw):
        """Drop the parameter cells, title the page with the task, then export."""
        nb = copy.deepcopy(nb)
        nb.cells = [
            c for c in nb.cells if not HIDDEN_TAGS & set(c.get("metadata", {}).get("tags", []))
        ]
        name = task_name(nb)
        nb.metadata["title"] = name
        resources = dict(resources or {})
        resources["contractbook"] = {"task": name, "index": "index.html"}
        return super().from_notebook_node(nb, resources=resources, **kw)
