"""Trigger a Databricks job (jobs/run-now) and poll runs/get until it ends, bounded in time.

Host and token come only from the environment (DATABRICKS_HOST, DATABRICKS_TOKEN); they are
never printed. The SDK retries transient HTTP failures (429, 503, connection errors) until
`retry_seconds`; the polling stops after `timeout` seconds.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

ENV = ("DATABRICKS_HOST", "DATABRICKS_TOKEN")
TERMINAL = ("TERMINATED", "SKIPPED", "INTERNAL_ERROR")


class JobsError(Exception):
    """A run that cannot be started or followed (configuration, unreachable workspace, timeout)."""


class Unreachable(JobsError):
    """The workspace did not answer within the retry budget."""


class RunTimeout(JobsError):
    """The run did not end within the polling timeout (it keeps running on Databricks)."""


@dataclass(frozen=True)
class JobRun:
    """The end state of one run: ids, life-cycle and result states, the run page."""

    job_id: int
    run_id: int
    life_cycle: str
    result: str | None
    message: str = ""
    url: str | None = None
    polls: int = 0

    @property
    def ok(self) -> bool:
        """True when the run terminated with result SUCCESS."""
        return self.life_cycle == "TERMINATED" and self.result == "SUCCESS"


def client(retry_seconds: int = 60, http_seconds: float = 30):
    """A WorkspaceClient from DATABRICKS_HOST / DATABRICKS_TOKEN (personal access token)."""
    missing = [v for v in ENV if not os.environ.get(v)]
    if missing:
        raise JobsError(
            f"set {' and '.join(missing)} in the environment (never in files under version control)"
        )
    from databricks.sdk import WorkspaceClient
    from databricks.sdk.config import Config

    return WorkspaceClient(
        config=Config(
            host=os.environ["DATABRICKS_HOST"],
            token=os.environ["DATABRICKS_TOKEN"],
            auth_type="pat",
            retry_timeout_seconds=retry_seconds,
            http_timeout_seconds=http_seconds,
        )
    )


def _state(run) -> tuple[str, str | None, str]:
    st = run.state
    life = st.life_cycle_state.value if st and st.life_cycle_state else "UNKNOWN"
    result = st.result_state.value if st and st.result_state else None
    return life, result, (st.state_message or "") if st else ""


def run_job(
    w,
    job_id: int,
    params: dict[str, str] | None = None,
    timeout: float = 3600,
    poll: float = 10,
    sleep=time.sleep,
) -> JobRun:
    """Start job_id with job parameters, poll until it ends; JobsError when it takes too long."""
    import requests

    try:
        started = w.jobs.run_now(job_id=job_id, job_parameters=params or None)
        run_id = started.run_id
        deadline, polls = time.monotonic() + timeout, 0
        while True:
            run = w.jobs.get_run(run_id=run_id)
            polls += 1
            life, result, message = _state(run)
            if life in TERMINAL:
                return JobRun(job_id, run_id, life, result, message, run.run_page_url, polls)
            if time.monotonic() + poll > deadline:
                raise RunTimeout(
                    f"run {run_id} of job {job_id} still {life} after {timeout:g} s; "
                    "it keeps running on Databricks"
                )
            sleep(poll)
    except (requests.ConnectionError, requests.Timeout, TimeoutError) as e:
        raise Unreachable(f"Databricks workspace unreachable: {type(e).__name__}") from None
