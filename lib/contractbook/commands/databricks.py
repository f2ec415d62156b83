"""`databricks run-job --job-id N [--param k=v ...]`: run a Databricks job and wait for it.

Exit codes: 0 run succeeded, 1 run ended otherwise (failed, canceled, timed out on Databricks),
2 bad arguments or configuration (DATABRICKS_HOST / DATABRICKS_TOKEN unset), 3 workspace
unreachable or the run not finished within --timeout.
"""

from __future__ import annotations

import sys


def add_arguments(p) -> None:
    """Options of `databricks`."""
    sub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    r = sub.add_parser("run-job", help="trigger a job (jobs/run-now) and poll until it ends")
    r.add_argument("--job-id", type=int, required=True, help="the job's numeric id")
    r.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a job parameter; repeatable",
    )
    r.add_argument("--timeout", type=float, default=3600, help="seconds to wait for the run")
    r.add_argument("--poll", type=float, default=10, help="seconds between runs/get polls")
    r.add_argument(
        "--retry-seconds",
        type=int,
        default=60,
        help="budget for the SDK's retries of transient HTTP failures",
    )


def _params(items: list[str]) -> dict[str, str]:
    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise ValueError(f"--param {item!r}: expected KEY=VALUE")
        out[key] = value
    return out


def run(args) -> int:
    """Run the job; print one line with the run id and its end state."""
    from contractbook.databricks.jobs import JobsError, RunTimeout, Unreachable, client, run_job

    try:
        w = client(retry_seconds=args.retry_seconds)
        res = run_job(w, args.job_id, _params(args.param), timeout=args.timeout, poll=args.poll)
    except ValueError as e:
        print(f"databricks: {e}", file=sys.stderr)
        return 2
    except (Unreachable, RunTimeout) as e:
        print(f"databricks: {e}", file=sys.stderr)
        return 3
    except JobsError as e:
        print(f"databricks: {e}", file=sys.stderr)
        return 2
    print(
        f"job {res.job_id} run {res.run_id}: {res.life_cycle} {res.result or ''} "
        f"({res.polls} polls){' - ' + res.message if res.message else ''}".rstrip()
    )
    return 0 if res.ok else 1
