"""HTML for the reports index: the last runs and the trend of rejects per table (inline SVG)."""

from __future__ import annotations

from html import escape

from contractbook.runhistory import LastRun


def _when(run: LastRun) -> str:
    return run.ended_at.strftime("%Y-%m-%d %H:%M:%S") if run.ended_at else ""


def last_runs_table(runs: list[LastRun]) -> str:
    """A table of the latest runs, newest first."""
    if not runs:
        return "<p>No run recorded yet.</p>"
    rows = "".join(
        f"<tr><td><code>{escape(r.run_id)}</code></td><td>{escape(r.what)}</td>"
        f"<td>{escape(_when(r))}</td>"
        f"<td class='{'bad' if r.status == 'failed' else ''}'>{escape(r.status)}</td>"
        f"<td class='num'>{r.tasks:,}</td><td class='num'>{r.failed:,}</td></tr>"
        for r in runs
    )
    return (
        "<table><tr><th>run</th><th>what</th><th>ended (UTC)</th><th>status</th>"
        f"<th>tasks</th><th>failed</th></tr>{rows}</table>"
    )


def sparkline(values: list[int], width: int = 160, height: int = 28) -> str:
    """An inline SVG polyline of values (left: oldest), with the last value marked."""
    if not values:
        return ""
    top = max(values) or 1
    step = width / max(len(values) - 1, 1)
    points = [(i * step, height - 2 - (v / top) * (height - 4)) for i, v in enumerate(values)]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    x, y = points[-1]
    return (
        f"<svg width='{width}' height='{height}' viewBox='0 0 {width} {height}' role='img' "
        f"aria-label='rejects per run'><polyline fill='none' stroke='#b00' stroke-width='1.5' "
        f"points='{line}'/><circle cx='{x:.1f}' cy='{y:.1f}' r='2.5' fill='#b00'/></svg>"
    )


def reject_trend_table(trend: dict[str, list[tuple[str, int]]]) -> str:
    """Per table: rejects in the latest run and a sparkline over the recorded runs."""
    if not trend:
        return "<p>No ingest run recorded yet.</p>"
    rows = "".join(
        f"<tr><td>{escape(table)}</td><td class='num'>{points[-1][1]:,}</td>"
        f"<td class='num'>{len(points):,}</td><td>{sparkline([v for _, v in points])}</td></tr>"
        for table, points in trend.items()
    )
    return (
        "<table><tr><th>table</th><th>rejects, last run</th><th>runs</th>"
        f"<th>trend</th></tr>{rows}</table>"
    )
