"""reports/index.html: one row per DAG task with its status, last run and a link to its report.

Wired into pipeline.yaml as Ploomber DAG-level hooks (`on_finish`, `on_failure`), so the index is
rewritten after every build, including no-op and failed ones.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape
from pathlib import Path

# Ploomber TaskStatus name -> what the index says about the task after this build.
STATUS = {
    "Executed": "ran",
    "Skipped": "up to date",
    "Errored": "FAILED",
    "Aborted": "not run (an upstream task failed)",
    "BrokenProcessPool": "FAILED",
}


@dataclass(frozen=True)
class Entry:
    """One task as the index shows it."""

    task: str
    status: str
    last_run: str
    source: str
    report: str | None  # path of the HTML report relative to the index, None when it has none
    extras: tuple[tuple[str, str], ...] = ()  # (product key, href) of other products in reports/


def _timestamp(product) -> str:
    ts = getattr(getattr(product, "metadata", None), "timestamp", None)
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
    paths = getattr(task.product, "to_json_serializable", dict)()
    out = []
    for key, path in paths.items() if isinstance(paths, dict) else ():
        path = Path(path).resolve()
        if key == "nb" or not path.is_relative_to(index_dir):
            continue
        target = path / "index.html" if (path / "index.html").is_file() else path
        out.append((key, os.path.relpath(target, index_dir)))
    return tuple(out)


def render(entries: list[Entry], title: str, built_at: str, outcome: str) -> str:
    """The index page as HTML: a heading, the build outcome and one table row per task."""
    rows = []
    for e in entries:
        link = f"<a href='{escape(e.report)}'>{escape(e.task)}</a>" if e.report else escape(e.task)
        link += "".join(f" &middot; <a href='{escape(href)}'>{escape(key)}</a>" for key, href in e.extras)
        css = "bad" if e.status.startswith(("FAILED", "not run")) else ""
        rows.append(f"<tr><td>{link}</td><td class='{css}'>{escape(e.status)}</td>"
                    f"<td>{escape(e.last_run)}</td><td><code>{escape(e.source)}</code></td></tr>")
    return ("<!DOCTYPE html>\n<html><head><meta charset='utf-8'>"
            f"<title>{escape(title)}</title><style>"
            "body{font-family:sans-serif;margin:2em}td,th{padding:4px 12px;text-align:left}"
            "tr:nth-child(even){background:#f4f4f4}.bad{color:#b00;font-weight:bold}</style>"
            f"</head><body><h1>{escape(title)}</h1>"
            f"<p>Last build: {escape(built_at)}: <b>{escape(outcome)}</b>. "
            "One report per task, in DAG order; each is the executed notebook.</p>"
            "<table><tr><th>task</th><th>status</th><th>last run</th><th>source</th></tr>"
            + "".join(rows) + "</table></body></html>\n")


def entries(dag, index_dir: Path) -> list[Entry]:
    """One Entry per task of a built (or failed) Ploomber DAG, in execution order."""
    out = []
    for name in dag._iter():  # topological order
        task = dag[name]
        nb = _nb_product(task)
        report = os.path.relpath(Path(str(nb)), index_dir) if nb is not None else None
        source = getattr(task.source, "loc", None) or str(task.source)
        try:
            source = os.path.relpath(str(source), index_dir.parent)
        except ValueError:
            source = str(source)
        out.append(Entry(task=name, status=STATUS.get(task.exec_status.name, task.exec_status.name),
                         last_run=_timestamp(nb) if nb is not None else "",
                         source=source, report=report, extras=_extras(task, index_dir)))
    return out


def index_dir(dag) -> Path:
    """Where the reports are: the folder shared by the tasks' `nb` products."""
    folders = [Path(str(nb)).resolve().parent for t in dag.values() if (nb := _nb_product(t))]
    if not folders:
        return Path("reports").resolve()
    return Path(os.path.commonpath(folders))


def write(dag, outcome: str) -> Path:
    """Write index.html next to the reports; returns its path."""
    folder = index_dir(dag)
    folder.mkdir(parents=True, exist_ok=True)
    built_at = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    path = folder / "index.html"
    path.write_text(render(entries(dag, folder), "contractbook reports", built_at, outcome),
                    encoding="utf-8")
    return path


def on_finish(dag) -> None:
    """Ploomber DAG hook after a successful build."""
    print(f"index of the reports: {write(dag, 'succeeded')}")


def on_failure(dag) -> None:
    """Ploomber DAG hook after a failed build: the index shows which task failed."""
    print(f"index of the reports: {write(dag, 'FAILED')}")
