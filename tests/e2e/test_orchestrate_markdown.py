"""A real Ploomber DAG of py:percent notebooks with the project's hooks: a change to one notebook's
markdown reruns that notebook only (its output shows the new text); a code change still reruns it
and everything after it, and so does a change to the contract (a `resources_` file, as
pipeline.yaml gives it to validate-contract)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from support.project import ROOT

pytestmark = pytest.mark.slow

NOTEBOOK = """\
# %% [markdown]
# # {title}

# %% tags=["parameters"]
upstream = None
product = None
resources_ = None

# %%
from pathlib import Path
{body}
"""
BODIES = {
    "first": 'Path(product["data"]).write_text("2")',
    "second": 'Path(product["data"]).write_text(str(3 * int(Path(upstream["first"]["data"])'
    ".read_text())))",
    "third": 'Path(product["data"]).write_text(Path(upstream["second"]["data"]).read_text() + "!")',
}


def _write(project: Path, name: str, title: str, body: str | None = None) -> None:
    (project / f"{name}.py").write_text(NOTEBOOK.format(title=title, body=body or BODIES[name]))


def _project(tmp: Path) -> Path:
    env = yaml.safe_load((ROOT / "env.yaml").read_text())
    hook = {
        "dotted_path": "contractbook.orchestrate.hooks.on_render",
        **{k: f"{{{{{k}}}}}" for k in env},
    }
    ups = {"first": None, "second": ["first"], "third": ["second"]}
    spec = {
        "meta": {"extract_upstream": False, "extract_product": False},
        "on_render": hook,
        "on_finish": "contractbook.orchestrate.hooks.on_finish",
        "on_failure": "contractbook.orchestrate.hooks.on_failure",
        "tasks": [
            {
                "source": f"{n}.py",
                "name": n,
                "product": {"nb": f"out/{n}.ipynb", "data": f"out/{n}.txt"},
                **({"upstream": u} if u else {}),
            }
            for n, u in ups.items()
        ],
    }
    tmp.mkdir(parents=True, exist_ok=True)
    (tmp / "contract.yaml").write_text((ROOT / env["contract"]).read_text())
    spec["tasks"][0]["params"] = {"resources_": {"contract": "contract.yaml"}}
    (tmp / "pipeline.yaml").write_text(yaml.safe_dump(spec, sort_keys=False))
    env["contract"] = str(ROOT / env["contract"])
    (tmp / "env.yaml").write_text(yaml.safe_dump(env))
    for name in ups:
        _write(tmp, name, f"The {name} step")
    return tmp


def _build(project: Path) -> dict[str, bool]:
    env = {
        **os.environ,
        "PLOOMBER_STATS_ENABLED": "false",
        "PLOOMBER_HOME_DIR": str(project / ".state" / "ploomber"),
        "IPYTHONDIR": str(project / ".state" / "ipython"),
    }
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "ploomber"), "build"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    ran = {}
    for line in proc.stdout.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[1] in ("True", "False"):
            ran[parts[0]] = parts[1] == "True"
    return ran


def test_markdown_change_reruns_only_that_notebook_and_code_change_reruns_downstream(tmp_path):
    project = _project(tmp_path / "p")
    everything = {"first": True, "second": True, "third": True}
    nothing = {"first": False, "second": False, "third": False}
    assert _build(project) == everything
    assert (project / "out" / "third.txt").read_text() == "6!"
    assert _build(project) == nothing

    _write(project, "first", "The first step, explained better")
    assert _build(project) == {"first": True, "second": False, "third": False}
    assert "explained better" in (project / "out" / "first.ipynb").read_text()
    assert _build(project) == nothing  # the next build sees no newer upstream product either

    _write(project, "second", "The second step, reworded")  # a task in the middle
    assert _build(project) == {"first": False, "second": True, "third": False}

    _write(
        project,
        "first",
        "The first step, explained better",
        textwrap.dedent('Path(product["data"]).write_text("5")'),
    )  # code: all after it
    assert _build(project) == everything
    assert (project / "out" / "third.txt").read_text() == "15!"
    assert _build(project) == nothing

    contract = project / "contract.yaml"
    contract.write_text(contract.read_text() + "\n# a comment is a change of the file\n")
    assert _build(project) == everything
    assert _build(project) == nothing
