"""`metadata ingest` workflow YAMLs per source, validated offline with the SDK's graceful parser.

Secrets are `${VAR}` placeholders: `metadata ingest` expands them from the environment at run time,
so no token or password is ever written here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import yaml

from contractbook import provenance
from contractbook.contract import Contract
from contractbook.registry import lookup

from . import targets

GENERATOR = "contractbook.catalog.workflows"

SERVER = {
    "hostPort": "${OPENMETADATA_HOST}",
    "authProvider": "openmetadata",
    "securityConfig": {"jwtToken": "${OPENMETADATA_JWT_TOKEN}"},
}


@dataclass(frozen=True)
class Source:
    """One ingestion source: its service name, and how to build its serviceConnection."""

    name: str
    service: str
    summary: str
    connection: Callable[[Contract], dict]
    env: tuple[str, ...] = ()


def _postgres(c: Contract) -> dict:
    server: dict = next(
        (s for s in (c.raw.get("servers") or []) if s.get("type") == "postgres"), {}
    )
    return {
        "type": "Postgres",
        "username": "${POSTGRES_USER}",
        "authType": {"password": "${POSTGRES_PASSWORD}"},
        "hostPort": f"{server.get('host', 'localhost')}:{server.get('port', 5432)}",
        "database": server.get("database", "olist"),
    }


def _datalake(c: Contract) -> dict:
    return {
        "type": "Datalake",
        "configSource": {},
        "bucketName": "${CONTRACTBOOK_RAW_DIR}",
        "databaseName": targets.RAW.database,
    }


def _unity(c: Contract) -> dict:
    return {
        "type": "UnityCatalog",
        "hostPort": "${DATABRICKS_HOST}:443",
        "authType": {"token": "${DATABRICKS_TOKEN}"},
        "httpPath": "${DATABRICKS_HTTP_PATH}",
        "catalog": targets.get("databricks").database,
    }


SOURCES: dict[str, Source] = {
    s.name: s
    for s in (
        Source(
            "postgres",
            "contractbook_postgres",
            "the PostgreSQL warehouse",
            _postgres,
            ("POSTGRES_USER", "POSTGRES_PASSWORD"),
        ),
        Source(
            "datalake",
            "contractbook_raw",
            "the raw CSV files (local folder)",
            _datalake,
            ("CONTRACTBOOK_RAW_DIR",),
        ),
        Source(
            "unitycatalog",
            "contractbook_databricks",
            "Databricks Unity Catalog",
            _unity,
            ("DATABRICKS_HOST", "DATABRICKS_TOKEN", "DATABRICKS_HTTP_PATH"),
        ),
    )
}


def config(source: str, contract: Contract) -> dict:
    """The workflow config of one source for a contract's schema."""
    s = lookup(SOURCES, source, "ingestion source")
    schema = targets.schema_of(contract) if source != "datalake" else targets.RAW_SCHEMA
    pipeline = {"type": "DatabaseMetadata", "includeTables": True, "includeViews": False}
    if source != "datalake":
        pipeline["schemaFilterPattern"] = {"includes": [f"^{schema}$"]}
    return {
        "source": {
            "type": s.connection(contract)["type"].lower(),
            "serviceName": s.service,
            "serviceConnection": {"config": s.connection(contract)},
            "sourceConfig": {"config": pipeline},
        },
        "sink": {"type": "metadata-rest", "config": {}},
        "workflowConfig": {"loggerLevel": "INFO", "openMetadataServerConfig": SERVER},
    }


def validate(cfg: dict) -> None:
    """Raise the SDK's readable error when cfg is not a valid workflow config."""
    from metadata.ingestion.api.parser import parse_workflow_config_gracefully

    parse_workflow_config_gracefully(yaml.safe_load(yaml.safe_dump(cfg)))


def render(source: str, contract: Contract) -> str:
    """The YAML text of one workflow, with a header naming contract, version and generator."""
    s = SOURCES[source]
    env = ", ".join(("OPENMETADATA_HOST", "OPENMETADATA_JWT_TOKEN", *s.env))
    head = (
        provenance.comment(contract, GENERATOR, f"metadata ingest -c <this file>: {s.summary},")
        + f"# secrets from the environment, expanded by `metadata ingest`: {env}\n"
    )
    return head + yaml.safe_dump(config(source, contract), sort_keys=False)
