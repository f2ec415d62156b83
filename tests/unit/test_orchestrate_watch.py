"""The file sensor on a real folder with real file events: one run per file that lands complete."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from contractbook.orchestrate.watch import Landing, Outcome, Sensor, dataset_of, ignored


class Recorder:
    """An action that records each landing and answers exit 0."""

    def __init__(self):
        self.landings: list[Landing] = []

    def __call__(self, landing: Landing) -> Outcome:
        self.landings.append(landing)
        return Outcome(0, "recorded")


@pytest.fixture
def sensor(tmp_path):
    """A running Sensor on tmp_path/drop (settle 0.4 s) and its recorder; stopped afterwards."""
    drop, rec, lines, stop = tmp_path / "drop", Recorder(), [], threading.Event()
    s = Sensor(drop, rec, settle=0.4, say=lines.append)
    thread = threading.Thread(target=s.run, kwargs={"stop": stop}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not lines and time.monotonic() < deadline:  # "watching ..." once the watcher is up
        time.sleep(0.05)
    time.sleep(0.3)
    yield s, rec, lines, drop
    stop.set()
    thread.join(10)
    assert not thread.is_alive()


def _wait(pred, seconds=10.0):
    deadline = time.monotonic() + seconds
    while not pred() and time.monotonic() < deadline:
        time.sleep(0.05)


def test_slowly_written_file_is_one_run_after_it_stops_changing(sensor):
    s, rec, lines, drop = sensor
    (drop / "shop").mkdir()
    path = drop / "shop" / "orders.csv"
    with path.open("w") as f:
        for i in range(6):  # written over ~1.2 s, pauses shorter than settle
            f.write(f"line {i}\n" * 1000)
            f.flush()
            time.sleep(0.2)
    _wait(lambda: rec.landings)
    time.sleep(1.2)
    assert [(x.path, x.dataset, x.size) for x in rec.landings] == [
        (path, drop / "shop", path.stat().st_size)
    ]
    assert len([line for line in lines if "-> exit 0" in line]) == 1


def test_each_complete_file_runs_once_and_a_change_runs_again(sensor):
    s, rec, lines, drop = sensor
    for name in ("a.csv", "b.csv", "c.csv"):
        (drop / name).write_text("x\n")
        time.sleep(0.1)
    _wait(lambda: len(rec.landings) == 3)
    time.sleep(1.0)
    assert sorted(x.path.name for x in rec.landings) == ["a.csv", "b.csv", "c.csv"]
    assert {x.dataset for x in rec.landings} == {drop}
    (drop / "b.csv").write_text("x\ny\n")
    _wait(lambda: len(rec.landings) == 4)
    time.sleep(1.0)
    assert [x.path.name for x in rec.landings[3:]] == ["b.csv"]


def test_partial_and_hidden_files_wait_for_their_rename(sensor):
    s, rec, lines, drop = sensor
    part = drop / "items.csv.part"
    part.write_text("x\n" * 100)
    (drop / ".hidden.csv").write_text("x\n")
    time.sleep(1.2)
    assert rec.landings == []
    part.rename(drop / "items.csv")
    _wait(lambda: rec.landings)
    time.sleep(0.8)
    assert [x.path.name for x in rec.landings] == ["items.csv"]


def test_helpers():
    drop = Path("/d")
    assert dataset_of(Path("/d/shop/x/orders.csv"), drop) == Path("/d/shop")
    assert dataset_of(Path("/d/orders.csv"), drop) == drop
    assert ignored(Path("a.csv.tmp")) and ignored(Path(".a.csv")) and not ignored(Path("a.csv"))
