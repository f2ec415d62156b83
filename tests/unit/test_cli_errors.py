"""Every command that reads a contract reports a broken one the same way: the report, exit 1."""

from pathlib import Path

import pytest

from contractbook.cli import COMMANDS, main

BROKEN = (
    Path(__file__).resolve().parents[1]
    / "fixtures"
    / "contracts"
    / "broken"
    / "fk_missing_table.yaml"
)
ARGS = {
    "validate": [str(BROKEN)],
    "jsonschema": [str(BROKEN)],
    "ddl": ["--dialect", "duckdb", str(BROKEN)],
    "diff": [str(BROKEN), str(BROKEN)],
    "synth": ["--n-orders", "10", "--contract", str(BROKEN), "--out", "{tmp}"],
    "ingest": [str(BROKEN), "--data", "{tmp}"],
    "dlt-pipeline": [str(BROKEN), "--out", "{tmp}"],
    "generate": [str(BROKEN), "--out", "{tmp}"],
    "gx": ["suites", "--out", "{tmp}", str(BROKEN)],
    "metrics": [str(BROKEN)],
    "catalog": [str(BROKEN), "--out", "{tmp}", "--page", "{tmp}/catalog.html", "--dry-run"],
}


@pytest.mark.parametrize("command", sorted(ARGS))
def test_broken_contract_gives_report_and_exit_1(command, tmp_path, capsys):
    argv = [command, *(a.replace("{tmp}", str(tmp_path)) for a in ARGS[command])]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "fk_missing_table.yaml:31: error:" in err and "fix: point `to` at one of" in err


def test_every_contract_command_is_covered():
    assert set(ARGS) <= set(COMMANDS)
    # commands that take no contract argument: config, watch (a --contract option), databricks
    assert {"config", "watch", "databricks"} | set(ARGS) >= set(COMMANDS)
    # the benchmark harness is not part of the package: `make bench` runs `python -m benchmarks`
    assert not {"bench", "bench-ingest"} & set(COMMANDS)


def test_version(capsys):
    from contractbook import __version__
    from contractbook.cli import main

    with pytest.raises(SystemExit) as e:
        main(["--version"])
    assert e.value.code == 0
    assert capsys.readouterr().out.strip() == f"contractbook {__version__}"
