"""Check results as data: per table, per expectation, with failing keys and sample rows."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

from .suites import NotMapped, Suite

SAMPLE = 5


def short_source(source: str) -> str:
    """A source as reports show it: a folder or file URL by its last name (no machine paths)."""
    from pathlib import PurePosixPath

    scheme, sep, rest = source.partition(":///")
    if sep:
        return f"{scheme}:///{PurePosixPath(rest).name}"
    return PurePosixPath(source).name if source.startswith("/") else source


@dataclass
class Check:
    """One expectation's outcome."""

    table: str
    expectation: str
    column: str | None
    rule_id: str | None
    kind: str
    policy: str
    success: bool
    unexpected_count: int | None
    element_count: int | None
    mostly: float
    failing: list = field(default_factory=list)  # lines (pre-load), key dicts or row dicts
    sample: list = field(default_factory=list)  # up to SAMPLE failing rows as dicts
    error: str | None = None
    later: list | None = None  # duplicate checks: failing rows minus each key's first occurrence
    observed: object = None  # GX's observed value (types, row counts)


def _failing(result: dict) -> list:
    rows = (result.get("details") or {}).get("unexpected_rows")
    if rows is not None:
        return [dict(r) for r in rows]
    if result.get("unexpected_index_list") is not None:
        return list(result["unexpected_index_list"])
    return list(result.get("unexpected_list") or [])


def _error(r) -> str | None:
    info = r.exception_info or {}
    msgs = (
        [v.get("exception_message") for v in info.values() if isinstance(v, dict)]
        if "raised_exception" not in info
        else [info.get("exception_message")]
    )
    found = [str(m) for m in msgs if m]
    return found[0].splitlines()[0][:300] if found else None


def _later(failing: list, kw: dict, frame) -> list:
    """Duplicates past the first occurrence of each key (the manifest's defect rows)."""
    if frame is not None:
        cols = kw.get("column_list") or [kw["column"]]
        dup = frame.loc[frame.index.isin(failing), cols].duplicated(keep="first")
        return sorted(dup[dup].index)
    seen: set = set()
    out = []
    for row in failing:
        key = tuple(sorted(row.items())) if isinstance(row, dict) else row
        (out.append(row) if key in seen else seen.add(key))
    return out


def _by_index(failing: list, index: str, kw: dict) -> tuple[list, list, list]:
    """SQL results keyed by an index column: (index values, sample rows, later duplicates)."""
    rows = sorted(
        (x for x in failing if isinstance(x, dict) and index in x), key=lambda x: x[index]
    )
    cols = kw.get("column_list") or ([kw["column"]] if kw.get("column") else [])
    seen: set = set()
    later = []
    for row in rows:
        key = tuple(row.get(c) for c in cols)
        (later.append(row[index]) if key in seen else seen.add(key))
    sample = [{("line" if k == index else k): v for k, v in x.items()} for x in rows[:SAMPLE]]
    return [x[index] for x in rows], sample, later


def _check(table: str, r, frame, index: str | None = None) -> Check:
    cfg = r.expectation_config
    kw, meta, res = cfg.kwargs, cfg.meta or {}, r.result or {}
    failing = _failing(res)
    if index and cfg.type != "unexpected_rows_expectation":
        failing, sample, by_index = _by_index(failing, index, kw)
        later: list | None = by_index
        count = res.get("unexpected_count")
    else:
        if frame is not None and cfg.type != "unexpected_rows_expectation":
            index = frame.index.name
            failing = [x[index] if isinstance(x, dict) and index in x else x for x in failing]
        if frame is not None and failing and not isinstance(failing[0], dict):
            sample = (
                frame.loc[[x for x in failing[:SAMPLE] if x in frame.index]]
                .reset_index()
                .to_dict("records")
            )
        else:
            sample = [x if isinstance(x, dict) else {"value": x} for x in failing[:SAMPLE]]
        count = res.get("unexpected_count")
        if count is None and "observed_value" in res and cfg.type == "unexpected_rows_expectation":
            count = res["observed_value"]
        keyed = meta.get("kind") in ("unique", "primary_key")
        later = _later(failing, kw, frame) if keyed else None
    return Check(
        table,
        cfg.type,
        kw.get("column") or (",".join(kw["column_list"]) if kw.get("column_list") else None),
        meta.get("rule_id"),
        meta.get("kind", "table"),
        meta.get("policy", "reject"),
        bool(r.success),
        count,
        res.get("element_count"),
        kw.get("mostly", 1.0),
        failing,
        sample,
        _error(r),
        later if meta.get("kind") in ("unique", "primary_key") else None,
        res.get("observed_value"),
    )


@dataclass
class TableResult:
    """One table's checkpoint result."""

    table: str
    suite: str
    checks: list[Check]
    not_mapped: list[NotMapped]
    malformed: Any = None  # pre-load: DataFrame of malformed CSV records
    seconds: float = 0.0

    @classmethod
    def from_gx(
        cls,
        table,
        suite: Suite,
        validation,
        frame=None,
        malformed=None,
        seconds=0.0,
        index: str | None = None,
    ):
        """From a GX ExpectationSuiteValidationResult (index: the SQL column holding lines)."""
        checks = [_check(table, r, frame, index) for r in validation.results]
        return cls(table, suite.name, checks, suite.not_mapped, malformed, seconds)

    @property
    def failed(self) -> list[Check]:
        """Checks that did not pass."""
        return [c for c in self.checks if not c.success]

    @property
    def verdict(self) -> str:
        """One line: pass/fail counts and malformed records."""
        bad = 0 if self.malformed is None else len(self.malformed)
        return (
            f"{len(self.checks) - len(self.failed)}/{len(self.checks)} checks pass"
            + (f", {bad} malformed CSV record(s)" if bad else "")
            + f" ({self.seconds:.2f} s)"
        )


@dataclass
class CheckRun:
    """A run of every table's checkpoint for one target."""

    target: str
    source: str
    tolerances: dict
    tables: list[TableResult] = field(default_factory=list)
    seconds: float = 0.0
    docs: str | None = None

    @property
    def checks(self) -> list[Check]:
        """Every check of every table."""
        return [c for t in self.tables for c in t.checks]

    @property
    def success(self) -> bool:
        """True when every check passed and no CSV record was malformed."""
        return not any(t.failed for t in self.tables) and not any(
            t.malformed is not None and len(t.malformed) for t in self.tables
        )

    @property
    def errors(self) -> list[Check]:
        """Failed checks of reject-policy rules (warn-policy failures are reported, not errors)."""
        return [c for c in self.checks if not c.success and c.policy != "warn"]

    @property
    def verdict(self) -> str:
        """'all checks pass' or the counts of failing reject / warn checks and malformed records."""
        if self.success:
            return "all checks pass"
        failed = [c for c in self.checks if not c.success]
        warn = sum(c.policy == "warn" for c in failed)
        bad = sum(0 if t.malformed is None else len(t.malformed) for t in self.tables)
        return (
            f"{len(failed) - warn} failing check(s) of reject rules, {warn} of warn rules, "
            f"{bad} malformed CSV record(s)"
        )

    def __repr__(self) -> str:
        failed = sum(len(t.failed) for t in self.tables)
        return (
            f"CheckRun({self.target} on {self.source}: {len(self.checks)} checks, "
            f"{failed} failed, tolerances={self.tolerances}, {self.seconds:.2f} s)"
        )

    def table(self, name: str) -> TableResult:
        """The result of one table."""
        return next(t for t in self.tables if t.table == name)

    def to_frame(self):
        """One row per check (pandas)."""
        import pandas as pd

        return pd.DataFrame(
            [
                {
                    k: getattr(c, k)
                    for k in (
                        "table",
                        "rule_id",
                        "kind",
                        "expectation",
                        "column",
                        "policy",
                        "success",
                        "unexpected_count",
                        "element_count",
                        "mostly",
                        "observed",
                        "error",
                    )
                }
                for c in self.checks
            ]
        )

    def summary(self):
        """One row per table: checks, passed, failed, malformed records, seconds."""
        import pandas as pd

        return pd.DataFrame(
            [
                {
                    "table": t.table,
                    "checks": len(t.checks),
                    "passed": len(t.checks) - len(t.failed),
                    "failed": len(t.failed),
                    "malformed_records": 0 if t.malformed is None else len(t.malformed),
                    "not_mapped": len(t.not_mapped),
                    "seconds": round(t.seconds, 3),
                }
                for t in self.tables
            ]
        )

    def samples(self, limit: int = 10) -> dict[str, object]:
        """'table · rule' -> DataFrame of up to SAMPLE failing rows, for the first limit ones."""
        import pandas as pd

        failed = [c for c in self.checks if not c.success and c.sample][:limit]
        return {f"{c.table} · {c.rule_id or c.expectation}": pd.DataFrame(c.sample) for c in failed}

    def _repr_html_(self) -> str:
        source = html.escape(short_source(self.source))
        head = (
            f"<p><b>GX {html.escape(self.target)}</b> on <code>{source}</code>: "
            f"{html.escape(self.verdict)}; tolerances "
            f"(mostly) <code>{html.escape(str(self.tolerances or 'none: every row must pass'))}"
            f"</code>; {self.seconds:.2f} s"
            + (f"; <a href='{html.escape(self.docs)}'>Data Docs</a>" if self.docs else "")
            + "</p>"
        )
        from contractbook.reporting.tables import table

        parts = [head, table(self.summary())._repr_html_()]
        failed = [
            {
                "table": c.table,
                "rule": c.rule_id,
                "expectation": c.expectation,
                "failing": c.unexpected_count,
                "policy": c.policy,
                "error": c.error,
            }
            for c in self.checks
            if not c.success
        ]
        if failed:
            parts.append(table(failed, caption="failing checks")._repr_html_())
        return "\n".join(parts)
