"""Push to OpenMetadata with the SDK client, against a local HTTP stand-in recording requests."""

from __future__ import annotations

import socket

import pytest

from contractbook.catalog import results
from support import http_standin

TOKEN = "eyJstand-in-token"


@pytest.fixture(scope="module")
def built(contract):
    from test_catalog_payloads import FIXTURE, metrics_rows

    from contractbook.catalog import payloads
    from contractbook.contract import load

    found = results.rule_results(contract, metrics_rows(contract))
    return payloads.build([contract, load(FIXTURE)], "duckdb", found)


@pytest.fixture
def standin():
    from metadata.__version__ import get_client_version

    server = http_standin.openmetadata(get_client_version())
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def no_env(monkeypatch):
    for var in ("OPENMETADATA_HOST", "OPENMETADATA_JWT_TOKEN", "OPENMETADATA_API_KEY"):
        monkeypatch.delenv(var, raising=False)


def test_without_host_and_token_it_is_a_dry_run(built, monkeypatch):
    from contractbook.catalog.push import push

    report = push(built)
    assert report.dry_run and "dry run" in report.verdict and "OPENMETADATA_HOST" in report.verdict
    monkeypatch.setenv("OPENMETADATA_HOST", "http://127.0.0.1:9/api")  # a token is missing
    assert push(built).dry_run


def _validate_bodies(server, built):
    """Every recorded PUT body validates against the SDK request model of its path."""
    from metadata.generated.schema.api.lineage.addLineage import AddLineageRequest
    from metadata.generated.schema.tests.basic import TestCaseResult
    from metadata.ingestion.ometa.ometa_api import OpenMetadata

    by_path = {
        OpenMetadata.get_suffix(type(getattr(built, k)[0])): type(getattr(built, k)[0])
        for k in built.PAYLOAD_KINDS
    }
    for r in server.requests:
        path = r.path.split("?")[0].removeprefix("/api/v1")
        if r.method == "PUT" and path in by_path:
            by_path[path].model_validate(r.body)
        elif r.method == "PUT" and path == "/lineage":
            AddLineageRequest.model_validate(r.body)
        elif r.method == "POST":
            TestCaseResult.model_validate(r.body)


def test_push_registers_everything_then_lineage(built, standin, monkeypatch):
    from contractbook.catalog.push import push

    monkeypatch.setenv("OPENMETADATA_HOST", standin.url)
    monkeypatch.setenv("OPENMETADATA_JWT_TOKEN", TOKEN)
    report = push(built)
    assert not report.dry_run and report.registered["tables"] == len(built.tables)
    assert (
        report.registered["lineage"]
        == len(built.lineage)
        == len(standin.bodies("PUT", "/api/v1/lineage"))
    )
    assert standin.requests[0].path == "/api/v1/system/version"
    assert all(r.headers.get("Authorization") == f"Bearer {TOKEN}" for r in standin.requests)
    assert TOKEN not in report.verdict
    puts = [r.path for r in standin.requests if r.method == "PUT"]
    assert puts.index("/api/v1/tables") < puts.index("/api/v1/lineage")  # ids exist first
    _validate_bodies(standin, built)
    # lineage edges carry the ids the stand-in gave the tables
    edge = standin.bodies("PUT", "/api/v1/lineage")[0]["edge"]
    assert edge["fromEntity"]["id"] == report.ids[built.lineage[0].from_fqn]
    assert edge["lineageDetails"]["columnsLineage"][0]["toColumn"].startswith(
        built.lineage[0].to_fqn + "."
    )
    posted = standin.bodies("POST", "/api/v1/dataQuality/testCases/testCaseResults/")
    assert len(posted) == len(built.test_results)
    assert {p["testCaseStatus"] for p in posted} == {"Success", "Failed"}


def test_a_push_that_failed_half_way_can_be_rerun(built, standin):
    from contractbook.catalog.push import PushError, push

    standin.fail_after = 12
    with pytest.raises(PushError, match="rerun the push") as err:
        push(built, standin.url, TOKEN)
    assert err.value.code == 3
    standin.fail_after = None
    first = len(standin.requests)
    report = push(built, standin.url, TOKEN)
    assert report.registered["lineage"] == len(built.lineage)
    again = push(built, standin.url, TOKEN)  # and once more: same ids, nothing new
    assert again.ids == report.ids
    _validate_bodies(standin, built)
    assert len(standin.requests) > first


def test_refused_token_and_unreachable_server_are_environment_errors(built, standin):
    from contractbook.catalog.push import PushError, push

    standin.refuse = True
    with pytest.raises(PushError, match="cannot be used") as err:
        push(built, standin.url, TOKEN)
    assert err.value.code == 3 and TOKEN not in str(err.value)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(PushError, match="cannot be used"):
        push(built, f"http://127.0.0.1:{port}/api", TOKEN)
