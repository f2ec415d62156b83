"""Shared fixtures: paths, the olist_mini contract, and a real PostgreSQL server on 127.0.0.1."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONTRACT = ROOT / "contracts" / "olist_mini" / "contract.yaml"


@pytest.fixture(scope="session")
def contract_path() -> Path:
    """Path of the olist_mini contract."""
    return CONTRACT


@pytest.fixture(scope="session")
def contract(contract_path):
    """The loaded olist_mini contract model."""
    from contractbook.contract import load

    return load(contract_path)


def _postgres(**options):
    """A throwaway PostgreSQL cluster started with options (support.postgres.start), stopped
    after; skipped where none can start, a failure under CI."""
    from support.postgres import PostgresUnavailable, start

    try:
        server = start(**options)
    except PostgresUnavailable as e:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI: {e}")
        pytest.skip(str(e))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def postgres_server():
    """A throwaway PostgreSQL cluster trusting local connections."""
    yield from _postgres()


@pytest.fixture(scope="module")
def secured_postgres():
    """A throwaway cluster whose TCP connections need a password (scram-sha-256)."""
    yield from _postgres(host_auth="scram-sha-256")


@pytest.fixture(scope="session")
def postgres_dsn(postgres_server) -> str:
    """postgresql:// URL of the test database."""
    return postgres_server.dsn
