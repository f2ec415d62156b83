"""The DAG against a real password-protected PostgreSQL and Delta tables; no secret leaks anywhere.

Marker values go into every credential variable the project (and dlt, libpq, the catalog) reads;
the PostgreSQL password is a marker the server really checks. After the DAG and the CLI ran against
the live server, an unreachable one and a refused password, no marker may appear in reports/,
data/, .state/ or any captured output.
"""

from __future__ import annotations

import json
import secrets
import socket
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from contractbook.ingest.destinations import DESTINATIONS
from support.project import BIN, copy_project, run, state_env

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

# credential variables read besides the registry's own (dlt field form, libpq, vendor SDKs, catalog)
EXTRA_VARS = (
    "DESTINATION__POSTGRES__CREDENTIALS__PASSWORD",
    "PGPASSWORD",
    "DATABRICKS_TOKEN",
    "SNOWFLAKE_PASSWORD",
    "GOOGLE_APPLICATION_CREDENTIALS",
    "OPENMETADATA_JWT_TOKEN",
    "OPENMETADATA_API_TOKEN",
    "OM_JWT_TOKEN",
)
CREDENTIAL_VARS = sorted({v for d in DESTINATIONS.values() for v in d.env} | set(EXTRA_VARS))
PASSWORD_VAR = "DESTINATION__POSTGRES__CREDENTIALS__PASSWORD"


@dataclass
class Runs:
    """The project copy after every run, the markers and what each run printed."""

    project: Path
    dsn: str
    markers: dict[str, str]
    outputs: dict[str, subprocess.CompletedProcess] = field(default_factory=dict)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _proc(cmd, cwd, env) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def runs(tmp_path_factory, secured_postgres) -> Runs:
    base = tmp_path_factory.mktemp("destinations")
    project = copy_project(base / "project")
    markers = {v: f"mk{secrets.token_hex(8)}" for v in CREDENTIAL_VARS}
    dsn = secured_postgres.add_role("loader", markers[PASSWORD_VAR], "shop")
    markers["DESTINATION__POSTGRES__CREDENTIALS"] = dsn
    env = {**state_env(project, base / "home"), **markers}
    ploomber = str(BIN / "ploomber")
    cli = [sys.executable, "-m", "contractbook"]
    ingest = [
        *cli,
        "ingest",
        "contracts/olist_mini/contract.yaml",
        "--data",
        "data/raw",
        "--destination",
        "postgres",
    ]
    r = Runs(project, dsn, markers)
    r.outputs["dag postgres"] = run(
        [ploomber, "build", "--env--destination", "postgres"], project, env
    )
    r.outputs["cli postgres"] = _proc(ingest, project, env)
    r.outputs["cli gx postgres"] = _proc(
        [
            *cli,
            "gx",
            "check",
            "--url",
            "${DESTINATION__POSTGRES__CREDENTIALS}",
            "--target",
            "postgres",
            "--warn-only",
            "contracts/olist_mini/contract.yaml",
        ],
        project,
        env,
    )
    down = {
        **env,
        "DESTINATION__POSTGRES__CREDENTIALS": dsn.replace(
            f":{secured_postgres.port}/", f":{_closed_port()}/"
        ),
    }
    r.outputs["dag unreachable"] = _proc(
        [ploomber, "task", "ingest", "--force", "--env--destination", "postgres"], project, down
    )
    r.outputs["cli unreachable"] = _proc(ingest, project, down)
    refused = {
        **env,
        "DESTINATION__POSTGRES__CREDENTIALS": dsn.replace(
            markers[PASSWORD_VAR], markers["PGPASSWORD"]
        ),
    }
    refused[PASSWORD_VAR] = markers["PGPASSWORD"]
    r.outputs["cli refused"] = _proc(ingest, project, refused)
    r.outputs["dag filesystem"] = run(
        [ploomber, "build", "--env--destination", "filesystem"], project, env
    )
    return r


def _receipt(project: Path, destination: str) -> dict:
    return json.loads((project / "data" / f"ingest-{destination}.json").read_text())


def test_dag_loads_the_password_protected_postgres(runs):
    import psycopg2

    receipt = _receipt(runs.project, "postgres")
    assert receipt["status"] == "completed" and receipt["location"].startswith(
        "postgres://127.0.0.1:"
    )
    loaded = {a["table"]: a["loaded"] for a in receipt["accounting"]}
    with psycopg2.connect(runs.dsn) as conn, conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM olist.orders")
        assert cur.fetchone()[0] == loaded["orders"] > 0
    # the run history, beside the data: the DAG's ingest and the CLI's completed (the unreachable
    # and refused runs did not), and no row holds a secret
    import duckdb

    with duckdb.connect(str(runs.project / "data" / "runs.duckdb"), read_only=True) as con:
        statuses = dict(
            con.execute(
                "SELECT status, count(*) FROM _runs WHERE origin = 'ingest' AND "
                "parameters->>'destination' = 'postgres' GROUP BY status"
            ).fetchall()
        )
        everything = repr(con.execute("SELECT * FROM _runs").fetchall())
    assert statuses["completed"] == 2  # the DAG's run and the CLI's
    assert not [m for m in runs.markers.values() if m in everything]
    assert runs.outputs["cli postgres"].returncode == 0, runs.outputs["cli postgres"].stderr
    assert "accounting OK" in runs.outputs["cli postgres"].stdout
    gx = runs.outputs["cli gx postgres"]
    assert gx.returncode == 0 and "Traceback" not in gx.stderr, gx.stderr
    gx_report = (runs.project / "reports" / "gx-checks.html").read_text()
    assert "Post-load" in gx_report


def test_dag_writes_delta_tables_with_the_filesystem_destination(runs):
    from deltalake import DeltaTable

    receipt = _receipt(runs.project, "filesystem")
    assert receipt["status"] == "completed"
    assert receipt["location"] == f"filesystem:{(runs.project / 'data' / 'delta').resolve()}"
    loaded = {a["table"]: a["loaded"] for a in receipt["accounting"]}
    orders = DeltaTable(str(runs.project / "data" / "delta" / "olist" / "orders"))
    assert orders.to_pyarrow_dataset().count_rows() == loaded["orders"] > 0
    index = (runs.project / "reports" / "index.html").read_text()
    assert "FAILED" not in index
    # the catalog's test case results come from the Delta `_run_metrics` of the same run
    results = json.loads((runs.project / "data" / "catalog" / "test_results.json").read_text())
    fqns = [r["testCaseFQN"] for r in results["requests"]]
    assert fqns and all(f.startswith("contractbook_filesystem.delta.olist.") for f in fqns)


def test_unreachable_and_refused_postgres_are_one_line_exit_3(runs):
    assert runs.outputs["dag unreachable"].returncode != 0
    assert (
        "cannot reach postgres://127.0.0.1:"
        in runs.outputs["dag unreachable"].stderr + runs.outputs["dag unreachable"].stdout
    )
    for name, words in (
        ("cli unreachable", "ingest: cannot reach postgres://127.0.0.1:"),
        ("cli refused", "ingest: postgres refused the credentials ("),
    ):
        proc = runs.outputs[name]
        assert proc.returncode == 3, proc.stderr
        assert "Traceback" not in proc.stdout + proc.stderr
        (line,) = proc.stderr.strip().splitlines()
        assert line.startswith(words) and "DESTINATION__POSTGRES__CREDENTIALS" in line


def test_no_credential_marker_anywhere(runs):
    assert len(runs.markers) == len(CREDENTIAL_VARS) >= 20
    values = {v: k for k, v in runs.markers.items()}
    found = []
    for folder in ("reports", "data", ".state"):
        for path in (runs.project / folder).rglob("*"):
            if path.is_file():
                blob = path.read_bytes()
                found += [
                    (str(path), var) for value, var in values.items() if value.encode() in blob
                ]
    for name, proc in runs.outputs.items():
        found += [
            (name, var)
            for value, var in values.items()
            if value in (proc.stdout or "") + (proc.stderr or "")
        ]
    assert found == []
