"""Ingest engines as data: which runner checks the rows, what it writes, what it needs."""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from contractbook.registry import lookup


@dataclass(frozen=True)
class Engine:
    """One ingest engine: its runner module (imported on use) and what it writes."""

    name: str
    module: str  # defines ingest(contract, data_dir, **options) -> IngestResult
    summary: str
    destinations: tuple[str, ...] = ()  # dlt destinations it loads into; () = its own output
    extra: str = ""  # the pip extra it needs

    def ingest(self, contract, data_dir, **options):
        """Run this engine's ingest (its module is imported only now)."""
        return importlib.import_module(self.module).ingest(contract, data_dir, **options)


ENGINES: dict[str, Engine] = {
    e.name: e
    for e in (
        Engine(
            "duckdb",
            "contractbook.ingest.run",
            "DuckDB checks, loaded with dlt (default)",
            destinations=(
                "duckdb",
                "postgres",
                "filesystem",
                "bigquery",
                "snowflake",
                "databricks",
            ),
        ),
        Engine(
            "spark",
            "contractbook.spark.ingest",
            "Spark SQL checks (same rule plan), Parquet tables under --warehouse (data/spark)",
            extra="spark",
        ),
    )
}


def get(name: str) -> Engine:
    """The engine called name; a clear error listing the known ones otherwise."""
    return lookup(ENGINES, name, "ingest engine")
