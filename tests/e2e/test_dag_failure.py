"""A broken contract: the build fails in validate-contract, first, and the index says why.

Runs on a copy of the built project (so earlier reports exist), with a broken contract.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from support.project import BIN, built_project, tasks

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def failed(tmp_path_factory):
    built = built_project(tmp_path_factory)
    project = tmp_path_factory.mktemp("failed") / "project"
    shutil.copytree(built.path, project, symlinks=True)
    contract = project / "contracts" / "olist_mini" / "contract.yaml"
    contract.write_text(contract.read_text().replace("apiVersion:", "apiVersion: v0.0.1 #", 1))
    # no --force: the contract is a tracked resource of validate-contract
    proc = subprocess.run(
        [str(BIN / "ploomber"), "build"],
        cwd=project,
        env=built.env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    return project, proc


def test_validate_contract_is_the_first_task():
    from support.project import ROOT

    assert tasks(ROOT)[0]["name"] == "validate-contract"


def test_broken_contract_fails_in_validate_contract_only(failed):
    project, proc = failed
    assert proc.returncode != 0
    index = (project / "reports" / "index.html").read_text(encoding="utf-8")
    assert "validate-contract failed" in index
    assert "ContractError" in index
    assert index.count("not run (an upstream task failed)") == len(tasks(project)) - 1
    assert str(project) not in index


def test_failed_task_links_its_partial_notebook_with_the_problem_table(failed):
    project, _ = failed
    index = (project / "reports" / "index.html").read_text(encoding="utf-8")
    assert "href='validate-contract.partial.html'" in index
    partial = (project / "reports" / "validate-contract.partial.html").read_text(encoding="utf-8")
    assert "INVALID" in partial and "apiVersion" in partial
    assert re.search(r"<th[^>]*>severity</th>", partial), "the problems as a table"


def test_earlier_reports_are_marked_stale(failed):
    project, _ = failed
    index = (project / "reports" / "index.html").read_text(encoding="utf-8")
    assert index.count("stale report") == len(tasks(project))
    assert "(stale)" in index  # the headline numbers come from the earlier build
