"""What the figures were measured on: cores, memory, load, Python and package versions."""

from __future__ import annotations

import os
import platform
import sys
from datetime import UTC, datetime
from importlib import metadata

from .records import Machine

PACKAGES = (
    "duckdb",
    "dlt",
    "great-expectations",
    "pyarrow",
    "pandas",
    "numpy",
    "ploomber",
    "pyspark",
)


def memory_gb(meminfo: str = "/proc/meminfo") -> float | None:
    """Total memory in GB (from /proc/meminfo), None where that file does not exist."""
    try:
        with open(meminfo) as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) / 1024 / 1024
    except OSError:
        return None
    return None


def cpu_model(cpuinfo: str = "/proc/cpuinfo") -> str:
    """The CPU model name, or the platform's processor string."""
    try:
        with open(cpuinfo) as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def versions(packages=PACKAGES) -> dict[str, str | None]:
    """Installed version of each package (None when absent)."""
    out = {}
    for p in packages:
        try:
            out[p] = metadata.version(p)
        except metadata.PackageNotFoundError:
            out[p] = None
    return out


def load() -> list[float]:
    """The 1, 5 and 15 minute load averages."""
    return [round(x, 2) for x in os.getloadavg()]


def describe() -> Machine:
    """The machine and software the bench runs on, and the load at this moment."""
    return Machine(
        cores=os.cpu_count(),
        memory_gb=memory_gb(),
        cpu=cpu_model(),
        platform=platform.platform(),
        python=sys.version.split()[0],
        packages=versions(),
        load_start=load(),
        started=datetime.now(UTC).isoformat(timespec="seconds"),
    )
