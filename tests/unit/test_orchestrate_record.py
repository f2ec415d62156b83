"""CLI commands that do runs write the one run history (`_runs`, origin `cli`)."""

from __future__ import annotations

import argparse
import json

import duckdb
import yaml

from contractbook.cli import main
from contractbook.orchestrate import record


def _rows(store):
    with duckdb.connect(str(store), read_only=True) as con:
        return con.execute(
            "SELECT task, status, origin, parameters, contract_version, "
            "git_commit, error, ended_at >= started_at FROM _runs"
        ).fetchall()


def test_a_command_run_is_one_row_with_its_parameters_and_contract(tmp_path, contract_path):
    out = tmp_path / "d" / "raw"
    assert (
        main(
            [
                "synth",
                "--n-orders",
                "3",
                "--out",
                str(out),
                "--quiet",
                "--contract",
                str(contract_path),
            ]
        )
        == 0
    )
    ((task, status, origin, params, version, commit, error, ordered),) = _rows(
        tmp_path / "d" / "runs.duckdb"
    )
    assert (task, status, origin, error, ordered) == ("synth", "completed", "cli", None, True)
    assert json.loads(params)["n_orders"] == 3
    assert version == yaml.safe_load(contract_path.read_text())["version"]
    assert commit  # the checkout's commit


def test_a_failing_command_is_a_failed_row_and_keeps_its_exit_code(tmp_path, contract_path):
    wh = tmp_path / "none" / "wh.duckdb"
    code = main(["metrics", str(contract_path), "--warehouse", str(wh)])
    assert code != 0
    ((task, status, origin, *_rest, error, _),) = _rows(tmp_path / "none" / "runs.duckdb")
    assert (task, status, origin) == ("metrics", "failed", "cli") and error


def test_commands_that_do_no_run_write_nothing(tmp_path, contract_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["validate", str(contract_path)]) == 0
    assert not (tmp_path / "data").exists()


def test_parameters_hold_no_secret():
    args = argparse.Namespace(
        command="gx",
        url="postgresql://u:pw@h/db",
        token="t0k",
        csv="s3://user:pw@bucket/x",
        mostly="0.9",
        _module="m",
    )
    params = json.loads(record.parameters(args))
    assert params == {"command": "gx", "csv": "s3://***@bucket/x", "mostly": "0.9"}
