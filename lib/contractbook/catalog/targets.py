"""Where tables are registered: ingest destination -> OpenMetadata service, database, schema."""

from __future__ import annotations

from dataclasses import dataclass

from contractbook.contract import Contract
from contractbook.registry import lookup


@dataclass(frozen=True)
class CatalogService:
    """An OpenMetadata database service type and its database name for one ingest destination."""

    destination: str
    service_type: str  # metadata...databaseService.DatabaseServiceType value
    database: str
    note: str = ""
    dialect: str = "duckdb"  # contractbook.sqltext dialect of the SQL a test case runs there


# OpenMetadata has no DuckDB connector: the embedded warehouse is a CustomDatabase service.
TARGETS: dict[str, CatalogService] = {
    t.destination: t
    for t in (
        CatalogService(
            "duckdb",
            "CustomDatabase",
            "warehouse",
            "no DuckDB connector: a custom database service",
        ),
        CatalogService("postgres", "Postgres", "olist", dialect="postgres"),
        CatalogService(
            "filesystem", "Datalake", "delta", "Delta tables in a folder", dialect="spark"
        ),
        CatalogService("databricks", "UnityCatalog", "main", dialect="databricks"),
        CatalogService("bigquery", "BigQuery", "olist", dialect="bigquery"),
        CatalogService("snowflake", "Snowflake", "OLIST", dialect="snowflake"),
    )
}

# The raw CSV files the pipeline reads: one Datalake service, so files are entities lineage can use.
RAW = CatalogService("raw", "Datalake", "files", "the CSV files under data/raw")
RAW_SCHEMA = "raw"
PREFIX = "contractbook"


def get(destination: str) -> CatalogService:
    """The target of a destination; a clear error listing the known ones otherwise."""
    return lookup(TARGETS, destination, "catalog destination")


def service_name(target: CatalogService) -> str:
    """The service's name in OpenMetadata, e.g. contractbook_duckdb."""
    return f"{PREFIX}_{target.destination}"


def schema_of(contract: Contract, default: str = "olist") -> str:
    """The schema a contract's tables live in: its first server's `schema`, else default."""
    servers = (contract.raw or {}).get("servers") or []
    return next((s["schema"] for s in servers if s.get("schema")), default)
