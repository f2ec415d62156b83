"""nbval (--nbval-lax) over copies of every notebook of the DAG, each with its injected parameters.

The copies run in a copy of a built project (so upstream products exist), never on the pipeline's
own products. Under --nbval-lax nbval executes every cell and compares outputs only for cells
marked `# NBVAL_CHECK_OUTPUT`; notebooks with such cells are executed first (papermill), so
their stored outputs are the reference the re-execution must reproduce.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from support.project import BIN, built_project, files_under, run, tasks

pytestmark = pytest.mark.slow

RENDER = """
import sys
from pathlib import Path
from ploomber.spec import DAGSpec
dag = DAGSpec('pipeline.yaml').to_dag()
dag.render()
for name in dag._iter():
    source = dag[name].source
    if hasattr(source, 'nb_str_rendered'):
        Path(f'nbval-{name}.ipynb').write_text(source.nb_str_rendered)
        print(name)
"""


@pytest.fixture(scope="module")
def copies(tmp_path_factory):
    """The built project copied again, with one injected notebook per task at its root."""
    built = built_project(tmp_path_factory)
    project = tmp_path_factory.mktemp("nbval") / "project"
    shutil.copytree(built.path, project, ignore=shutil.ignore_patterns(".state"))
    names = run([str(BIN / "python"), "-c", RENDER], project, built.env).stdout.split()
    return project, built.env, names


def _checks_outputs(path) -> bool:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return any("NBVAL_CHECK_OUTPUT" in "".join(c["source"]) for c in nb["cells"])


def test_every_task_notebook_is_covered(copies):
    project, _, names = copies
    assert sorted(names) == sorted(t["name"] for t in tasks(project))


def test_notebooks_pass_nbval(copies):
    project, env, names = copies
    files = [project / f"nbval-{n}.ipynb" for n in names]
    for f in files:
        if _checks_outputs(f):
            run([str(BIN / "papermill"), "-k", "python3", str(f), str(f)], project, env)
    proc = run(
        [
            str(BIN / "python"),
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:pytest_openmetadata",
            "-p",
            "no:cacheprovider",
            "--rootdir",
            str(project),
            "--nbval-lax",
            *(f.name for f in files),
        ],
        project,
        env,
    )
    assert " passed" in proc.stdout and "failed" not in proc.stdout, proc.stdout
    print(proc.stdout.strip().splitlines()[-1])
    assert files_under(Path(env["HOME"])) == [], "nbval wrote to HOME"
