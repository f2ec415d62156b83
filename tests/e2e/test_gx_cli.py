"""`python -m contractbook gx suites|check` in-process: files written, exit codes."""

from __future__ import annotations

from pathlib import Path

from contractbook.cli import main
from support.gx_data import ROWS, load_duckdb, write_csvs

GENERATED = Path(__file__).resolve().parents[2] / "contracts" / "olist_mini" / "generated" / "gx"


def test_suites_command_writes_the_committed_files(contract_path, tmp_path, capsys):
    assert main(["gx", "suites", "--out", str(tmp_path), str(contract_path)]) == 0
    for path in GENERATED.rglob("*.json"):
        assert (tmp_path / path.relative_to(GENERATED)).read_text() == path.read_text()
    assert "wrote 9 duckdb suites" in capsys.readouterr().out


def test_check_command_exit_codes(contract, contract_path, tmp_path, capsys):
    rows = {
        **ROWS,
        "orders": [r[:2] + ["lost"] + r[3:] for r in ROWS["orders"][:1]] + ROWS["orders"][1:],
    }
    raw = write_csvs(contract, tmp_path / "raw", rows)
    db = load_duckdb(contract, raw, tmp_path / "w.duckdb")
    args = [
        "gx",
        "check",
        "--csv",
        str(raw),
        "--url",
        f"duckdb:///{db}",
        "--state",
        str(tmp_path / "state"),
        "--docs",
        str(tmp_path / "docs"),
        str(contract_path),
    ]
    assert main(args) == 1
    out = capsys.readouterr().out
    assert "FAIL orders orders.order_status.allowed_values: 1 failing" in out
    assert (tmp_path / "docs" / "index.html").is_file()
    assert main([*args[:2], "--warn-only", *args[2:]]) == 0


def test_missing_csv_is_a_message_not_a_traceback(contract_path, tmp_path, capsys):
    from contractbook.cli import main

    code = main(
        [
            "gx",
            "check",
            "--csv",
            str(tmp_path / "none"),
            "--state",
            str(tmp_path / "s"),
            "--docs",
            str(tmp_path / "d"),
            str(contract_path),
        ]
    )
    err = capsys.readouterr().err
    assert code == 1 and "customers.csv: file not found" in err and "Traceback" not in err
    assert "9 of 9 input file(s) unusable" in err  # every missing file named at once
