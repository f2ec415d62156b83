"""`make build` timed: `ploomber build` in a throwaway copy of the project, then a no-op rebuild
(the same again right after, everything up to date).

The copy holds what a DAG run reads (pipeline, env, notebooks, contracts, Jupyter config) with the
default env.yaml; contractbook itself is the installed package. Tool state goes inside the copy,
as the Makefile arranges, so nothing is written to the real project or to ~.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .records import BuildResult, Timed

# what a DAG run reads: globs at the project root (pipeline files and partials, env files)
PROJECT_FILES = ("pipeline*.yaml", "env*.yaml", "notebooks", "contracts", ".jupyter")
TARGETS = {"build": 45.0, "noop": 5.0}  # seconds: a build after setup; a no-op build
_TASK_ROW = re.compile(r"^(\S+)\s+(True|False)\s+([\d.]+)\s+([\d.]+)\s*$")


def task_times(output: str) -> dict[str, float]:
    """Seconds per task from the summary table `ploomber build` prints (tasks that ran)."""
    out = {}
    for line in output.splitlines():
        m = _TASK_ROW.match(line.strip())
        if m and m.group(2) == "True":
            out[m.group(1)] = float(m.group(3))
    return out


def copy_project(root: Path, dest: Path) -> Path:
    """Copy the files a DAG run reads from root into dest."""
    dest.mkdir(parents=True, exist_ok=True)
    for src in (p for pattern in PROJECT_FILES for p in sorted(root.glob(pattern))):
        if src.is_dir():
            shutil.copytree(
                src,
                dest / src.name,
                ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints"),
            )
        else:
            shutil.copy2(src, dest / src.name)
    return dest


def state_env(project: Path, bin_dir: Path) -> dict[str, str]:
    """os.environ plus the Makefile's tool-state variables pointing inside project."""
    state = project / ".state"
    env = dict(os.environ)
    env.update(
        {
            "PLOOMBER_STATS_ENABLED": "false",
            "PLOOMBER_HOME_DIR": str(state / "ploomber"),
            "IPYTHONDIR": str(state / "ipython"),
            "MPLCONFIGDIR": str(state / "matplotlib"),
            "JUPYTER_CONFIG_DIR": str(project / ".jupyter"),
            "JUPYTER_PREFER_ENV_PATH": "0",
            "JUPYTER_DATA_DIR": str(state / "jupyter/data"),
            "JUPYTER_RUNTIME_DIR": str(state / "jupyter/runtime"),
            "DLT_DATA_DIR": str(state / "dlt"),
            "RUNTIME__DLTHUB_TELEMETRY": "false",
            "GX_ANALYTICS_ENABLED": "false",
            "PATH": f"{bin_dir}{os.pathsep}{env.get('PATH', '')}",
        }
    )
    return env


def timed(
    cmd: list[str], cwd: Path, env: dict[str, str], timeout: float, target: float | None = None
) -> Timed:
    """Run cmd; wall seconds, exit code and the end of its output when it failed."""
    started = time.perf_counter()
    try:
        proc = subprocess.run(
            cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
        )
        code, tail, tasks = (
            proc.returncode,
            (proc.stdout + proc.stderr)[-1500:],
            task_times(proc.stdout),
        )
    except subprocess.TimeoutExpired:
        code, tail, tasks = None, f"timed out after {timeout:.0f} s", {}
    return Timed(
        time.perf_counter() - started, code, code == 0, "" if code == 0 else tail, tasks, target
    )


def n_orders(project: Path) -> int | None:
    """The size the default env builds at (env.yaml's n_orders)."""
    import yaml

    env = yaml.safe_load((project / "env.yaml").read_text(encoding="utf-8")) or {}
    return env.get("n_orders")


def measure(root, timeout: float = 900, progress=print) -> BuildResult:
    """Time `ploomber build` (default env) after setup, then a no-op rebuild, in a temp copy."""
    bin_dir = Path(sys.executable).parent
    ploomber = shutil.which("ploomber", path=str(bin_dir)) or "ploomber"
    with tempfile.TemporaryDirectory(prefix="contractbook-bench-build-") as tmp:
        project = copy_project(Path(root), Path(tmp) / "project")
        env = state_env(project, bin_dir)
        first = timed([ploomber, "build"], project, env, timeout, TARGETS["build"])
        progress(
            f"  make build (ploomber build, default env): {first.seconds:.1f} s"
            f"{'' if first.ok else ' FAILED'}"
        )
        noop = timed([ploomber, "build"], project, env, timeout, TARGETS["noop"])
        progress(f"  no-op build: {noop.seconds:.1f} s{'' if noop.ok else ' FAILED'}")
        size = n_orders(project)
    return BuildResult(first, noop, size)
