"""Rule results as OpenMetadata test case results when ingest loaded a real PostgreSQL server."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from contractbook.catalog import results
from contractbook.ingest.run import ingest

CLEAN = Path(__file__).resolve().parents[1] / "fixtures" / "ingest" / "clean"

pytestmark = pytest.mark.postgres


def _dirty(tmp_path) -> Path:
    """The clean fixture with one invalid order status (orders line 4)."""
    d = Path(shutil.copytree(CLEAN, tmp_path / "dirty"))
    orders = (d / "orders.csv").read_text().splitlines()
    orders[3] = orders[3].replace("created", "lost")
    (d / "orders.csv").write_text("\n".join(orders) + "\n")
    return d


@pytest.fixture
def loaded(contract, tmp_path, postgres_dsn, monkeypatch):
    """The dirty fixture ingested into PostgreSQL and, for comparison, into a DuckDB file."""
    # dlt insists on a password; the throwaway server trusts local connections and ignores it
    user, rest = postgres_dsn.split("://", 1)[1].split("@", 1)
    monkeypatch.setenv(
        "DESTINATION__POSTGRES__CREDENTIALS", f"postgresql://{user.split(':')[0]}:unused@{rest}"
    )
    data, duck = _dirty(tmp_path), tmp_path / "wh.duckdb"
    for destination, warehouse in (("postgres", None), ("duckdb", duck)):
        assert ingest(
            contract,
            data,
            destination,
            warehouse,
            rejects_dir=tmp_path / "rejects",
            state_dir=tmp_path / destination,
            progress=lambda *_: None,
        ).ok
    return duck


def test_postgres_rule_results_equal_duckdb_ones(contract, loaded):
    on_pg = results.rule_results(
        contract, results.read_metrics("postgres://shown", "olist", "postgres")
    )
    on_duck = results.rule_results(contract, results.read_metrics(loaded, "olist", "duckdb"))
    strip = {k: (r.passed, r.failing_rows, r.rows_checked) for k, r in on_pg.items()}
    assert strip == {k: (r.passed, r.failing_rows, r.rows_checked) for k, r in on_duck.items()}
    assert len(on_pg) == len(contract.rules)
    failed = {r.table for r in on_pg.values() if not r.passed}
    assert "orders" in failed and all(r.failing_rows > 0 for r in on_pg.values() if not r.passed)


def test_catalog_step_on_postgres_writes_the_failed_results(contract_path, loaded, tmp_path):
    from contractbook.catalog.step import run

    out = run(
        [contract_path],
        "postgres",
        "postgres://shown",
        tmp_path / "catalog",
        tmp_path / "catalog.html",
        push=False,
    )
    doc = json.loads((tmp_path / "catalog" / "test_results.json").read_text())
    statuses = {r["testCaseFQN"]: r["result"]["testCaseStatus"] for r in doc["requests"]}
    assert len(statuses) == len(out.results) > 0
    assert all(k.startswith("contractbook_postgres.olist.olist.") for k in statuses)
    status = "contractbook_postgres.olist.olist.orders.orders__order_status__allowed_values"
    assert statuses[status] == "Failed" and "Success" in statuses.values()
    assert out.payloads.destination == "postgres"


def test_unknown_destination_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown destination 'oracle'"):
        results.read_metrics("x", "olist", "oracle")
