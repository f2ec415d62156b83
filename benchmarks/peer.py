"""Peer anchor: datacontract-cli's `test` on the same CSVs, from its own venv (never the lock's).

`make bench` installs datacontract-cli into .state/bench/datacontract-venv. At bench time the
contract is copied with one server of type local/csv pointing at the run's CSVs (`{model}.csv`),
since datacontract-cli reads ODCS and finds its files through a server. Its verdict is reported
as it gave it, a failure included.
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import time
from pathlib import Path

from .harness import ROOT, children_peak_mb
from .records import PeerDetail, StepRun

DEFAULT_EXECUTABLE = ROOT / ".state" / "bench" / "datacontract-venv" / "bin" / "datacontract"
SERVER = "bench"
TIMEOUT = 3600.0


def missing(executable) -> str | None:
    """Why the peer step cannot run here, or None."""
    if not Path(executable).is_file():
        return (
            f"datacontract-cli is not installed at {executable} (`make bench` installs it "
            f"into its own venv from the package registry; that install failed or was skipped)"
        )
    return None


def peer_contract(contract: str, data_dir, out) -> Path:
    """The contract with a single local CSV server on data_dir, as datacontract-cli reads it."""
    import yaml

    doc = yaml.safe_load(Path(contract).read_text(encoding="utf-8"))
    doc["servers"] = [
        {
            "server": SERVER,
            "type": "local",
            "format": "csv",
            "delimiter": ",",
            "path": str(Path(data_dir).resolve() / "{model}.csv"),
        }
    ]
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return out


def verdict(report: dict, exit_code: int | None, stderr: str = "") -> PeerDetail:
    """What datacontract-cli said, from its JSON test report (`--output-format json`)."""
    checks = report.get("checks") or []
    results = [c.get("result") for c in checks]
    failures = [
        f"{c.get('name')}: {c.get('reason') or c.get('result')}"
        for c in checks
        if c.get("result") in ("failed", "error")
    ]
    errors = [x["message"] for x in report.get("logs") or [] if x.get("level") == "ERROR"]
    return PeerDetail(
        tool="datacontract-cli",
        version=report.get("datacontractCliVersion"),
        exit_code=exit_code,
        result=str(report.get("result") or "error"),
        checks_total=len(checks),
        checks_passed=results.count("passed"),
        checks_failed=results.count("failed"),
        checks_warned=results.count("warning"),
        checks_errored=results.count("error"),
        tables=sorted({c["model"] for c in checks if c.get("model")}),
        first_failures=failures[:5],
        error="; ".join(errors)[:1000] or ("" if report else stderr[-1000:]),
    )


def start_up(executable) -> float | None:
    """Seconds `datacontract --version` takes: the CLI's own start-up, inside every timed run."""
    started = time.perf_counter()
    try:
        subprocess.run([str(executable), "--version"], capture_output=True, timeout=300, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    return time.perf_counter() - started


def datacontract(
    contract: str,
    data_dir: str,
    work_dir: str,
    executable: str = str(DEFAULT_EXECUTABLE),
    repeats: int = 1,
    timeout: float = TIMEOUT,
) -> StepRun:
    """`datacontract test` of the contract on data_dir's CSVs, timed as one process (wall, its
    start-up included and also given apart); peak memory is the tool's own (its max RSS)."""
    from .steps import csv_rows

    work = Path(work_dir).resolve()  # the tool runs in work_dir: every path absolute
    executable = str(Path(executable).resolve())
    spec = peer_contract(contract, data_dir, work / "datacontract.yaml")
    startup = start_up(executable)
    out = work / "datacontract-test.json"
    seconds, detail = [], None
    for _ in range(max(repeats, 1)):
        out.unlink(missing_ok=True)
        argv = [
            executable,
            "test",
            str(spec),
            "--server",
            SERVER,
            "--output",
            str(out),
            "--output-format",
            "json",
        ]
        started = time.perf_counter()
        try:
            proc = subprocess.run(
                argv,
                capture_output=True,
                text=True,
                timeout=timeout,
                cwd=work,
                env={**os.environ, "NO_COLOR": "1"},
            )
            code, stderr = proc.returncode, proc.stdout + proc.stderr
        except subprocess.TimeoutExpired:
            code, stderr = None, f"timed out after {timeout:.0f} s"
        seconds.append(time.perf_counter() - started)
        report = json.loads(out.read_text()) if out.is_file() else {}
        detail = verdict(report, code, stderr)
        if code is None:
            detail = dataclasses.replace(detail, result="timeout")
        if seconds[0] >= 5.0:
            break
    return StepRun(
        seconds,
        startup,
        csv_rows(data_dir) if checked_all(detail) else None,
        children_peak_mb(),
        detail,
    )


def checked_all(detail: PeerDetail) -> bool:
    """Whether the tool ran every check on the data (only then is rows/s its speed)."""
    done = detail.checks_passed + detail.checks_failed + detail.checks_warned
    return detail.result in ("passed", "warning", "failed") and 0 < done == detail.checks_total
