"""`contractbook databricks run-job` against a local HTTP stand-in for the Databricks Jobs API.

The stand-in (http.server on 127.0.0.1) answers jobs/run-now and runs/get and records every
request, so the tests see what the SDK sent: method, path, job id, parameters, token header.
"""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from contractbook.cli import main

TOKEN = "dapi-test-token-not-a-secret"


class StandIn(ThreadingHTTPServer):
    """Stand-in workspace: each runs/get returns the next life-cycle state of `states`."""

    def __init__(self, states: list[tuple[str, str | None]]):
        super().__init__(("127.0.0.1", 0), Handler)
        self.states, self.requests = list(states), []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # quiet
        pass

    def _reply(self, body: dict, code: int = 200) -> None:
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _record(self, body=None) -> None:
        self.server.requests.append(
            {
                "method": self.command,
                "path": self.path,
                "body": body,
                "auth": self.headers.get("Authorization"),
            }
        )

    def do_POST(self):  # noqa: N802 - http.server's naming
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])) or b"{}")
        self._record(body)
        if self.path == "/api/2.2/jobs/run-now" or self.path == "/api/2.1/jobs/run-now":
            return self._reply({"run_id": 4242, "number_in_job": 1})
        return self._reply({"error_code": "NOT_FOUND", "message": self.path}, 404)

    def do_GET(self):  # noqa: N802
        self._record()
        if self.path.split("?")[0].endswith("/jobs/runs/get"):
            life, result = (
                self.server.states.pop(0) if len(self.server.states) > 1 else self.server.states[0]
            )
            state = {"life_cycle_state": life, "state_message": "stand-in"}
            if result:
                state["result_state"] = result
            return self._reply(
                {
                    "job_id": 7,
                    "run_id": 4242,
                    "state": state,
                    "run_page_url": "http://stand-in/run/4242",
                }
            )
        return self._reply({"error_code": "NOT_FOUND", "message": self.path}, 404)


@pytest.fixture
def stand_in(request, monkeypatch):
    server = StandIn(request.param)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("DATABRICKS_HOST", server.url)
    monkeypatch.setenv("DATABRICKS_TOKEN", TOKEN)
    for var in ("DATABRICKS_CONFIG_PROFILE", "DATABRICKS_CONFIG_FILE", "DATABRICKS_AUTH_TYPE"):
        monkeypatch.delenv(var, raising=False)
    yield server
    server.shutdown()
    server.server_close()


def _run(*extra) -> int:
    return main(
        [
            "databricks",
            "run-job",
            "--job-id",
            "7",
            "--param",
            "n_orders=300",
            "--param",
            "defects=all=2",
            "--poll",
            "0.01",
            "--timeout",
            "30",
            "--retry-seconds",
            "5",
            *extra,
        ]
    )


SUCCESS = [("PENDING", None), ("RUNNING", None), ("TERMINATED", "SUCCESS")]


@pytest.mark.parametrize("stand_in", [SUCCESS], indirect=True)
def test_run_now_then_poll_until_terminated_success(stand_in, capsys):
    assert _run() == 0
    out = capsys.readouterr()
    assert "run 4242: TERMINATED SUCCESS (3 polls)" in out.out
    assert TOKEN not in out.out + out.err
    posts = [r for r in stand_in.requests if r["method"] == "POST"]
    gets = [r for r in stand_in.requests if "/jobs/runs/get" in r["path"]]
    # besides the Jobs API the SDK only asks for host metadata, without the token
    other = [r for r in stand_in.requests if r not in posts and r not in gets]
    assert {r["path"] for r in other} <= {"/.well-known/databricks-config"}
    assert all(r["auth"] is None for r in other)
    assert len(posts) == 1 and posts[0]["path"].endswith("/jobs/run-now")
    assert posts[0]["body"] == {
        "job_id": 7,
        "job_parameters": {"n_orders": "300", "defects": "all=2"},
    }
    assert len(gets) == 3 and all("run_id=4242" in g["path"] for g in gets)
    assert {r["auth"] for r in posts + gets} == {f"Bearer {TOKEN}"}


@pytest.mark.parametrize("stand_in", [[("RUNNING", None), ("TERMINATED", "FAILED")]], indirect=True)
def test_failed_run_exits_1(stand_in, capsys):
    assert _run() == 1
    assert "TERMINATED FAILED" in capsys.readouterr().out


@pytest.mark.parametrize("stand_in", [[("RUNNING", None)]], indirect=True)
def test_run_still_running_after_timeout_exits_3(stand_in, capsys):
    assert (
        main(["databricks", "run-job", "--job-id", "7", "--poll", "0.01", "--timeout", "0.05"]) == 3
    )
    assert "still RUNNING" in capsys.readouterr().err


def test_unreachable_workspace_exits_3(monkeypatch, capsys):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("DATABRICKS_HOST", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("DATABRICKS_TOKEN", TOKEN)
    assert main(["databricks", "run-job", "--job-id", "7", "--retry-seconds", "1"]) == 3
    err = capsys.readouterr().err
    assert "unreachable" in err and TOKEN not in err


def test_missing_credentials_exit_2(monkeypatch, capsys):
    monkeypatch.delenv("DATABRICKS_HOST", raising=False)
    monkeypatch.delenv("DATABRICKS_TOKEN", raising=False)
    assert main(["databricks", "run-job", "--job-id", "7"]) == 2
    assert "DATABRICKS_HOST and DATABRICKS_TOKEN" in capsys.readouterr().err
