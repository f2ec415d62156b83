"""Throwaway copies of the project for end-to-end runs, with the Makefile's tool-state variables.

Every run here uses an empty fake HOME, so a test can prove that nothing is written to `~`.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
# What a DAG run needs besides the installed contractbook package.
PROJECT_FILES = (
    "pipeline.yaml",
    "pipeline-ingest-tasks.yaml",
    "pipeline.ingest.yaml",
    "env.yaml",
    "notebooks",
    "contracts",
    ".jupyter",
)
# A secret in the DAG build's environment (the browser test proves no page shows it).
SECRET_ENV = {"DESTINATION__POSTGRES__CREDENTIALS": "postgresql://u:cb-secret-7f3a9e@127.0.0.1:9/x"}
# env.yaml keys shrunk for tests; keys absent from env.yaml are ignored.
SMALL = {"n_orders": 300}


def copy_project(dest: Path, small: dict = SMALL) -> Path:
    """Copy the project files into dest and shrink the data sizes in its env.yaml."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(
                src, dest / name, ignore=shutil.ignore_patterns("__pycache__", ".ipynb_*")
            )
        elif src.exists():
            shutil.copy2(src, dest / name)
    env = yaml.safe_load((dest / "env.yaml").read_text()) or {}
    env.update({k: v for k, v in small.items() if k in env})
    (dest / "env.yaml").write_text(yaml.safe_dump(env, sort_keys=False))
    return dest


def state_env(project: Path, home: Path) -> dict[str, str]:
    """os.environ plus what `make env` exports for project, HOME=home, the venv first on PATH."""
    project.mkdir(parents=True, exist_ok=True)
    out = subprocess.run(
        [
            "make",
            "-s",
            "--no-print-directory",
            "-C",
            str(project),
            "-f",
            str(ROOT / "Makefile"),
            "env",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    env = dict(os.environ)
    for line in out.splitlines():
        key, _, value = shlex.split(line.removeprefix("export "))[0].partition("=")
        env[key] = value
    home.mkdir(parents=True, exist_ok=True)
    env.update(HOME=str(home), PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}")
    env.pop("XDG_CONFIG_HOME", None)
    env.pop("XDG_CACHE_HOME", None)
    env.pop("XDG_DATA_HOME", None)
    return env


def run(cmd: list[str], cwd: Path, env: dict, timeout: float = 900) -> subprocess.CompletedProcess:
    """Run cmd; on failure raise AssertionError with the end of its output."""
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise AssertionError(
            f"{' '.join(cmd)} exited {proc.returncode}\n--- stdout\n"
            f"{proc.stdout[-6000:]}\n--- stderr\n{proc.stderr[-6000:]}"
        )
    return proc


def tasks(project: Path, pipeline: str = "pipeline.yaml") -> list[dict]:
    """The task blocks of the project's pipeline.yaml (or another pipeline), imported ones too."""
    from contractbook.paths import spec_tasks

    return spec_tasks(project, pipeline)


def files_under(folder: Path) -> list[str]:
    """Every file below folder, relative, sorted."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


@dataclass
class Built:
    """A project copy after one `ploomber build` with a fake HOME."""

    path: Path
    home: Path
    env: dict
    output: str


_BUILT: dict[str, Built | AssertionError] = {}


def built_project(tmp_path_factory) -> Built:
    """Copy the project and build its DAG once per test session (shared by e2e and nbval tests).

    A failed build is remembered too, so every test that needs it fails at once with its output.
    """
    if "dag" not in _BUILT:
        base = tmp_path_factory.mktemp("dag")
        project = copy_project(base / "project")
        env = {**state_env(project, base / "home"), **SECRET_ENV}
        try:
            proc = run([str(BIN / "ploomber"), "build"], project, env)
            _BUILT["dag"] = Built(project, base / "home", env, proc.stdout + proc.stderr)
        except AssertionError as e:
            _BUILT["dag"] = e
    if isinstance(_BUILT["dag"], AssertionError):
        raise _BUILT["dag"]
    return _BUILT["dag"]
