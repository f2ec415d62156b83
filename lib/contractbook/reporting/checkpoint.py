"""The "What to check" checkpoint ending every notebook: shown, asserted, saved for the index.

`checkpoint(product, checks, numbers, next_)` renders a list of named checks (pass/fail), raises
`CheckpointFailed` when one fails (the task fails, like a test), and writes the checks and the
task's headline numbers to `<report>.summary.json` beside the HTML report, where the index reads
them.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path


class CheckpointFailed(AssertionError):
    """A "What to check" item did not hold."""


def summary_path(report: str | Path) -> Path:
    """reports/<task>.html -> reports/<task>.summary.json."""
    report = Path(report)
    return report.with_name(f"{report.stem}.summary.json")


def _links(text: str) -> str:
    """text as HTML, markdown links `[label](href)` as links."""
    return re.sub(
        r"\[([^\]]+)\]\(([^)\s]+)\)", r"<a href='\2'>\1</a>", html.escape(text, quote=False)
    )


def _badge(ok: bool) -> str:
    colour, text = ("#2a7d3f", "PASS") if ok else ("#b3261e", "FAIL")
    return (
        f"<span style='background:{colour};color:#fff;font-size:11px;font-weight:bold;"
        f"padding:0 5px;border-radius:3px'>{text}</span>"
    )


@dataclass
class Checkpoint:
    """Named checks with their outcome, headline numbers and the pointer to the next step."""

    checks: dict[str, bool]
    numbers: dict = field(default_factory=dict)
    next_: str = ""

    @property
    def ok(self) -> bool:
        """True when every check holds."""
        return all(self.checks.values())

    def _repr_html_(self) -> str:
        items = "".join(
            f"<li style='list-style:none;margin:2px 0'>{_badge(ok)} {html.escape(name)}</li>"
            for name, ok in self.checks.items()
        )
        nums = ", ".join(
            f"{html.escape(str(k))}: <b>{v:,}</b>"
            if isinstance(v, int)
            else f"{html.escape(str(k))}: <b>{html.escape(str(v))}</b>"
            for k, v in self.numbers.items()
        )
        nxt = f"<p><b>Next.</b> {_links(self.next_)}</p>" if self.next_ else ""
        return (
            f"<div class='cb-checkpoint' style='border-left:4px solid "
            f"{'#2a7' if self.ok else '#c33'};padding:4px 12px;margin:1em 0'>"
            f"<ul style='padding-left:0'>{items}</ul>"
            + (f"<p>{nums}</p>" if nums else "")
            + f"</div>{nxt}"
        )


def checkpoint(
    product, checks: dict[str, bool], numbers: dict | None = None, next_: str = ""
) -> Checkpoint:
    """The checkpoint (end a cell with it), saved by the report; a failed check fails the task."""
    from IPython.display import display

    cp = Checkpoint({k: bool(v) for k, v in checks.items()}, dict(numbers or {}), next_)
    report = (product or {}).get("nb") if isinstance(product, dict) else product
    if report:
        path = summary_path(str(report))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            json.dumps(
                {"checks": cp.checks, "numbers": cp.numbers, "ok": cp.ok}, default=str, indent=1
            ),
            encoding="utf-8",
        )
    failed = [k for k, v in cp.checks.items() if not v]
    if failed:
        display(cp)  # on success the cell's value shows it; a failing cell has no value
        raise CheckpointFailed("what to check: " + "; ".join(failed))
    return cp
