"""Measured steps run in their own process and return real figures on a tiny dataset."""

from __future__ import annotations

import json

import pytest

from benchmarks import build, harness, peer, steps
from contractbook.synth import generate


@pytest.fixture(scope="module")
def tiny(tmp_path_factory, contract):
    out = tmp_path_factory.mktemp("bench") / "raw"
    generate(contract, 300, 7, out, defects="all=1", progress=None)
    return out


def test_anchor_a_loads_every_well_formed_record_in_a_child_process(contract_path, tiny, tmp_path):
    r = harness.child(
        "duckdb_alone",
        contract=str(contract_path),
        data_dir=str(tiny),
        db_path=str(tmp_path / "a.duckdb"),
        repeats=2,
    )
    manifest = json.loads((tiny / "manifest.json").read_text())
    malformed = sum(v for k, v in manifest["defects"]["by_kind"].items() if k.startswith("csv_"))
    assert r.detail.csv_rows == manifest["total_rows"]
    # a bad record costs only itself (DuckDB's ignore_errors would skip the rest of the file)
    assert manifest["total_rows"] - malformed - 2 <= r.rows <= manifest["total_rows"]
    assert len(r.seconds) == 2 and r.peak_rss_mb > 0 and r.process_seconds > 0


@pytest.mark.slow
def test_anchor_b_dlt_loads_the_same_rows_as_anchor_a(contract_path, tiny, tmp_path):
    a = harness.child(
        "duckdb_alone",
        contract=str(contract_path),
        data_dir=str(tiny),
        db_path=str(tmp_path / "a.duckdb"),
        repeats=1,
    )
    b = harness.child(
        "dlt_replace",
        contract=str(contract_path),
        data_dir=str(tiny),
        work_dir=str(tmp_path / "dlt"),
        disposition="replace",
        repeats=1,
    )
    assert b.rows == a.rows and b.detail.disposition == "replace"


def test_a_failing_step_raises_with_its_error(tmp_path):
    with pytest.raises(harness.StepFailed, match="bench step validate failed"):
        harness.child("validate", contract=str(tmp_path / "missing.yaml"), repeats=1)


def test_a_step_past_its_time_limit_is_stopped(contract_path, tiny, tmp_path):
    with pytest.raises(harness.StepTimedOut, match="stopped after 0 s"):
        harness.child(
            "duckdb_alone",
            timeout=0.01,
            contract=str(contract_path),
            data_dir=str(tiny),
            db_path=str(tmp_path / "a.duckdb"),
            repeats=1,
        )


def test_largest_table_from_the_manifest(tiny):
    rows = json.loads((tiny / "manifest.json").read_text())["rows"]
    assert steps.largest_table(tiny) == max(rows, key=rows.get)


def test_build_copy_holds_the_dag_and_keeps_tool_state_inside(tmp_path):
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    project = build.copy_project(root, tmp_path / "p")
    assert (project / "pipeline.yaml").exists() and (project / "notebooks").is_dir()
    assert (project / "env.yaml").exists() and build.n_orders(project) > 0
    env = build.state_env(project, tmp_path / "bin")
    for key in (
        "PLOOMBER_HOME_DIR",
        "IPYTHONDIR",
        "MPLCONFIGDIR",
        "DLT_DATA_DIR",
        "JUPYTER_DATA_DIR",
    ):
        assert env[key].startswith(str(project))
    assert env["PLOOMBER_STATS_ENABLED"] == "false"
    assert env["PATH"].startswith(str(tmp_path / "bin"))


def test_task_times_parse_ploomber_summary():
    out = """name               Ran?      Elapsed (s)    Percentage
-----------------  ------  -------------  ------------
generate-data      True          3.51        12.5
gx-checks          True         20.25        72.1
emit-ddl           False         0            0
"""
    assert build.task_times(out) == {"generate-data": 3.51, "gx-checks": 20.25}


def test_peer_contract_keeps_the_schema_and_points_one_csv_server_at_the_data(
    contract_path, tmp_path
):
    import yaml

    out = peer.peer_contract(str(contract_path), tmp_path / "data", tmp_path / "dc.yaml")
    doc = yaml.safe_load(out.read_text())
    original = yaml.safe_load(contract_path.read_text())
    assert doc["schema"] == original["schema"] and doc["id"] == original["id"]
    (server,) = doc["servers"]
    assert server["type"] == "local" and server["format"] == "csv"
    assert server["path"] == str((tmp_path / "data").resolve() / "{model}.csv")


def test_peer_verdict_counts_what_datacontract_cli_reported():
    report = {
        "datacontractCliVersion": "1.2.8",
        "result": "failed",
        "checks": [
            {"model": "orders", "name": "a", "result": "passed"},
            {"model": "orders", "name": "b", "result": "failed", "reason": "3 rows"},
            {"model": "customers", "name": "c", "result": None},
        ],
        "logs": [{"level": "ERROR", "message": "CSV Error on Line: 134"}],
    }
    v = peer.verdict(report, 1)
    assert (v.checks_total, v.checks_passed, v.checks_failed, v.checks_errored) == (3, 1, 1, 0)
    assert v.result == "failed" and v.tables == ["customers", "orders"]
    assert v.first_failures == ["b: 3 rows"] and "CSV Error on Line: 134" in v.error
    empty = peer.verdict({}, 2, "No module named x")
    assert empty.result == "error" and "No module named x" in empty.error


def test_peer_missing_names_the_install(tmp_path):
    assert "make bench" in peer.missing(tmp_path / "datacontract")
    exe = tmp_path / "datacontract"
    exe.write_text("")
    assert peer.missing(exe) is None


def test_peer_rows_per_second_only_when_it_ran_every_check():
    v = peer.verdict({"result": "failed", "checks": [{"result": "failed"}, {"result": None}]}, 1)
    assert not peer.checked_all(v)  # stopped at a malformed line: one check ran, one did not
    v = peer.verdict(
        {"result": "failed", "checks": [{"result": "failed"}, {"result": "passed"}]}, 1
    )
    assert peer.checked_all(v)
