"""reports/index.html: the build at a glance, then one row per DAG task with its report.

Wired into pipeline.yaml as Ploomber DAG-level hooks (`on_finish`, `on_failure`), so the index is
rewritten after every build, including no-op and failed ones. It shows the headline numbers the
notebooks' checkpoints saved (`<task>.summary.json`), the DAG as inline SVG, each task's status
and time; after a failed build the failed task's error, a link to its partial notebook, and
every report older than the failure marked stale.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape
from pathlib import Path

from .checkpoint import summary_path
from .dag_svg import svg

# Ploomber TaskStatus name -> what the index says about the task after this build.
STATUS = {
    "Executed": "ran",
    "Skipped": "up to date",
    "Errored": "FAILED",
    "Aborted": "not run (an upstream task failed)",
    "BrokenProcessPool": "FAILED",
}
# The numbers the index shows at the top, in this order, when a checkpoint saved them.
HEADLINE = (
    "rows read",
    "rows loaded",
    "rows rejected",
    "checks passed",
    "checks failed",
    "contract version",
    "run id",
)
STARTED = "CONTRACTBOOK_BUILD_STARTED"  # set by contractbook.reporting.executor.Serial


@dataclass(frozen=True)
class Entry:
    """One task as the index shows it."""

    task: str
    status: str
    last_run: str
    source: str
    report: str | None  # path of the HTML report relative to the index, None when it has none
    extras: tuple[tuple[str, str], ...] = ()  # (product key, href) of other products in reports/
    seconds: float | None = None  # time this build spent on the task
    stale: bool = False  # the report is from an earlier build than the last failure
    partial: str | None = None  # href of the partially executed notebook of a failed task
    error: str = ""  # the failed task's error, one paragraph
    checks: str = ""  # "3/3" checkpoint items that held
    upstream: tuple[str, ...] = ()


def _timestamp(product) -> float | None:
    return getattr(getattr(product, "metadata", None), "timestamp", None)


def _fmt(ts: float | None) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M:%S UTC") if ts else ""


def _nb_product(task):
    """The task's `nb` product (a File), or None."""
    product = task.product
    try:
        return product["nb"]
    except (KeyError, TypeError):
        return product if str(product).endswith(".html") else None


def _extras(task, index_dir: Path) -> tuple[tuple[str, str], ...]:
    """Other products of the task that live next to the reports (e.g. GX Data Docs), as links."""
    paths: object = getattr(task.product, "to_json_serializable", dict)()
    out = []
    for key, path in paths.items() if isinstance(paths, dict) else ():
        path = Path(path).resolve()
        if key == "nb" or not path.is_relative_to(index_dir):
            continue
        target = path / "index.html" if (path / "index.html").is_file() else path
        out.append((key, os.path.relpath(target, index_dir)))
    return tuple(out)


def summary(report: Path) -> dict:
    """The checkpoint a notebook saved beside its report ({} when there is none)."""
    path = summary_path(report)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def headline(entries: list[Entry], summaries: dict[str, dict]) -> list[tuple[str, str, bool]]:
    """(name, value, stale) of every HEADLINE number a task's checkpoint saved."""
    found = {}
    for e in entries:
        for k, v in (summaries.get(e.task, {}).get("numbers") or {}).items():
            if k in HEADLINE:
                found[k] = (f"{v:,}" if isinstance(v, int) else str(v), e.stale)
    return [(k, *found[k]) for k in HEADLINE if k in found]


def _row(e: Entry) -> str:
    link = f"<a href='{escape(e.report)}'>{escape(e.task)}</a>" if e.report else escape(e.task)
    link += "".join(
        f" &middot; <a href='{escape(href)}'>{escape(key)}</a>" for key, href in e.extras
    )
    if e.partial:
        link += f" &middot; <a href='{escape(e.partial)}'>partial notebook</a>"
    css = "bad" if e.status.startswith(("FAILED", "not run")) else ""
    stale = " <span class='stale'>stale report</span>" if e.stale and e.report else ""
    secs = f"{e.seconds:.1f} s" if e.seconds is not None else ""
    return (
        f"<tr><td>{link}{stale}</td><td class='{css}'>{escape(e.status)}</td>"
        f"<td class='num'>{secs}</td><td>{escape(e.checks)}</td><td>{escape(e.last_run)}</td>"
        f"<td><code>{escape(e.source)}</code></td></tr>"
    )


CSS = (
    "body{font-family:sans-serif;margin:0 auto;max-width:1100px;padding:1em}"
    "td,th{padding:4px 12px;text-align:left;border-bottom:1px solid #ddd}"
    "td.num{text-align:right}tr:nth-child(even){background:#f6f6f6}"
    ".bad{color:#b3261e;font-weight:bold}.stale{background:#fde7c2;font-size:12px;padding:0 4px}"
    ".cards{display:flex;flex-wrap:wrap;gap:10px;margin:1em 0}"
    ".card{border:1px solid #ccc;border-radius:4px;padding:6px 12px;min-width:8em}"
    ".card b{display:block;font-size:1.3em}.card span{color:#555;font-size:12px}"
    ".error{border-left:4px solid #b3261e;background:#fdf0ef;padding:6px 12px;"
    "white-space:pre-wrap;font-family:monospace;font-size:13px}"
)


def render(
    entries: list[Entry],
    title: str,
    built_at: str,
    outcome: str,
    numbers: list[tuple[str, str, bool]] | None = None,
    seconds: float | None = None,
    dag_svg: str = "",
    history: str = "",
) -> str:
    """The index page as HTML: outcome, headline numbers, DAG, errors, one row per task, and
    the run history (last runs, rejects per table) when given."""
    cards = [(k, v, s) for k, v, s in numbers or []]
    if seconds is not None:
        cards.append(("build duration", f"{seconds:.1f} s", False))
    strip = "".join(
        f"<div class='card'><b>{escape(v)}</b><span>{escape(k)}"
        f"{' (stale)' if s else ''}</span></div>"
        for k, v, s in cards
    )
    errors = "".join(
        f"<h2>{escape(e.task)} failed</h2><div class='error'>{escape(e.error)}</div>"
        + (
            f"<p><a href='{escape(e.partial)}'>the partial notebook</a>, up to the failing cell</p>"
            if e.partial
            else ""
        )
        for e in entries
        if e.error
    )
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>"
        f"<h1>{escape(title)}</h1>"
        f"<p>Last build: {escape(built_at)}: <b class='{'bad' if outcome != 'succeeded' else ''}'>"
        f"{escape(outcome)}</b>. One report per task, in DAG order; each is the executed "
        "notebook.</p>"
        + (f"<div class='cards'>{strip}</div>" if strip else "")
        + errors
        + (f"<div class='dag'>{dag_svg}</div>" if dag_svg else "")
        + "<table><tr><th>task</th><th>status</th><th>time</th><th>checks</th>"
        "<th>last run</th><th>source</th></tr>"
        + "".join(_row(e) for e in entries)
        + "</table>"
        + history
        + "</body></html>\n"
    )


def _error(task, folder: Path, root: Path, traceback: dict | None) -> tuple[str, str | None]:
    """(error text, href of the partial report) of a failed task."""
    from .partial import export_partial

    nb = _nb_product(task)
    partial, text = export_partial(Path(str(nb)), folder) if nb is not None else (None, "")
    if not text and traceback:
        last = (traceback.get("build") or "").strip().splitlines()[-1:]
        text = last[0] if last else ""
    return text.replace(str(root) + os.sep, "").replace(str(root), "."), partial


TIMES = "index.times.json"  # seconds per task of its last run, kept for up-to-date tasks


def _last_times(index_dir: Path) -> dict:
    try:
        return json.loads((index_dir / TIMES).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def entries(dag, index_dir: Path, traceback: dict | None = None) -> list[Entry]:
    """One Entry per task of a built (or failed) Ploomber DAG, in execution order."""
    started = float(os.environ.get(STARTED) or 0) or None
    last = _last_times(index_dir)
    root = index_dir.parent
    failed_at = time.time() if traceback is not None else None
    out, previous = [], started
    for name in dag._iter():  # topological order
        task = dag[name]
        nb = _nb_product(task)
        status = task.exec_status.name
        ts = _timestamp(nb) if nb is not None else None
        seconds = None
        if status == "Executed" and ts and previous:
            seconds, previous = max(ts - previous, 0.0), ts
        elif status in ("Errored", "BrokenProcessPool") and previous:
            seconds = max((failed_at or time.time()) - previous, 0.0)
        elif status == "Skipped":
            seconds = last.get(name)  # up to date: the time of its last run
        report = os.path.relpath(Path(str(nb)), index_dir) if nb is not None else None
        if report and not (index_dir / report).is_file():
            report = None
        source = getattr(task.source, "loc", None) or str(task.source)
        try:
            source = os.path.relpath(str(source), root)
        except ValueError:
            source = str(source)
        error, partial = ("", None)
        if status in ("Errored", "BrokenProcessPool"):
            error, partial = _error(task, index_dir, root, traceback)
        s = summary(Path(str(nb))) if nb is not None else {}
        checks = s.get("checks") or {}
        out.append(
            Entry(
                task=name,
                status=STATUS.get(status, status),
                last_run=_fmt(ts),
                source=source,
                report=report,
                extras=_extras(task, index_dir),
                seconds=seconds,
                stale=traceback is not None and status != "Executed" and status != "Skipped",
                partial=partial,
                error=error,
                checks=f"{sum(checks.values())}/{len(checks)}" if checks else "",
                upstream=tuple(task.upstream),
            )
        )
    return out


def index_dir(dag) -> Path:
    """Where the reports are: the folder shared by the tasks' `nb` products."""
    folders = [Path(str(nb)).resolve().parent for t in dag.values() if (nb := _nb_product(t))]
    if not folders:
        return Path("reports").resolve()
    return Path(os.path.commonpath(folders))


def write(dag, outcome: str, traceback: dict | None = None, history: str = "") -> Path:
    """Write index.html next to the reports; returns its path."""
    folder = index_dir(dag)
    folder.mkdir(parents=True, exist_ok=True)
    built_at = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    found = entries(dag, folder, traceback)
    summaries = {e.task: summary(folder / e.report) for e in found if e.report}
    started = float(os.environ.get(STARTED) or 0) or None
    seconds = time.time() - started if started else None
    times = json.dumps({e.task: round(e.seconds, 3) for e in found if e.seconds is not None})
    if times != json.dumps(_last_times(folder)):  # unchanged on a no-op build: not rewritten
        (folder / TIMES).write_text(times, encoding="utf-8")
    path = folder / "index.html"
    path.write_text(
        render(
            found,
            "contractbook reports",
            built_at,
            outcome,
            headline(found, summaries),
            seconds,
            svg(found),
            history,
        ),
        encoding="utf-8",
    )
    return path


def on_finish(dag, history: str = "") -> None:
    """Ploomber DAG hook after a successful build."""
    print(f"index of the reports: {os.path.relpath(write(dag, 'succeeded', None, history))}")


def on_failure(dag, traceback, history: str = "") -> None:
    """Ploomber DAG hook after a failed build: the index shows which task failed, and why."""
    path = write(dag, "FAILED", traceback or {}, history)
    print(f"index of the reports: {os.path.relpath(path)}")
