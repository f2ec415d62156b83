"""The metrics-dashboard task in the built DAG, and the same notebook run from notebooks/ as
JupyterLab runs it (kernel cwd = notebooks/, no injected parameters)."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from contractbook.metrics.declare import model_files
from support.project import BIN, built_project, run

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return built_project(tmp_path_factory)


def test_report_has_plots_tables_and_a_passing_checkpoint(built):
    html = (built.path / "reports" / "metrics-dashboard.html").read_text(encoding="utf-8")
    plots = [c for c in re.split(r'<div class="jp-Cell ', html)[1:] if "data:image/png" in c]
    assert len(plots) >= 6
    assert "every curated row passes" in html and "seller_scorecard" in html
    assert "cb-checkpoint" in html and ">PASS<" in html and ">FAIL<" not in html
    exported = sorted(p.stem for p in (built.path / "data" / "curated").glob("*.parquet"))
    assert exported == sorted(p.stem for p in model_files())


def test_notebook_runs_from_the_notebooks_folder(built, tmp_path):
    project = tmp_path / "project"
    shutil.copytree(built.path, project, ignore=shutil.ignore_patterns(".state"))
    (project / "data" / "curated").rename(project / "data" / "curated-built")
    out = tmp_path / "out.ipynb"
    code = (
        "import jupytext, papermill; papermill.execute_notebook("
        f"jupytext.read('06-metrics-dashboard.py'), {str(out)!r}, cwd='.', "
        "kernel_name='python3', progress_bar=False)"
    )
    run([str(BIN / "python"), "-c", code], project / "notebooks", built.env)
    cells = json.loads(out.read_text())["cells"]
    outputs = json.dumps([c.get("outputs", []) for c in cells])
    assert (
        outputs.count("image/png") >= 6
        and "curated tables pass their generated contract" in outputs
    )
    assert (project / "data" / "curated" / "order_totals.parquet").is_file()  # under the root
    assert not (project / "notebooks" / "data").exists()
