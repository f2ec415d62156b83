"""Incremental builds of a real Ploomber DAG with the project's hooks: an input folder that no task
makes reruns the tasks that read it and what follows; a no-op build reruns nothing; every build
appends its tasks to `_runs`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest
import yaml

from support.project import ROOT

pytestmark = pytest.mark.slow

TASKS = """
from pathlib import Path

def count(product, inbox):
    Path(str(product)).write_text(str(len(list(Path(inbox).iterdir()))))

def double(product, upstream):
    Path(str(product)).write_text(str(2 * int(Path(str(upstream["count"])).read_text())))

def other(product):
    Path(str(product)).write_text("x")
"""


def _project(tmp: Path) -> Path:
    env = yaml.safe_load((ROOT / "env.yaml").read_text())
    (tmp / "inbox").mkdir(parents=True)
    (tmp / "inbox" / "a.csv").write_text("1\n")
    (tmp / "tasks_mod.py").write_text(textwrap.dedent(TASKS))
    hook = {
        "dotted_path": "contractbook.orchestrate.hooks.on_render",
        **{k: f"{{{{{k}}}}}" for k in env},
    }
    spec = {
        "meta": {"extract_upstream": False, "extract_product": False},
        "on_render": hook,
        "on_finish": "contractbook.orchestrate.hooks.on_finish",
        "on_failure": "contractbook.orchestrate.hooks.on_failure",
        "tasks": [
            {
                "source": "tasks_mod.count",
                "product": "out/count.txt",
                "params": {"inbox": str(tmp / "inbox")},
            },
            {"source": "tasks_mod.double", "product": "out/double.txt", "upstream": ["count"]},
            {"source": "tasks_mod.other", "product": "out/other.txt"},
        ],
    }
    (tmp / "pipeline.yaml").write_text(yaml.safe_dump(spec, sort_keys=False))
    env["contract"] = str(ROOT / env["contract"])
    (tmp / "env.yaml").write_text(yaml.safe_dump(env))
    return tmp


def _build(project: Path, *args: str) -> dict[str, bool]:
    env = {
        **os.environ,
        "PYTHONPATH": str(project),
        "PLOOMBER_STATS_ENABLED": "false",
        "PLOOMBER_HOME_DIR": str(project / ".state" / "ploomber"),
    }
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "ploomber"), "build", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    ran = {}
    for line in proc.stdout.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[1] in ("True", "False"):
            ran[parts[0]] = parts[1] == "True"
    return ran


def test_changed_input_folder_reruns_its_readers_and_what_follows(tmp_path):
    project = _project(tmp_path)
    assert _build(project) == {"count": True, "double": True, "other": True}
    assert _build(project) == {"count": False, "double": False, "other": False}
    (project / "inbox" / "b.csv").write_text("2\n")
    assert _build(project) == {"count": True, "double": True, "other": False}
    assert (project / "out" / "double.txt").read_text() == "4"
    assert _build(project) == {"count": False, "double": False, "other": False}
    (project / "inbox" / "a.csv").write_text("changed\n")  # size changes
    assert _build(project) == {"count": True, "double": True, "other": False}

    with duckdb.connect(str(project / "data" / "runs.duckdb"), read_only=True) as con:
        rows = con.execute(
            "SELECT run_id, task, status, contract_version, parameters "
            "FROM _runs ORDER BY run_id, task"
        ).fetchall()
    runs = sorted({r[0] for r in rows})
    assert len(runs) == 5 and len(rows) == 15
    last = [r for r in rows if r[0] == runs[-1]]
    assert [(r[1], r[2]) for r in last] == [
        ("count", "completed"),
        ("double", "completed"),
        ("other", "skipped"),
    ]
    contract = yaml.safe_load((project / "env.yaml").read_text())["contract"]
    version = yaml.safe_load(Path(contract).read_text())["version"]
    assert all(r[3] == version for r in rows)
    assert json.loads(rows[0][4])["destination"] == "duckdb"


def test_a_bad_parameter_stops_the_build_before_any_task(tmp_path):
    project = _project(tmp_path)
    env = {
        **os.environ,
        "PYTHONPATH": str(project),
        "PLOOMBER_STATS_ENABLED": "false",
        "PLOOMBER_HOME_DIR": str(project / ".state" / "ploomber"),
    }
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "ploomber"), "build", "--env--destination", "duckbd"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode != 0
    assert (
        "destination: 'duckbd' is not one of duckdb, postgres, filesystem"
        in proc.stdout + proc.stderr
    )
    assert not (project / "out").exists()


def test_a_failed_build_is_in_the_history_with_its_failed_task(tmp_path):
    project = _project(tmp_path)
    (project / "tasks_mod.py").write_text(
        textwrap.dedent(TASKS)
        + textwrap.dedent("""
        def other(product):
            raise RuntimeError("boom")
        """)
    )
    env = {
        **os.environ,
        "PYTHONPATH": str(project),
        "PLOOMBER_STATS_ENABLED": "false",
        "PLOOMBER_HOME_DIR": str(project / ".state" / "ploomber"),
    }
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "ploomber"), "build"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode != 0
    with duckdb.connect(str(project / "data" / "runs.duckdb"), read_only=True) as con:
        rows = dict(con.execute("SELECT task, status FROM _runs").fetchall())
    assert rows == {"count": "completed", "double": "completed", "other": "failed"}
    assert not (project / ".state" / "build-inputs.json").exists()  # only successes are kept
