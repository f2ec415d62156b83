"""pipeline.yaml follows the DAG conventions (checked statically, without importing Ploomber)."""

from __future__ import annotations

import re

import pytest
import yaml

from support.project import ROOT

SPEC = yaml.safe_load((ROOT / "pipeline.yaml").read_text())
ENV = yaml.safe_load((ROOT / "env.yaml").read_text())
TASKS = SPEC["tasks"]


def test_hooks_write_the_history_and_the_reports_index():
    # contractbook.orchestrate.hooks records `_runs`, then calls reporting.index (tests/e2e)
    assert SPEC["on_finish"] == "contractbook.orchestrate.hooks.on_finish"
    assert SPEC["on_failure"] == "contractbook.orchestrate.hooks.on_failure"


@pytest.mark.parametrize("task", TASKS, ids=[t["name"] for t in TASKS])
def test_task_follows_the_conventions(task):
    name = task["name"]
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name), "task names are kebab-case"
    assert task["product"]["nb"] == f"reports/{name}.html"
    assert re.fullmatch(r"notebooks/\d\d-[a-z0-9-]+\.py", task["source"])
    source = (ROOT / task["source"]).read_text(encoding="utf-8")
    params = re.search(r'^# %% tags=\["parameters"\]\n(.*?)(?=^# %%)', source, re.M | re.S)
    assert params, f"{task['source']} has no `# %% tags=[\"parameters\"]` cell"
    assert re.search(r"^upstream = ", params[1], re.M) and re.search(r"^product = ", params[1], re.M)
    for upstream in task.get("upstream") or []:
        assert upstream in {t["name"] for t in TASKS}, f"unknown upstream {upstream!r}"
    for value in [*(task.get("params") or {}).values(), *task["product"].values()]:
        for placeholder in re.findall(r"\{\{\s*(\w+)\s*\}\}", str(value)):
            assert placeholder in ENV or placeholder in {"root", "cwd", "here", "user", "now"}, \
                f"{{{{{placeholder}}}}} is not in env.yaml"
