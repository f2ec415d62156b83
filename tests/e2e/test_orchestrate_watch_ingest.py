"""`contractbook watch` as a user runs it: a real subprocess, a real ingest per complete file, and
Ctrl-C (SIGINT) stops it cleanly."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import threading
import time

import duckdb
import pytest

from support.project import ROOT

pytestmark = pytest.mark.slow
CONTRACT = ROOT / "contracts" / "olist_mini" / "contract.yaml"


def test_sensor_ingests_once_when_the_last_file_lands_and_stops_on_ctrl_c(tmp_path):
    raw = tmp_path / "raw"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "contractbook",
            "synth",
            "--n-orders",
            "60",
            "--defects",
            "",
            "--out",
            str(raw),
            "--quiet",
        ],
        check=True,
        cwd=ROOT,
    )
    drop, shop = tmp_path / "drop", tmp_path / "drop" / "shop"
    shop.mkdir(parents=True)
    csvs = sorted(raw.glob("*.csv"))
    csvs = [p for p in csvs if p.name != "defects.csv"]
    for p in csvs[:-1]:  # already there before the sensor starts: not new
        shutil.copy(p, shop / p.name)
    warehouse = tmp_path / "w.duckdb"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "contractbook",
            "watch",
            str(drop),
            "--contract",
            str(CONTRACT),
            "--settle",
            "0.5",
            "--warehouse",
            str(warehouse),
            "--rejects",
            str(tmp_path / "rejects"),
            "--state",
            str(tmp_path / "state"),
        ],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    reader = threading.Thread(
        target=lambda: lines.extend(iter(proc.stdout.readline, "")), daemon=True
    )
    reader.start()
    try:
        deadline = time.monotonic() + 60
        while not any(line.startswith("watching") for line in lines):
            assert time.monotonic() < deadline and proc.poll() is None, lines
            time.sleep(0.1)
        time.sleep(0.5)
        last = csvs[-1]
        shutil.copy(last, shop / f"{last.name}.part")  # written under a partial name, then moved
        (shop / f"{last.name}.part").rename(shop / last.name)
        while not any("-> exit" in line for line in lines):
            assert time.monotonic() < deadline + 60, lines
            time.sleep(0.2)
        time.sleep(2.0)  # no second run follows
    finally:
        proc.send_signal(signal.SIGINT)
        code = proc.wait(30)
        reader.join(5)
    runs = [line for line in lines if "-> exit" in line]
    assert len(runs) == 1, lines
    assert f"shop/{last.name}" in runs[0] and "-> exit 0" in runs[0], runs
    assert "accounting OK" in runs[0]
    assert code == 0 and lines[-1].strip() == "watch stopped after 1 run(s)", lines
    assert "Traceback" not in "".join(lines)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        orders = con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'orders'"
        ).fetchone()[0]
    assert orders == 1
