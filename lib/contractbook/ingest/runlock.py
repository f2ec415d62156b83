"""Runner: one run at a time per warehouse and per dlt state directory (exclusive file locks).

The locks (filelock, flock on POSIX) are released by the OS when a run dies, so a killed run never
leaves the warehouse busy. Next to each lock file, `<lock>.json` names the run holding it (removed
before the lock is released).
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from contractbook.errors import WarehouseBusy


@dataclass(frozen=True)
class Holder:
    """The run that holds a lock: its id, since when, and its process."""

    run_id: str
    since: str
    pid: int
    host: str

    def describe(self) -> str:
        """'run X since T (pid P on H)'."""
        return f"run {self.run_id} since {self.since} (pid {self.pid} on {self.host})"


def lock_files(local_path: str | Path | None, location: str, state_dir) -> list[Path]:
    """Lock files of a run: beside a local warehouse (file or folder) or, for a server, in
    state_dir named by a hash of its location; and one in the dlt state directory."""
    state = Path(state_dir)
    if local_path is not None:
        p = Path(local_path).resolve()
        warehouse = p.with_name(p.name + ".lock")
    else:
        digest = hashlib.sha256(location.encode()).hexdigest()[:16]
        warehouse = state / f"warehouse-{digest}.lock"
    return [warehouse, state / "contractbook.lock"]


def read_holder(lock: Path) -> Holder | None:
    """Who holds lock, from its side file; None when unknown."""
    try:
        return Holder(**json.loads(Path(f"{lock}.json").read_text()))
    except (OSError, ValueError, TypeError):
        return None


def _write_holder(lock: Path, run_id: str) -> None:
    holder = Holder(
        run_id, datetime.now(UTC).isoformat(timespec="seconds"), os.getpid(), socket.gethostname()
    )
    Path(f"{lock}.json").write_text(json.dumps(asdict(holder)))


def _busy(lock: Path, what: str) -> str:
    holder = read_holder(lock)
    who = holder.describe() if holder else "another run"
    return f"{what} busy: {who} holds {lock}"


def _writable(lock: Path) -> None:
    """Create lock's folder and file, or raise the OSError that names the path at fault."""
    for parent in reversed(lock.parents):
        if parent.exists() and not parent.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(parent))
    lock.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(lock, os.O_RDWR | os.O_CREAT, 0o644))


@contextmanager
def exclusive(
    locks: list[Path],
    run_id: str,
    wait: float = 0.0,
    progress: Callable[[str], None] = print,
    what: str = "warehouse",
) -> Iterator[None]:
    """Hold every lock (in a fixed order) for the block; wait up to `wait` seconds for them.

    A busy lock raises WarehouseBusy at once when wait is 0, else after saying so and waiting.
    """
    from filelock import FileLock, Timeout

    deadline = time.monotonic() + max(wait, 0.0)
    held = []
    try:
        for path in sorted(set(locks)):
            _writable(path)
            lock = FileLock(path, thread_local=False)
            try:
                lock.acquire(timeout=0)
            except Timeout:
                if wait <= 0:
                    raise WarehouseBusy(
                        f"{_busy(path, what)}; wait for it to finish or pass --wait SECONDS"
                    ) from None
                progress(f"{_busy(path, what)}; waiting up to {wait:g}s")
                try:
                    lock.acquire(timeout=max(deadline - time.monotonic(), 0.0))
                except Timeout:
                    raise WarehouseBusy(
                        f"{_busy(path, what)} after waiting {wait:g}s; try again "
                        "later or pass a longer --wait"
                    ) from None
            held.append((path, lock))
            _write_holder(path, run_id)
        yield
    finally:
        for path, lock in reversed(held):
            Path(f"{path}.json").unlink(missing_ok=True)  # while still held: never another's
            lock.release()
