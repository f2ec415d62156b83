"""`python gated_ingest.py GATE_DIR ARGS...`: the real `contractbook` CLI in its own process, paused
once the ingest holds its locks (it touches GATE_DIR/holding) until GATE_DIR/go exists."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from contractbook.cli import main
from contractbook.ingest import run as ingest_run

GATE = Path(sys.argv[1])
_real = ingest_run.check_all


def _gated(*args, **kwargs):
    (GATE / "holding").touch()
    while not (GATE / "go").exists():
        time.sleep(0.05)
    return _real(*args, **kwargs)


if __name__ == "__main__":
    ingest_run.check_all = _gated
    sys.exit(main(sys.argv[2:]))
