"""The built wheel works on its own: built offline, installed into a fresh venv with the
dependencies pyproject.toml declares (pinned by the lock, from uv's cache: no network), it runs
`contractbook --help` and `contractbook validate` on the project's contract."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from support.project import ROOT

pytestmark = pytest.mark.slow

UV = Path(sys.executable).parent / "uv"
LOCK = ROOT / "requirements" / "lock.txt"
OVERRIDES = ROOT / "requirements" / "overrides.txt"
CONTRACT = ROOT / "contracts" / "olist_mini" / "contract.yaml"
# what `make setup` downloads into the venv beside the lock (the official ODCS JSON Schemas)
ODCS = Path(sys.prefix) / "share" / "contractbook" / "odcs"


def _uv(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "UV_OFFLINE": "1", "UV_NO_PROGRESS": "1"}
    return subprocess.run(
        [str(UV), *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=900
    )


def _cache_dir() -> Path:
    out = subprocess.run([str(UV), "cache", "dir"], capture_output=True, text=True, check=True)
    return Path(out.stdout.strip())


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh venv holding the wheel and its declared dependencies; its bin folder."""
    if not UV.is_file():
        pytest.skip(f"no uv in the venv ({UV}): run `make setup`")
    if not any(_cache_dir().glob("wheels-v*")):
        pytest.skip(
            f"no uv cache at {_cache_dir()}: the offline install needs the wheels "
            "`make setup` downloaded"
        )
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"  # a copy: the build writes build/ and *.egg-info beside the sources
    src.mkdir()
    shutil.copytree(
        ROOT / "lib", src / "lib", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info")
    )
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    built = _uv("build", "--wheel", "--offline", "--out-dir", str(tmp / "dist"), ".", cwd=src)
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = (tmp / "dist").glob("contractbook-*.whl")
    venv = tmp / "venv"
    made = _uv("venv", "--offline", "--python", sys.executable, str(venv), cwd=tmp)
    assert made.returncode == 0, made.stderr
    done = _uv(
        "pip",
        "install",
        "--offline",
        "--python",
        str(venv / "bin" / "python"),
        "-c",
        str(LOCK),
        "--override",
        str(OVERRIDES),
        str(wheel),
        cwd=tmp,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    if ODCS.is_dir():  # the schemas `make setup` fetched, where the fresh venv looks for them
        shutil.copytree(ODCS, venv / "share" / "contractbook" / "odcs")
    return venv / "bin"


def test_the_wheel_contains_every_module_and_data_file(installed):
    (wheel,) = installed.parent.parent.glob("dist/contractbook-*.whl")
    inside = set(zipfile.ZipFile(wheel).namelist())
    lib = ROOT / "lib"
    wanted = {
        p.relative_to(lib).as_posix()
        for p in (lib / "contractbook").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    }
    assert wanted - inside == set()


def test_help_runs_from_the_fresh_venv(installed, tmp_path):
    proc = subprocess.run(
        [str(installed / "contractbook"), "--help"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert "validate" in proc.stdout and "ingest" in proc.stdout


def test_the_fresh_venv_imports_the_installed_package(installed, tmp_path):
    proc = subprocess.run(
        [str(installed / "python"), "-c", "import contractbook; print(contractbook.__file__)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert Path(proc.stdout.strip()).is_relative_to(installed.parent)


def test_validate_runs_from_the_fresh_venv(installed, tmp_path):
    if not ODCS.is_dir():
        pytest.skip(f"no ODCS schemas at {ODCS}: run `make setup`")
    proc = subprocess.run(
        [str(installed / "contractbook"), "validate", str(CONTRACT)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    assert ": valid ODCS" in proc.stdout
