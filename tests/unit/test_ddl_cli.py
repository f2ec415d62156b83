"""`python -m contractbook ddl`: print, write, and fail clearly."""

from __future__ import annotations

import subprocess
import sys

import pytest

from contractbook.cli import main


def test_prints_create_and_drop(contract_path, capsys):
    assert main(["ddl", "--dialect", "snowflake", str(contract_path)]) == 0
    assert 'CREATE TABLE IF NOT EXISTS "OLIST"."ORDERS"' in capsys.readouterr().out
    assert (
        main(["ddl", "--dialect", "databricks", "--drop", "--catalog", "dev", str(contract_path)])
        == 0
    )
    out = capsys.readouterr().out
    assert "DROP TABLE IF EXISTS `dev`.`olist`.`order_items`;" in out and "CREATE" not in out


def test_all_writes_every_dialect(contract_path, tmp_path, capsys):
    assert main(["ddl", "--all", "--out", str(tmp_path), str(contract_path)]) == 0
    assert len(list(tmp_path.glob("*.sql"))) == 10


def test_usage_errors(contract_path, capsys):
    assert main(["ddl", str(contract_path)]) == 2
    assert main(["ddl", "--all", str(contract_path)]) == 2
    with pytest.raises(SystemExit):
        main(["ddl", "--dialect", "oracle", str(contract_path)])


def test_broken_contract_is_reported_not_a_traceback(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("apiVersion: v3.1.0\nkind: DataContract\n", encoding="utf-8")
    assert main(["ddl", "--dialect", "duckdb", str(bad)]) == 1
    assert "error(s) in the contract" in capsys.readouterr().err


def test_help_runs_as_a_module():
    proc = subprocess.run(
        [sys.executable, "-m", "contractbook", "ddl", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "--dialect" in proc.stdout and "--catalog" in proc.stdout
