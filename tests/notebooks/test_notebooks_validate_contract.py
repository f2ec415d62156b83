"""The validate-contract notebook fails on a broken contract, after showing the problems."""

from __future__ import annotations

import json
import subprocess

import pytest

from support.project import BIN, ROOT, state_env

pytestmark = pytest.mark.slow

RUN = """
import sys, jupytext, papermill
nb = jupytext.read(sys.argv[1])
papermill.execute_notebook(nb, sys.argv[2], parameters={"contract": sys.argv[3]},
                           kernel_name="python3", cwd=sys.argv[4], progress_bar=False)
"""


def test_broken_contract_fails_the_notebook_with_the_problem_table(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("apiVersion: v3.1.0\nkind: DataContract\nid: x\nschema:\n  - name: orders\n")
    out = tmp_path / "out.ipynb"
    env = state_env(tmp_path / "project", tmp_path / "home")
    proc = subprocess.run(
        [
            str(BIN / "python"),
            "-c",
            RUN,
            str(ROOT / "notebooks" / "02-validate-contract.py"),
            str(out),
            str(broken),
            str(ROOT),
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    assert proc.returncode != 0
    assert "ContractError" in proc.stderr
    cells = json.loads(out.read_text())["cells"]
    failed = next(
        c for c in cells if any(o.get("output_type") == "error" for o in c.get("outputs", []))
    )
    assert "raise_on_errors" in "".join(failed["source"])
    shown = json.dumps([o for c in cells for o in c.get("outputs", [])])
    assert "INVALID" in shown and "broken.yaml" in shown
