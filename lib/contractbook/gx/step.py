"""The gx-checks task as one call: pre-load, proof on planted defects, post-load, Data Docs.

Moved out of notebooks/05-gx-checks.py unchanged in substance, so the notebook only shows it.
"""

from __future__ import annotations

import html
import io
from contextlib import redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path

from contractbook.contract import Contract

from . import coverage, generate
from .context import open_context
from .proof import ProofRow, compare
from .runner import run_postload, run_preload
from .tolerances import from_env

PROOF_COLUMNS = ["rule_id", "planted", "flagged", "ok", "missed", "extra"]
MANIFEST_COLUMNS = ["table", "line", "key", "kind", "rule_id"]
# post-load warehouses: SQLAlchemy URL per target; a server's secret stays a ${VAR} reference
URLS = {
    "duckdb": lambda warehouse: f"duckdb:///{Path(warehouse).resolve()}",
    "postgres": lambda warehouse: "${DESTINATION__POSTGRES__CREDENTIALS}",
}


def truthy(value) -> bool:
    """env.yaml gives text: 'true', '1', 'yes' (any case) are true."""
    return str(value).strip().lower() in ("1", "true", "yes")


def manifest(raw_dir: str | Path):
    """The generator's defects.csv (every column text), empty when there is none."""
    import pandas as pd

    path = Path(raw_dir) / "defects.csv"
    if not path.exists():
        return pd.DataFrame(columns=MANIFEST_COLUMNS)
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@dataclass(frozen=True)
class Unmapped:
    """A rule one target's suite cannot express, with the reason."""

    target: str
    rule_id: str
    reason: str


def not_mapped(contract: Contract, targets: tuple[str, ...]) -> list[Unmapped]:
    """Rules per target that are not expectations, with the reason."""
    from .targets import TARGETS

    return [
        Unmapped(t, r, why)
        for t in targets
        if t in TARGETS  # a destination that is no GX target (filesystem): nothing to map
        for r, why in coverage(generate(contract, t)).items()
        if why != "mapped"
    ]


@dataclass
class GXStep:
    """Everything the gx-checks report shows."""

    tolerances: dict
    coverage: list[Unmapped]
    pre: object  # CheckRun
    proof: list[ProofRow]
    planted: int
    post: object = None  # CheckRun, or None on a non-SQL destination
    note: str = ""
    docs: Path | None = None
    errors: list = field(default_factory=list)
    own_files: bool = False  # no defects.csv beside the inputs: nothing planted, no proof

    @property
    def runs(self) -> list:
        """The check runs: pre-load, and post-load when there was one."""
        return [r for r in (self.pre, self.post) if r]

    @property
    def proof_ok(self) -> bool:
        """True when every rule flagged exactly its planted rows."""
        return all(r.ok for r in self.proof)

    def _repr_html_(self) -> str:
        tol = self.tolerances or "none: every row must pass"
        return (
            f"<p>tolerances (mostly): <code>{html.escape(str(tol))}</code>; "
            + (
                "your own files (no defects.csv): nothing planted, no proof; "
                if self.own_files
                else f"{self.planted} planted defect row(s); every rule matches: {self.proof_ok}; "
            )
            + f"post-load: {len(self.errors)} failing reject-policy check(s)</p>"
        )


def run(
    contract: Contract,
    raw_dir,
    warehouse,
    target: str = "duckdb",
    schema: str = "olist",
    mostly: str = "",
    state_dir=".state",
    docs_dir="reports/data_docs",
) -> GXStep:
    """Run both checkpoints, compare pre-load with the manifest, write the Data Docs page."""
    from .docs import write

    tolerances = from_env(mostly)
    ctx = open_context(state_dir, docs_dir)
    with redirect_stdout(io.StringIO()):  # the runners' progress lines: the report has tables
        pre = run_preload(ctx, contract, raw_dir, tolerances)
    planted = manifest(raw_dir)
    # no defects.csv: the user's own files (e.g. a download), nothing planted to prove
    own = not (Path(raw_dir) / "defects.csv").exists()
    proof = [] if own else compare(pre, contract, planted[planted.kind != "sql"])
    post, note = None, ""
    if target in URLS:
        with redirect_stdout(io.StringIO()):
            post = run_postload(ctx, contract, URLS[target](warehouse), target, schema, tolerances)
    else:
        note = f"destination {target!r} is not a SQL warehouse: no post-load checks"
    step = GXStep(
        tolerances,
        not_mapped(contract, ("csv", target)),
        pre,
        proof,
        len(planted),
        post,
        note,
        errors=post.errors if post else [],
        own_files=own,
    )
    step.docs = write(step.runs, docs_dir)
    return step


def fail_if(step: GXStep, fail_on_error) -> None:
    """With fail_on_error, a failing post-load reject-policy check fails the task."""
    if truthy(fail_on_error) and step.errors:
        raise SystemExit(
            f"{len(step.errors)} post-load check(s) failed: "
            + ", ".join(c.rule_id or c.expectation for c in step.errors)
        )
