"""`make lab`'s Jupyter config, for real: a headless JupyterLab on 127.0.0.1 with a token."""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from support.project import BIN, copy_project, files_under, state_env

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on a copy of the project; yields (get, project, home); stopped after."""
    base = tmp_path_factory.mktemp("lab")
    project = copy_project(base / "project")
    config_before = files_under(project / ".jupyter")
    env = state_env(project, base / "home")
    port, token = _free_port(), secrets.token_hex(16)
    cmd = [
        str(BIN / "jupyter"),
        "lab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={project}",
    ]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    log = (base / "lab.log").open("w")
    proc = subprocess.Popen(cmd, cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT)

    def get(path: str) -> tuple[int, dict]:
        req = urllib.request.Request(
            f"http://127.0.0.1:{port}{path}", headers={"Authorization": f"token {token}"}
        )
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as e:
            return e.code, {"error": e.read().decode(errors="replace")}

    try:
        for _ in range(240):
            if proc.poll() is not None:
                pytest.fail(
                    f"jupyter lab exited {proc.returncode}:\n{(base / 'lab.log').read_text()}"
                )
            try:
                if get("/api/status")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.25)
        else:
            pytest.fail(f"jupyter lab did not answer:\n{(base / 'lab.log').read_text()}")
        yield get, project, base / "home", config_before
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def test_file_browser_lists_the_project(lab):
    get = lab[0]
    status, body = get("/api/contents/")
    assert status == 200, body  # 500 when ploomber's server extension is enabled
    assert {"notebooks", "contracts", "pipeline.yaml"} <= {c["name"] for c in body["content"]}


def test_py_percent_file_opens_as_a_notebook(lab):
    get = lab[0]
    status, body = get("/api/contents/notebooks/02-validate-contract.py")
    assert status == 200, body
    assert body["type"] == "notebook"
    tags = [c["metadata"].get("tags", []) for c in body["content"]["cells"]]
    assert ["parameters"] in tags


def test_python_files_open_with_the_jupytext_notebook_viewer(lab):
    get = lab[0]
    status, body = get("/lab/api/settings/@jupyterlab/docmanager-extension:plugin")
    assert status == 200, body
    assert body["schema"]["properties"]["defaultViewers"]["default"] == {
        "python": "Jupytext Notebook"
    }


def test_server_writes_nothing_to_home_or_the_config_dir(lab):
    get, project, home, config_before = lab
    for path in (
        "/api/contents/notebooks/02-validate-contract.py",
        "/lsp/status",
        "/api/kernelspecs",
    ):
        get(path)  # /lsp/status: jupyter_lsp would probe npm, which writes ~/.npm/_logs
    assert files_under(home) == []
    assert files_under(project / ".jupyter") == config_before


def test_notebook_7_is_installed_and_nbclassic_is_not():
    from importlib.metadata import PackageNotFoundError, version

    assert int(version("notebook").split(".")[0]) >= 7
    with pytest.raises(PackageNotFoundError):
        version("nbclassic")


def test_make_lab_serves_jupyterlab_and_notebook_7(tmp_path):
    """`make lab` itself (the Makefile's variables and config), on a copy of the project."""
    from support.project import ROOT

    project = copy_project(tmp_path / "project")
    port, token = _free_port(), secrets.token_hex(16)
    args = (
        f"--no-browser --ip=127.0.0.1 --port={port} --IdentityProvider.token={token} "
        f"--ServerApp.root_dir={project}"
    )  # as root, make lab adds --allow-root itself
    env = state_env(project, tmp_path / "home")
    log = (tmp_path / "make-lab.log").open("w")
    proc = subprocess.Popen(
        ["make", "-s", "-C", str(ROOT), "lab", f"LAB_ARGS={args}"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )

    def page(path: str) -> tuple[int, str]:
        req = urllib.request.Request(
            f"http://127.0.0.1:{port}{path}", headers={"Authorization": f"token {token}"}
        )
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return r.status, r.read().decode(errors="replace")
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode(errors="replace")

    try:
        for _ in range(240):
            assert proc.poll() is None, (tmp_path / "make-lab.log").read_text()
            try:
                if page("/api/status")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.25)
        else:
            pytest.fail((tmp_path / "make-lab.log").read_text())
        status, body = page("/lab")
        assert status == 200 and "JupyterLab" in body
        status, body = page("/tree")  # Notebook 7's file browser (nbclassic would serve 6.x)
        assert status == 200 and "notebook" in body.lower()
        status, body = page("/api/contents/notebooks/04-ingest.py")
        assert status == 200 and json.loads(body)["type"] == "notebook"
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=30)
        log.close()
    assert "nbclassic" not in (tmp_path / "make-lab.log").read_text().lower()
