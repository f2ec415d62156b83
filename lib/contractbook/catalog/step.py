"""The catalog step: payloads + workflow YAMLs to data/catalog/, push or dry run, graph, page."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from contractbook.contract import Contract, load, naming
from contractbook.ingest import destinations
from contractbook.paths import at_root, shown

from . import graph, page, results

if TYPE_CHECKING:  # the SDK's models: imported by the step itself, lazily
    from .payloads import Payloads
    from .push import PushReport


@dataclass
class CatalogRun:
    """What the step wrote and registered (or would register)."""

    contracts: list[Contract]
    payloads: Payloads = field(repr=False)
    results: dict = field(repr=False)
    files: list[Path] = field(repr=False)
    push: PushReport
    graph_png: Path
    page: Path

    def registered_tables(self) -> set[str]:
        """The table names the requests register, as the engine spells them."""
        from .payloads import registered_name  # the SDK is imported already (self.payloads)

        return {registered_name(t) for t in self.payloads.tables}

    def summary(self):
        """One row per kind of request: how many were (or would be) registered."""
        import pandas as pd

        return pd.DataFrame([{"kind": k, "requests": n} for k, n in self.payloads.counts().items()])

    def _repr_html_(self) -> str:
        return (
            f"<p><b>{html.escape(self.push.verdict)}</b></p>"
            + self.summary().to_html(index=False)
            + f"<p>{len(self.files)} file(s) under <code>{html.escape(shown(self.files[0].parent))}"
            "</code></p>"
        )


def _fitting(contracts: list[Contract]) -> list[Contract]:
    """The raw contract, then the curated contracts whose columns all come from its tables
    (the shipped curated contract is Olist's: another raw contract registers alone)."""
    from .sources import sources

    raw, *curated = contracts
    return [
        raw,
        *(
            c
            for c in curated
            if all(
                src.split(".")[0] in {*raw.table_names, *c.table_names}
                for found in sources(c).values()
                for src in found
            )
        ),
    ]


def run(
    contract_paths: Sequence[str | Path],
    destination: str = "duckdb",
    warehouse: str | Path = "data/warehouse.duckdb",
    out_dir: str | Path = "data/catalog",
    page_path: str | Path = "reports/catalog.html",
    push: bool = True,
) -> CatalogRun:
    """Build, write, push (when configured) and render the catalog of the contracts.

    Relative paths resolve against the project root, so it runs from `ploomber build` and
    from a JupyterLab kernel started in notebooks/.
    """
    import warnings

    with warnings.catch_warnings():  # the SDK's own pydantic warnings (its models' field names)
        warnings.filterwarnings(
            "ignore", message=r"Field name .* shadows an attribute", category=UserWarning
        )
        return _run(contract_paths, destination, warehouse, out_dir, page_path, push)


def _run(contract_paths, destination, warehouse, out_dir, page_path, push) -> CatalogRun:
    from . import files, payloads
    from . import push as pusher

    contracts = _fitting([load(at_root(p)) for p in contract_paths if p])
    schema = naming.loaded_dataset(contracts[0], destination)
    local = destinations.get(destination).default_warehouse  # a server: its shown identity
    metrics = results.read_metrics(at_root(warehouse) if local else warehouse, schema, destination)
    found = {}
    for c in contracts:
        found.update(results.rule_results(c, metrics))
    built = payloads.build(contracts, destination, found)
    written = files.write(built, contracts[0], at_root(out_dir))
    report = pusher.push(built) if push else pusher.PushReport(True, reason="push not requested")
    page_file = at_root(page_path)
    png = graph.draw(
        graph.build(built.lineage),
        page_file.with_suffix(".png"),
        " + ".join(c.name for c in contracts),
    )
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    page_file.write_text(
        page.render(contracts, found, built.lineage, png.read_bytes(), report.verdict, stamp),
        encoding="utf-8",
    )
    return CatalogRun(contracts, built, found, written, report, png, page_file)
