"""Every notebook runs top to bottom in a real kernel whose cwd is notebooks/, as in JupyterLab.

Two ways, each in its own fresh copy of the project, notebooks in DAG order:
- as they are (`upstream = product = None`): defaults come from pipeline.yaml via
  contractbook.paths (only n_orders is shrunk, through papermill);
- after `ploomber nb --inject` (the injected cell holds Ploomber's absolute paths).
"""

from __future__ import annotations

import json
import subprocess

import pytest

from support.project import BIN, copy_project, files_under, state_env, tasks

pytestmark = pytest.mark.slow

RUN = """
import sys, jupytext, papermill
nb = jupytext.read(sys.argv[1])
params = {"n_orders": 300} if sys.argv[3] == "small" else {}
papermill.execute_notebook(nb, sys.argv[2], parameters=params, kernel_name="python3",
                           cwd=sys.argv[4], progress_bar=False)
"""


def _run_all(project, env, small: bool) -> list[str]:
    """Execute every task's notebook in DAG order with cwd notebooks/; returns the outputs' text."""
    shown = []
    for task in tasks(project):
        src = project / task["source"]
        out = project / f"{task['name']}.out.ipynb"
        params = "small" if small and "n_orders" in (task.get("params") or {}) else "none"
        proc = subprocess.run(
            [
                str(BIN / "python"),
                "-c",
                RUN,
                str(src),
                str(out),
                params,
                str(project / "notebooks"),
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert proc.returncode == 0, (
            f"{task['source']} failed in notebooks/:\n{proc.stderr[-3000:]}"
        )
        shown.append(
            json.dumps(
                [o for c in json.loads(out.read_text())["cells"] for o in c.get("outputs", [])]
            )
        )
    return shown


def _project(tmp_path, name):
    project = copy_project(tmp_path / name / "project")
    return project, state_env(project, tmp_path / name / "home")


def test_notebooks_run_as_they_are_from_the_notebooks_folder(tmp_path):
    project, env = _project(tmp_path, "plain")
    before = files_under(project / "notebooks")
    _run_all(project, env, small=True)
    # the defaults landed where pipeline.yaml puts them, not below notebooks/
    assert (project / "data" / "raw" / "orders.csv").is_file()
    assert (project / "data" / "warehouse.duckdb").is_file()
    assert (project / "reports" / "data_docs" / "index.html").is_file()
    assert files_under(project / "notebooks") == before, "a notebook wrote below notebooks/"
    assert files_under(tmp_path / "plain" / "home") == []


def test_notebooks_run_after_ploomber_nb_inject(tmp_path):
    project, env = _project(tmp_path, "inject")
    subprocess.run(
        [str(BIN / "ploomber"), "nb", "--inject"],
        cwd=project,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    source = (project / "notebooks" / "04-ingest.py").read_text()
    assert "injected-parameters" in source
    _run_all(project, env, small=False)
    assert (project / "data" / "warehouse.duckdb").is_file()
    assert (project / "reports" / "gx-checks.summary.json").is_file()
