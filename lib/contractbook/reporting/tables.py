"""Tables that read as tables in a report: text left, numbers right with separators, no noise.

`table(data)` takes a DataFrame, a list of dicts or a dict of rows and returns a `Table` that
renders itself (`_repr_html_`): no 0-based index, empty cells instead of NaN/None, helper
columns (`x__typed`, `__in__...`: names holding `__`) hidden, wide tables scroll inside their box
and long ones are paginated (pure HTML and CSS: works in JupyterLab and in the exported report,
no JavaScript).
"""

from __future__ import annotations

import html
import itertools
import math
import numbers
from dataclasses import dataclass, field

PAGE = 15
_IDS = itertools.count(1)

CSS = """<style>
.cb-table{max-width:100%;overflow-x:auto;margin:.4em 0 1em}
.cb-table table{border-collapse:collapse;font-size:13px;white-space:nowrap}
.cb-table caption{caption-side:top;text-align:left;font-weight:bold;padding:2px 0}
.cb-table table.cb-t th,.cb-table table.cb-t td{padding:3px 10px;border-bottom:1px solid #ddd;
 text-align:left;vertical-align:top}
.cb-table table.cb-t td.num,.cb-table table.cb-t th.num{text-align:right;
 font-variant-numeric:tabular-nums}
.cb-table table.cb-t td.long{white-space:normal;min-width:16em;max-width:40em}
.cb-table tbody tr:nth-child(even){background:#f7f7f7}
.cb-table .cb-pager{font-size:12px;margin-top:4px}
.cb-table .cb-pager label{cursor:pointer;padding:1px 6px;border:1px solid #ccc;margin-right:2px}
.cb-table input.cb-page{display:none}
div.cb-table tbody.cb-p{display:none}
.cb-empty{color:#666;font-style:italic}
</style>"""


def _is_number(v) -> bool:
    return isinstance(v, numbers.Number) and not isinstance(v, bool)


def _missing(v) -> bool:
    if v is None:
        return True
    try:
        import pandas as pd

        return bool(pd.isna(v)) if not isinstance(v, list | tuple | dict | set) else False
    except (TypeError, ValueError):
        return False


def cell(v) -> str:
    """One value as display text: separators for numbers, empty for missing, yes/no for booleans."""
    if _missing(v):
        return ""
    if isinstance(v, bool) or type(v).__name__ == "bool_":
        return "yes" if v else "no"
    if _is_number(v):
        f = float(v)
        if math.isfinite(f) and f == int(f) and not isinstance(v, float):
            return f"{int(f):,}"
        return f"{f:,.3f}".rstrip("0").rstrip(".") if math.isfinite(f) else str(v)
    if isinstance(v, dict):
        return ", ".join(f"{k}={cell(x)}" for k, x in v.items())
    if isinstance(v, list | tuple | set):
        return ", ".join(cell(x) for x in v)
    return str(v)


def _frame(data):
    import pandas as pd

    if isinstance(data, pd.DataFrame):
        df = data
    elif hasattr(data, "data") and isinstance(data.data, pd.DataFrame):
        df = data.data  # a pandas Styler
    else:
        df = pd.DataFrame(list(data.values()) if isinstance(data, dict) else list(data))
    if not isinstance(df.index, pd.RangeIndex) or df.index.name is not None:
        df = df.reset_index()
    return df[[c for c in df.columns if not helper(c)]]


def helper(column) -> bool:
    """Internal helper columns (`__typed`, `__in__...`): any name holding a double underscore."""
    return "__" in str(column)


@dataclass
class Table:
    """A formatted table: column names, rows of values, an optional caption."""

    columns: list[str]
    rows: list[list] = field(default_factory=list)
    caption: str | None = None
    page: int = PAGE

    def __len__(self) -> int:
        return len(self.rows)

    def _numeric(self) -> list[bool]:
        return [
            all(_is_number(r[i]) or _missing(r[i]) for r in self.rows)
            and any(_is_number(r[i]) for r in self.rows)
            for i in range(len(self.columns))
        ]

    def _tr(self, row, numeric) -> str:
        tds = []
        for v, num in zip(row, numeric, strict=True):
            text = cell(v)
            css = "num" if num else ("long" if len(text) > 60 else "")
            tds.append(
                f"<td class='{css}'>{html.escape(text)}</td>"
                if css
                else f"<td>{html.escape(text)}</td>"
            )
        return "<tr>" + "".join(tds) + "</tr>"

    def _repr_html_(self) -> str:
        cap = f"<caption>{html.escape(self.caption)}</caption>" if self.caption else ""
        if not self.rows:
            bold = f"<b>{html.escape(self.caption)}</b>" if self.caption else ""
            return f"{CSS}<div class='cb-table'>{bold}<p class='cb-empty'>no rows</p></div>"
        numeric = self._numeric()
        head = "".join(
            f"<th class='{'num' if n else ''}'>{html.escape(str(c))}</th>"
            for c, n in zip(self.columns, numeric, strict=True)
        )
        pages = [self.rows[i : i + self.page] for i in range(0, len(self.rows), self.page)]
        tid = f"cb{next(_IDS)}"
        bodies, radios, labels, rules = [], [], [], []
        for n, rows in enumerate(pages, 1):
            css = f"cb-p {tid}-{n}" if len(pages) > 1 else ""
            bodies.append(
                f"<tbody class='{css}'>" + "".join(self._tr(r, numeric) for r in rows) + "</tbody>"
            )
            if len(pages) > 1:
                radios.append(
                    f"<input type='radio' class='cb-page' name='{tid}' id='{tid}-r{n}'"
                    + (" checked" if n == 1 else "")
                    + ">"
                )
                labels.append(f"<label for='{tid}-r{n}'>{n}</label>")
                rules.append(
                    f"#{tid}-r{n}:checked~table tbody.{tid}-{n}{{display:table-row-group}}"
                    f"#{tid}-r{n}:checked~.cb-pager label[for={tid}-r{n}]"
                    "{background:#ddd}"
                )
        pager = (
            (
                f"<div class='cb-pager'>{len(self.rows):,} rows, {self.page} per page: "
                + "".join(labels)
                + "</div>"
            )
            if len(pages) > 1
            else ""
        )
        return (
            f"{CSS}<style>{''.join(rules)}</style><div class='cb-table'>{''.join(radios)}"
            f"<table class='cb-t'>{cap}<thead><tr>{head}</tr></thead>"
            f"{''.join(bodies)}</table>{pager}</div>"
        )


def table(
    data,
    caption: str | None = None,
    page: int = PAGE,
    columns: list[str] | None = None,
    drop: list[str] | None = None,
) -> Table:
    """A Table from a DataFrame, Styler, list of dicts or dict of row dicts (see the module doc)."""
    df = _frame(data)
    if columns is not None:
        df = df[[c for c in columns if c in df.columns]]
    if drop:
        df = df.drop(columns=[c for c in drop if c in df.columns])
    rows = [[None if _missing(v) else v for v in r] for r in df.itertuples(index=False, name=None)]
    return Table([str(c) for c in df.columns], rows, caption, page)


@dataclass
class Tables:
    """Several tables shown one after the other (e.g. one sample per reason)."""

    items: list[Table]

    def _repr_html_(self) -> str:
        if not self.items:
            return "<p class='cb-empty'>none</p>"
        return "".join(t._repr_html_() for t in self.items)


def tables(frames: dict, page: int = PAGE) -> Tables:
    """One Table per (caption, data) item of frames."""
    return Tables([table(data, caption=str(name), page=page) for name, data in frames.items()])
