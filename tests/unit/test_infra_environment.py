"""The environment's descriptions agree: lock, Makefile, environment.yml, pyproject, kernel."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib

import yaml
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

from support.project import ROOT, state_env

LOCK = ROOT / "requirements" / "lock.txt"


def lock_pins() -> dict[str, str]:
    """name -> version of every `name==version` line of the lock."""
    pins = {}
    for line in LOCK.read_text().splitlines():
        if m := re.match(r"^([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==([^\s;]+)", line):
            pins[canonicalize_name(m[1])] = m[2]
    return pins


def make_value(var: str) -> str:
    """The value of a Makefile variable, as make computes it."""
    out = subprocess.run(
        [
            "make",
            "-s",
            "--no-print-directory",
            "-C",
            str(ROOT),
            "--eval",
            f"print-var: ; @echo $({var})",
            "print-var",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


def conda_env() -> dict:
    return yaml.safe_load((ROOT / "environment.yml").read_text())


def test_environment_yml_python_matches_the_lock_and_pyproject():
    deps = conda_env()["dependencies"]
    python = next(d for d in deps if isinstance(d, str) and re.match(r"python\b", d))
    version = re.split(r"[=<>]+", python, maxsplit=1)[1]
    assert version == make_value("LOCK_PYTHON")
    assert f"--python-version {version}" in LOCK.read_text()  # the header names the command
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    assert Version(version) in SpecifierSet(requires)


def test_environment_yml_pip_section_installs_the_lock_and_the_package():
    pip = next(d["pip"] for d in conda_env()["dependencies"] if isinstance(d, dict))
    assert "-r requirements/lock.txt" in pip
    assert "-e ." in pip


def test_environment_yml_pins_equal_the_lock_pins():
    pins = lock_pins()
    deps = conda_env()["dependencies"]
    pip = next(d["pip"] for d in deps if isinstance(d, dict))
    for spec in [d for d in deps if isinstance(d, str)] + pip:
        m = re.match(r"^([A-Za-z0-9_.\-]+)\s*==?\s*([^\s=]+)$", spec)
        if not m or m[1] == "python":
            continue
        assert pins.get(canonicalize_name(m[1])) == m[2], (
            f"environment.yml pins {spec}, lock has {pins.get(canonicalize_name(m[1]))}"
        )


def test_lock_keeps_the_dbt_core_cap_and_says_why():
    text = LOCK.read_text()
    assert "Why dbt-core<1.12" in text and "dbt-core-experimental-parser" in text
    assert "dbt-core<1.12" in (ROOT / "requirements" / "requirements.in").read_text()
    assert Version(lock_pins()["dbt-core"]) < Version("1.12")


def test_makefile_reads_the_uv_pin_from_the_lock():
    pin = lock_pins()["uv"]
    assert make_value("UV_VERSION") == pin
    assert pin not in (ROOT / "Makefile").read_text()


def test_tool_state_stays_in_the_project(tmp_path):
    env = state_env(tmp_path / "project", tmp_path / "home")
    assert env["PLOOMBER_STATS_ENABLED"] == "false"
    assert env["RUNTIME__DLTHUB_TELEMETRY"] == "false" and env["GX_ANALYTICS_ENABLED"] == "false"
    for key in (
        "PLOOMBER_HOME_DIR",
        "IPYTHONDIR",
        "MPLCONFIGDIR",
        "JUPYTER_DATA_DIR",
        "JUPYTER_RUNTIME_DIR",
        "JUPYTER_CONFIG_DIR",
        "DLT_DATA_DIR",
    ):
        assert env[key].startswith(str(tmp_path / "project")), key


def test_python3_kernel_is_the_venvs(tmp_path):
    env = state_env(tmp_path / "project", tmp_path / "home")
    code = (
        "from jupyter_client.kernelspec import KernelSpecManager as K;"
        "print(K().get_kernel_spec('python3').resource_dir)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out.startswith(sys.prefix), out


def test_ci_script_is_executable_and_runs_make_test():
    script = ROOT / ".ci" / "run"
    assert os.access(script, os.X_OK)
    subprocess.run(["bash", "-n", str(script)], check=True)
    assert "make test" in script.read_text()
