"""A file sensor: watch a drop folder and run one ingest per file that lands complete.

A file is complete when it has stopped changing: its size and modification time are the same
over `settle` seconds after the last event about it. Hidden and partial files (`.name`,
`*.part`, `*.tmp`, `*.crdownload`) are ignored until renamed. The dataset of a file is the first
folder under the drop folder (`drop/<dataset>/orders.csv`), or the drop folder itself.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

PARTIAL = (".part", ".tmp", ".crdownload", ".partial")


@dataclass(frozen=True)
class Landing:
    """A file that landed complete in the drop folder."""

    path: Path
    dataset: Path  # the folder that is ingested
    size: int


@dataclass(frozen=True)
class Outcome:
    """What the action did with a landing: its exit code and one line of summary."""

    code: int
    summary: str


def ignored(path: Path) -> bool:
    """True for hidden or partial files, which are still being written or not data."""
    return path.name.startswith(".") or path.name.endswith(PARTIAL)


def dataset_of(path: Path, drop: Path) -> Path:
    """The dataset folder of a file: the first folder below drop, or drop itself."""
    rel = path.relative_to(drop)
    return drop / rel.parts[0] if len(rel.parts) > 1 else drop


def ingest_action(contract: str, extra: list[str]) -> Callable[[Landing], Outcome]:
    """An action that runs `contractbook ingest CONTRACT --data DATASET ...` in a subprocess.

    The ingest takes the warehouse lock itself, so a sensor run never overlaps another run.
    """

    def act(landing: Landing) -> Outcome:
        cmd = [
            sys.executable,
            "-m",
            "contractbook",
            "ingest",
            contract,
            "--data",
            str(landing.dataset),
            *extra,
        ]
        done = subprocess.run(cmd, capture_output=True, text=True)
        lines = (done.stdout + done.stderr).strip().splitlines()
        return Outcome(done.returncode, lines[-1] if lines else "")

    return act


@dataclass
class _Pending:
    size: int
    mtime: int
    since: float


class Sensor:
    """Turns file events under drop into one action call per complete file."""

    def __init__(
        self,
        drop: Path,
        action: Callable[[Landing], Outcome],
        settle: float = 1.0,
        say: Callable[[str], None] = print,
    ):
        self.drop, self.action, self.settle, self.say = Path(drop), action, settle, say
        self.pending: dict[Path, _Pending] = {}
        self.runs = 0

    def seen(self, path: Path, now: float) -> None:
        """Note an event about path (new, changed or gone)."""
        if ignored(path) or not path.is_file():
            self.pending.pop(path, None)
            return
        st = path.stat()
        self.pending[path] = _Pending(st.st_size, st.st_mtime_ns, now)

    def settled(self, now: float) -> list[Landing]:
        """Files unchanged for `settle` seconds, removed from pending."""
        out = []
        for path, p in list(self.pending.items()):
            if not path.is_file():
                del self.pending[path]
                continue
            st = path.stat()
            if (st.st_size, st.st_mtime_ns) != (p.size, p.mtime):
                self.pending[path] = _Pending(st.st_size, st.st_mtime_ns, now)
            elif now - p.since >= self.settle:
                del self.pending[path]
                out.append(Landing(path, dataset_of(path, self.drop), st.st_size))
        return out

    def fire(self, landing: Landing) -> Outcome:
        """Run the action for a landing and print one line."""
        self.runs += 1
        started = time.perf_counter()
        outcome = self.action(landing)
        rel = landing.path.relative_to(self.drop)
        self.say(
            f"{datetime.now():%H:%M:%S} {rel} ({landing.size:,} bytes) -> exit "
            f"{outcome.code} in {time.perf_counter() - started:.1f}s: {outcome.summary}"
        )
        return outcome

    def run(self, stop=None) -> int:
        """Watch until stop is set or Ctrl-C; returns the number of runs."""
        from watchfiles import watch

        self.drop.mkdir(parents=True, exist_ok=True)
        self.say(
            f"watching {self.drop} (a file is complete after {self.settle:g}s unchanged; "
            "Ctrl-C stops)"
        )
        step = max(int(self.settle * 250), 50)
        try:
            for changes in watch(
                self.drop,
                stop_event=stop,
                yield_on_timeout=True,
                rust_timeout=step,
                debounce=step,
                step=min(step, 50),
                raise_interrupt=True,
            ):
                now = time.monotonic()
                for _, raw in changes:
                    self.seen(Path(raw), now)
                for landing in self.settled(now):
                    self.fire(landing)
        except KeyboardInterrupt:
            pass
        self.say(f"watch stopped after {self.runs} run(s)")
        return self.runs
