"""Ploomber's serial executor, quiet when its output is not a terminal (CI logs, `make ... | tee`).

Progress bars (Ploomber's per task, papermill's per cell, any tqdm inside a kernel) fill a log
with carriage-return lines. Off a terminal this executor hides Ploomber's bar and papermill's,
and sets `TQDM_DISABLE=1`, which tqdm bars inside the kernels obey.
"""

from __future__ import annotations

import os
import sys
import time

from ploomber.executors import Serial as _Serial


def interactive() -> bool:
    """True when stderr is a terminal."""
    return bool(getattr(sys.stderr, "isatty", lambda: False)())


class Serial(_Serial):
    """ploomber.executors.Serial without progress bars off a terminal."""

    def __call__(self, dag, show_progress):
        os.environ["CONTRACTBOOK_BUILD_STARTED"] = str(time.time())  # for the index's timings
        if not interactive():
            os.environ.setdefault("TQDM_DISABLE", "1")  # for kernels (tqdm reads it at import)
            for name in dag:
                params = getattr(dag[name], "executor_params", None)
                if isinstance(params, dict):
                    params.setdefault("progress_bar", False)  # papermill's bar per cell
        return super().__call__(dag, show_progress=show_progress and interactive())
