"""OpenLineage events of a task from its params/products, to a file or an HTTP stand-in."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from openlineage.client.event_v2 import RunState

from contractbook.lineage import emit
from contractbook.lineage.events import TaskRun, event
from support import http_standin
from support.openlineage_check import Invalid, validate

ROOT = Path(__file__).resolve().parents[2]
CURATED = ROOT / "tests" / "fixtures" / "catalog" / "curated.yaml"


def _warehouse(path: Path, contract, run_id: str) -> Path:
    con = duckdb.connect(str(path))
    con.execute("CREATE SCHEMA olist")
    con.execute(
        "CREATE TABLE olist._run_metrics (run_id VARCHAR, table_name VARCHAR, rows_read "
        "BIGINT, rows_loaded BIGINT, rows_rejected BIGINT, rejected_by_reason VARCHAR, "
        "warnings_by_rule VARCHAR)"
    )
    for t in contract.tables:
        bad = {"orders.order_id.pattern": 2} if t.name == "orders" else {}
        con.execute(
            "INSERT INTO olist._run_metrics VALUES (?, ?, 50, ?, ?, ?, '{}')",
            [run_id, t.name, 50 - sum(bad.values()), sum(bad.values()), json.dumps(bad)],
        )
    con.close()
    return path


def _ingest_run(tmp_path, contract, started) -> TaskRun:
    run_id = (started + timedelta(seconds=1)).strftime("%Y%m%dT%H%M%SZ-") + "0123abcd"
    wh = _warehouse(tmp_path / "warehouse.duckdb", contract, run_id)
    return TaskRun(
        "ingest",
        {
            "contract": str(ROOT / "contracts/olist_mini/contract.yaml"),
            "raw_dir": str(tmp_path / "raw"),
            "destination": "duckdb",
        },
        {"nb": str(tmp_path / "ingest.html"), "data": str(wh)},
        "01934a57-1d5e-7f6c-8d3b-3e8c2a1b0c9d",
        started,
        ("01934a57-0000-7000-8000-000000000000", "contractbook.build"),
        ROOT,
    )


def test_start_declares_datasets_and_complete_carries_results(tmp_path, contract):
    run = _ingest_run(tmp_path, contract, datetime.now(UTC) - timedelta(seconds=5))
    start = json.loads(json.dumps(_dict(event(run, RunState.START))))
    done = json.loads(json.dumps(_dict(event(run, RunState.COMPLETE))))
    for e in (start, done):
        validate(e)
        assert e["job"]["name"] == "olist_mini.ingest"
        assert e["run"]["facets"]["parent"]["run"]["runId"].startswith("01934a57-0000")
    assert start["eventType"] == "START" and done["eventType"] == "COMPLETE"
    raw = {Path(d["name"]).name: d for d in done["inputs"] if d["name"].endswith(".csv")}
    assert set(raw) == {f"{t}.csv" for t in contract.table_names}
    orders = raw["orders.csv"]
    assert [f["name"] for f in orders["facets"]["schema"]["fields"]] == contract.table(
        "orders"
    ).column_names
    assert orders["facets"]["schema"]["fields"][0]["type"] == "varchar(32)"
    asserts = {a["name"]: a for a in orders["inputFacets"]["dataQualityAssertions"]["assertions"]}
    assert set(asserts) == {r.id for r in contract.rules_for("orders")}
    assert (
        asserts["orders.order_id.pattern"]["success"],
        asserts["orders.order_id.pattern"]["actual"],
    ) == (False, "2")
    assert asserts["orders.order_id.required"]["success"] is True
    assert orders["inputFacets"]["dataQualityMetrics"]["rowCount"] == 50
    outs = {d["name"]: d for d in done["outputs"]}
    assert outs["olist.orders"]["outputFacets"]["outputStatistics"]["rowCount"] == 48
    assert outs["olist.orders__rejects"]["facets"]["dataQualityMetrics"]["rowCount"] == 2
    # START knows the datasets, not yet the results
    assert not any(d.get("inputFacets") for d in start["inputs"])


def test_results_of_an_older_run_are_not_attached(tmp_path, contract):
    run = _ingest_run(tmp_path, contract, datetime.now(UTC) - timedelta(seconds=5))
    later = TaskRun(
        run.task,
        run.params,
        run.products,
        run.run_id,
        datetime.now(UTC) + timedelta(hours=1),
        None,
        ROOT,
    )
    done = _dict(event(later, RunState.COMPLETE))
    assert not any(d.get("inputFacets") for d in done["inputs"])


def test_curated_outputs_carry_column_lineage(tmp_path, contract):
    run = TaskRun(
        "build-metrics",
        {
            "contract": str(ROOT / "contracts/olist_mini/contract.yaml"),
            "output_contract": str(CURATED),
        },
        {"data": str(tmp_path / "warehouse.duckdb")},
        "01934a57-1d5e-7f6c-8d3b-3e8c2a1b0c9e",
        datetime.now(UTC),
        None,
        ROOT,
    )
    done = _dict(event(run, RunState.COMPLETE))
    validate(done)
    daily = next(d for d in done["outputs"] if d["name"] == "curated.daily_orders")
    revenue = daily["facets"]["columnLineage"]["fields"]["revenue"]["inputFields"]
    assert [(f["name"], f["field"]) for f in revenue] == [
        ("olist.order_items", "price"),
        ("olist.order_items", "freight_value"),
    ]


def test_fail_event_has_the_error(tmp_path, contract):
    run = _ingest_run(tmp_path, contract, datetime.now(UTC))
    failed = _dict(event(run, RunState.FAIL, "RuntimeError: boom"))
    validate(failed)
    assert failed["run"]["facets"]["errorMessage"]["message"] == "RuntimeError: boom"


def test_the_checker_refuses_broken_events(tmp_path, contract):
    run = _ingest_run(tmp_path, contract, datetime.now(UTC))
    good = _dict(event(run, RunState.START))
    for broken in (
        {**good, "eventType": "BEGIN"},
        {**good, "extra": 1},
        {**good, "run": {"runId": "not-a-uuid"}},
        {**good, "eventTime": "yesterday"},
    ):
        with pytest.raises(Invalid):
            validate(broken)
    schema = json.loads(json.dumps(good))
    schema["inputs"][1]["facets"]["schema"]["fields"][0]["colour"] = "red"
    with pytest.raises(Invalid):
        validate(schema)


def test_file_transport_writes_json_lines(tmp_path, contract):
    dest = emit.destination(tmp_path / "lineage", "build-x")
    assert dest.kind == "file"
    emitter = emit.Emitter(dest)
    run = _ingest_run(tmp_path, contract, datetime.now(UTC))
    emitter.emit(event(run, RunState.START))
    emitter.emit(event(run, RunState.COMPLETE))
    lines = (tmp_path / "lineage" / "build-x.jsonl").read_text().splitlines()
    assert [validate(json.loads(x)).eventType.value for x in lines] == ["START", "COMPLETE"]


def test_http_transport_posts_to_the_stand_in_with_the_key_as_header(
    tmp_path, contract, monkeypatch
):
    server = http_standin.openlineage()
    try:
        monkeypatch.setenv("OPENLINEAGE_URL", server.url)
        monkeypatch.setenv("OPENLINEAGE_API_KEY", "ol-secret-key")
        dest = emit.destination(tmp_path / "lineage", "build-y")
        assert dest.kind == "http"
        run = _ingest_run(tmp_path, contract, datetime.now(UTC))
        emit.Emitter(dest).emit(event(run, RunState.START))
        assert len(server.requests) == 1
        sent = server.requests[0]
        assert sent.path == "/api/v1/lineage"
        assert sent.headers.get("Authorization") == "Bearer ol-secret-key"
        assert "ol-secret-key" not in json.dumps(sent.body)
        validate(sent.body)
        assert not (tmp_path / "lineage").exists()
    finally:
        server.stop()


def _dict(ev) -> dict:
    from openlineage.client.serde import Serde

    return Serde.to_dict(ev)


def test_lineage_and_the_package_never_import_the_openmetadata_sdk():
    import subprocess
    import sys

    code = (
        "import sys, contractbook, contractbook.catalog, contractbook.catalog.step, "
        "contractbook.lineage.executor, contractbook.lineage.events; "
        "sys.exit('metadata' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
