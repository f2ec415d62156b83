"""The lineage executor on a tiny Ploomber DAG: START then COMPLETE, or START then FAIL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from support.openlineage_check import validate


def _ok(product):
    Path(str(product)).write_text("ok")


def _boom(product, upstream):
    raise RuntimeError("planted failure")


def test_each_task_gets_start_then_complete_or_fail(tmp_path, monkeypatch):
    from ploomber import DAG
    from ploomber.exceptions import DAGBuildError
    from ploomber.products import File
    from ploomber.tasks import PythonCallable

    from contractbook.lineage.executor import Serial

    monkeypatch.delenv("OPENLINEAGE_URL", raising=False)
    dag = DAG(executor=Serial(build_in_subprocess=False, lineage_dir=str(tmp_path / "lineage")))
    first = PythonCallable(_ok, File(tmp_path / "a.txt"), dag, name="first")
    second = PythonCallable(_boom, File(tmp_path / "b.txt"), dag, name="second")
    first >> second
    with pytest.raises(DAGBuildError):
        dag.build(show_progress=False)
    (log,) = (tmp_path / "lineage").glob("build-*.jsonl")
    events = [json.loads(x) for x in log.read_text().splitlines()]
    for e in events:
        validate(e)
    seen = [(e["job"]["name"], e["eventType"]) for e in events]
    assert seen == [
        ("contractbook.first", "START"),
        ("contractbook.first", "COMPLETE"),
        ("contractbook.second", "START"),
        ("contractbook.second", "FAIL"),
    ]
    assert (
        "planted failure" in json.dumps(events[-1]["run"]["facets"]["errorMessage"])
        or "second" in events[-1]["run"]["facets"]["errorMessage"]["message"]
    )
    assert events[0]["outputs"][0]["name"] == str(tmp_path / "a.txt")
    assert events[0]["run"]["runId"] == events[1]["run"]["runId"] != events[2]["run"]["runId"]
