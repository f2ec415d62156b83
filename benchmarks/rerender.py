"""`python -m benchmarks.rerender [reports]`: bench.md and bench.png again from bench.json."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .records import bench_from_json
from .report import write


def main(argv: list[str]) -> int:
    """Rewrite the reports in the folder (default reports) from its bench.json."""
    out = Path(argv[0] if argv else "reports")
    result = bench_from_json(json.loads((out / "bench.json").read_text(encoding="utf-8")))
    for path in write(result, out):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
