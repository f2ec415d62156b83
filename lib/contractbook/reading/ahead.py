"""Runner: read and split the next CSV in a background thread while the current one is checked.

Splitting (numpy) and DuckDB's checks both release the GIL, so on two cores the next file's
split runs while DuckDB works on the current table; results are the same as reading in turn.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from .files import identify, read_bytes
from .records import Records, split


def _read(path: Path) -> tuple[bytes, Records] | None:
    """A plain or compressed CSV's bytes and records; None for other formats (read natively)."""
    f = identify(path)
    if f.format != "csv":
        return None
    data = read_bytes(f)
    return data, split(data)


class ReadAhead:
    """Files in the order they will be staged; `take(path)` waits for its split, starts the next."""

    def __init__(self, paths: Sequence[Path]):
        self._order = [Path(p) for p in paths]
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="contractbook-read-ahead")
        self._futures: dict[Path, Future] = {}
        self._submit(0)

    def _submit(self, i: int) -> None:
        if i < len(self._order) and self._order[i] not in self._futures:
            self._futures[self._order[i]] = self._pool.submit(_read, self._order[i])

    def take(self, path: Path) -> tuple[bytes, Records] | None:
        """The file's bytes and records (errors re-raised here, for this file); None: read it."""
        path = Path(path)
        future = self._futures.pop(path, None)
        if path in self._order:
            self._submit(self._order.index(path) + 1)
        return future.result() if future is not None else None

    def close(self) -> None:
        """Stop reading ahead (pending reads are dropped)."""
        for f in self._futures.values():
            f.cancel()
        self._futures.clear()
        self._pool.shutdown(wait=True, cancel_futures=True)
