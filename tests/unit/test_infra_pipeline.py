"""pipeline.yaml follows the DAG conventions (checked statically, without importing Ploomber)."""

from __future__ import annotations

import fnmatch
import re

import pytest
import yaml

from support.project import ROOT, tasks

SPEC = yaml.safe_load((ROOT / "pipeline.yaml").read_text())
ENV = yaml.safe_load((ROOT / "env.yaml").read_text())
TASKS = tasks(ROOT)  # pipeline.yaml's own and the ingest side it imports


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
    assert params, f'{task["source"]} has no `# %% tags=["parameters"]` cell'
    assert re.search(r"^upstream = ", params[1], re.M) and re.search(
        r"^product = ", params[1], re.M
    )
    for upstream in task.get("upstream") or []:
        names = {t["name"] for t in TASKS}
        assert upstream in names or fnmatch.filter(names, upstream), (
            f"unknown upstream {upstream!r}"
        )
    for value in [*(task.get("params") or {}).values(), *task["product"].values()]:
        for placeholder in re.findall(r"\{\{\s*(\w+)\s*\}\}", str(value)):
            assert placeholder in ENV or placeholder in {"root", "cwd", "here", "user", "now"}, (
                f"{{{{{placeholder}}}}} is not in env.yaml"
            )


def test_executor_is_quiet_off_a_terminal():
    # the lineage executor (START/COMPLETE/FAIL events) is the quiet executor plus lineage
    from contractbook.lineage.executor import Serial
    from contractbook.reporting.executor import Serial as Quiet

    assert SPEC["executor"] == {"dotted_path": "contractbook.lineage.executor.Serial"}
    assert issubclass(Serial, Quiet)


@pytest.mark.parametrize("task", TASKS, ids=[t["name"] for t in TASKS])
def test_task_reports_and_reads_like_the_others(task):
    """`<<: *report`, inputs through upstream only, and the notebook's task_io + checkpoint."""
    assert task["nbconvert_exporter_name"] == "contractbook.reporting.exporter.ReportExporter"
    assert (
        task["executor_params"]["kernel_manager_class"]
        == "contractbook.reporting.kernel.IPCKernelManager"
    )
    products = {str(v) for t in TASKS for v in t["product"].values()}
    assert not products & {str(v) for v in (task.get("params") or {}).values()}, (
        "a product of a task is passed again as a param: read it through upstream"
    )
    source = (ROOT / task["source"]).read_text(encoding="utf-8")
    assert f'task_io("{task["name"]}", upstream, product)' in source
    assert "checkpoint(product," in source and "## What to check" in source


def test_notebooks_are_thin():
    """About 15 lines of code per notebook, imports and the parameters cell not counted."""
    for task in TASKS:
        source = (ROOT / task["source"]).read_text(encoding="utf-8")
        cells = re.split(r"^(# %%.*)$", source, flags=re.M)
        code = [
            body
            for head, body in zip(cells[1::2], cells[2::2], strict=True)
            if "[markdown]" not in head and "parameters" not in head
        ]
        lines = [
            ln
            for body in code
            for ln in body.splitlines()
            if ln.strip() and not ln.startswith(("from ", "import ", "#"))
        ]
        assert len(lines) <= 20, f"{task['source']}: {len(lines)} lines of code (move logic to lib)"
