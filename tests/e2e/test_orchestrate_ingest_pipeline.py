"""`make ingest DATA=dir`: the ingest side alone on a folder of small synthetic files, in a copy
of the project; nothing is generated, a second run is a no-op, a changed file reruns the side."""

from __future__ import annotations

import json
import os
import sys

import duckdb
import pytest

from support.project import BIN, ROOT, copy_project, run, state_env

pytestmark = pytest.mark.slow
INGEST_SIDE = ["ingest", "gx-checks", "metrics-dashboard", "register-catalog"]


def _ran(output: str) -> dict[str, bool]:
    out = {}
    for line in output.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[1] in ("True", "False"):
            out[parts[0]] = parts[1] == "True"
    return out


def test_make_ingest_runs_the_ingest_side_on_a_folder(tmp_path):
    project = copy_project(tmp_path / "project")
    env = state_env(project, tmp_path / "home")
    drop = tmp_path / "drop" / "files"
    run(
        [
            sys.executable,
            "-m",
            "contractbook",
            "synth",
            "--n-orders",
            "120",
            "--out",
            str(drop),
            "--quiet",
        ],
        project,
        env,
    )
    # the Makefile's own target; `-o setup`: the venv is this one (BIN), already set up
    make = [
        "make",
        "-s",
        "-f",
        str(ROOT / "Makefile"),
        "-C",
        str(project),
        "-o",
        "setup",
        "ingest",
        f"DATA={drop}",
        f"BIN={BIN}",
    ]
    first = run(make, project, env)
    assert _ran(first.stdout) == dict.fromkeys(INGEST_SIDE, True)
    assert not (project / "data" / "raw").exists()  # no synthetic data was made
    receipt = json.loads((project / "data" / "ingest-duckdb.json").read_text())
    assert receipt["status"] == "completed"
    acc = receipt["accounting"]
    assert sum(a["read"] for a in acc) > 0
    assert all(a["read"] == a["loaded"] + a["rejected"] for a in acc)
    for name in INGEST_SIDE:
        assert (project / "reports" / f"{name}.html").is_file(), name
    with duckdb.connect(str(project / "data" / "runs.duckdb"), read_only=True) as con:
        ((data,),) = con.execute(
            "SELECT parameters->>'data' FROM _runs WHERE origin = 'ingest' AND status = 'completed'"
        ).fetchall()
    assert data == str(drop.resolve())

    assert _ran(run(make, project, env).stdout) == dict.fromkeys(INGEST_SIDE, False)
    orders = drop / "orders.csv"
    stat = orders.stat()
    os.utime(orders, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))  # a new drop of it
    assert _ran(run(make, project, env).stdout) == dict.fromkeys(INGEST_SIDE, True)
