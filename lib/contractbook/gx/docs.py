"""Data Docs of our own: every GX validation of a build on one self-contained page (offline).

GX's own Data Docs load their CSS and JavaScript from a CDN, so offline their index lists no
validation and shows no status icon. This page needs nothing but itself: inline CSS, no script.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime
from pathlib import Path

from contractbook.reporting.tables import table

from .results import short_source

CSS = """<style>
body{font-family:sans-serif;margin:0 auto;max-width:1100px;padding:0 1em 2em}
nav{padding:.6em 0;border-bottom:1px solid #ccc;margin-bottom:1em}
.pass,.fail,.warn{display:inline-block;padding:0 .5em;border-radius:3px;color:#fff;
 font-size:12px;font-weight:bold}
.pass{background:#2a7d3f}.fail{background:#b3261e}.warn{background:#a66300}
details{margin:.3em 0 .8em}summary{cursor:pointer}
h2{border-bottom:1px solid #eee;padding-bottom:.2em}
</style>"""
CHECK_COLUMNS = [
    "status",
    "rule_id",
    "expectation",
    "column",
    "kind",
    "policy",
    "unexpected_count",
    "element_count",
    "mostly",
]


def badge(ok: bool, warn: bool = False) -> str:
    """A status badge: pass, fail, or warn (a failing warn-policy rule)."""
    css = "pass" if ok else ("warn" if warn else "fail")
    return f"<span class='{css}'>{css}</span>"


def _table_section(t) -> str:
    rows = [
        {
            "status": "pass" if c.success else ("warn" if c.policy == "warn" else "FAIL"),
            **{k: getattr(c, k) for k in CHECK_COLUMNS[1:]},
        }
        for c in t.checks
    ]
    bad = [c for c in t.checks if not c.success]
    warn_only = bool(bad) and all(c.policy == "warn" for c in bad)
    malformed = 0 if t.malformed is None else len(t.malformed)
    parts = [
        f"<details{' open' if bad or malformed else ''}><summary>"
        f"{badge(not bad and not malformed, warn_only and not malformed)} "
        f"<b>{html.escape(t.table)}</b>: {html.escape(t.verdict)}</summary>",
        table(rows)._repr_html_(),
    ]
    for c in bad:
        if c.sample:
            parts.append(
                table(
                    c.sample, caption=f"failing rows: {c.rule_id or c.expectation}", page=5
                )._repr_html_()
            )
    if malformed:
        parts.append(table(t.malformed, caption="malformed CSV records")._repr_html_())
    return "".join(parts) + "</details>"


def render(runs) -> str:
    """The page: one section per run (target), one folding block per table."""
    built = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    body = []
    for r in runs:
        body.append(
            f"<h2>{badge(r.success, not r.errors)} {html.escape(r.target)} "
            f"on <code>{html.escape(short_source(r.source))}"
            f"</code></h2><p>{html.escape(r.verdict)}; {len(r.checks)} checks in "
            f"{len(r.tables)} suites; tolerances (mostly) "
            f"<code>{html.escape(str(r.tolerances or 'none'))}</code>; "
            f"{r.seconds:.1f} s</p>"
        )
        body.append(table(r.summary())._repr_html_())
        body.extend(_table_section(t) for t in r.tables)
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        f"<title>Data Docs</title>{CSS}</head><body><nav><a href='../index.html'>&larr; all "
        "reports</a> &middot; <a href='../gx-checks.html'>gx-checks</a></nav>"
        f"<h1>Data Docs: Great Expectations validations</h1><p>Built {built}. Every suite "
        "is generated from the contract; a failing warn-policy rule is a warning.</p>"
        + "".join(body)
        + "</body></html>\n"
    )


def write(runs, docs_dir) -> Path:
    """Write docs_dir/index.html; returns its path."""
    folder = Path(docs_dir)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "index.html"
    path.write_text(render(runs), encoding="utf-8")
    return path.resolve()
