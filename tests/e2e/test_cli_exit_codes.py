"""Anticipated failures end in one line naming cause and fix, with their exit code (processes)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from contractbook.ingest import runlock

CLEAN = Path(__file__).resolve().parents[1] / "fixtures" / "ingest" / "clean"
MARKER = "pw-MARKER-0xC0FFEE"


def cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """`python -m contractbook ARGS` in its own process."""
    return subprocess.run(
        [sys.executable, "-m", "contractbook", *args],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **(env or {})},
    )


def one_line(proc, code: int) -> str:
    """The single stderr line of a failed run (exit code checked, no traceback)."""
    assert proc.returncode == code, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    return lines[0]


def ingest_args(contract_path, tmp_path, *extra) -> list[str]:
    return [
        "ingest",
        str(contract_path),
        "--data",
        str(CLEAN),
        "--state",
        str(tmp_path / "st"),
        "--rejects",
        str(tmp_path / "rj"),
        *extra,
    ]


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again on return: nothing listens there


def test_unreachable_postgres_is_exit_3_without_the_password(contract_path, tmp_path):
    port = closed_port()
    dsn = f"postgresql://loader:{MARKER}@127.0.0.1:{port}/shop"
    proc = cli(
        *ingest_args(contract_path, tmp_path, "--destination", "postgres"),
        env={"DESTINATION__POSTGRES__CREDENTIALS": dsn},
    )
    line = one_line(proc, 3)
    assert line.startswith(f"ingest: cannot reach postgres://127.0.0.1:{port}/shop (")
    assert "DESTINATION__POSTGRES__CREDENTIALS" in line and MARKER not in proc.stdout + proc.stderr


def test_missing_postgres_credentials_name_the_variable(contract_path, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESTINATION__")}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "contractbook",
            *ingest_args(contract_path, tmp_path, "--destination", "postgres"),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
        cwd=tmp_path,
    )
    assert one_line(proc, 3) == (
        "ingest: no usable credentials for postgres: set "
        "DESTINATION__POSTGRES__CREDENTIALS in the environment (or "
        ".dlt/secrets.toml)"
    )


def test_held_lock_is_exit_3_naming_the_run(contract_path, tmp_path):
    wh = tmp_path / "wh.duckdb"
    locks = runlock.lock_files(wh, f"duckdb:{wh}", tmp_path / "st")
    with runlock.exclusive(locks, "20260101T000000Z-holder"):
        proc = cli(*ingest_args(contract_path, tmp_path, "--warehouse", str(wh)))
    line = one_line(proc, 3)
    assert line.startswith("ingest: warehouse busy: run 20260101T000000Z-holder since ")
    assert not wh.exists()


def test_warehouse_under_a_file_is_exit_2(contract_path, tmp_path):
    (tmp_path / "afile").write_text("x")
    proc = cli(
        *ingest_args(contract_path, tmp_path, "--warehouse", str(tmp_path / "afile/w.duckdb"))
    )
    assert one_line(proc, 2) == (
        f"ingest: {tmp_path / 'afile'}: Not a directory; a parent of this "
        "path is a file: choose a path inside a folder"
    )


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="needs Linux /proc")
def test_warehouse_in_proc_is_exit_2(contract_path, tmp_path):
    proc = cli(*ingest_args(contract_path, tmp_path, "--warehouse", "/proc/w.duckdb"))
    line = one_line(proc, 2)
    assert line.startswith("ingest: /proc/w.duckdb.lock: ") and "folder must exist" in line


CONTRACT_ARGS = {
    "validate": [],
    "jsonschema": [],
    "ddl": ["--dialect", "duckdb"],
    "ingest": ["--data", str(CLEAN)],
    "dlt-pipeline": ["--out", "{tmp}"],
}


@pytest.mark.parametrize("command", sorted(CONTRACT_ARGS))
def test_contract_path_that_is_a_directory_is_exit_2(command, contract_path, tmp_path):
    args = [
        command,
        str(contract_path.parent),
        *(a.replace("{tmp}", str(tmp_path)) for a in CONTRACT_ARGS[command]),
    ]
    assert one_line(cli(*args), 2) == (
        f"{command}: {contract_path.parent}: Is a directory; pass a file, not a directory"
    )


def test_gx_check_refuses_a_password_in_the_url(contract_path, tmp_path):
    url = f"postgresql://loader:{MARKER}@127.0.0.1:{closed_port()}/shop"
    proc = cli(
        "gx",
        "check",
        "--url",
        url,
        "--target",
        "postgres",
        "--state",
        str(tmp_path / "s"),
        "--docs",
        str(tmp_path / "docs"),
        str(contract_path),
    )
    assert one_line(proc, 2).startswith("gx: --url holds a password, which GX would save")
    assert MARKER not in proc.stderr and not (tmp_path / "s").exists()


def test_gx_check_on_an_unreachable_server_is_exit_3(contract_path, tmp_path):
    url = f"postgresql://loader:{MARKER}@127.0.0.1:{closed_port()}/shop"
    proc = cli(
        "gx",
        "check",
        "--url",
        "${PG_URL}",
        "--target",
        "postgres",
        "--state",
        str(tmp_path / "s"),
        "--docs",
        str(tmp_path / "docs"),
        str(contract_path),
        env={"PG_URL": url},
    )
    line = one_line(proc, 3)
    assert (
        line.startswith("gx: Attempt to connect to datasource failed")
        and "Connection refused" in line
    )
    assert line.endswith("(the password belongs in the environment)") and MARKER not in line


@pytest.mark.parametrize("option,value", [("--memory-limit", "abc"), ("--wait", "soon")])
def test_bad_option_value_is_exit_2(option, value, contract_path, tmp_path):
    line = one_line(cli(*ingest_args(contract_path, tmp_path, option, value)), 2)
    assert line.startswith(f"python -m contractbook ingest: argument {option}: invalid ")
    assert "e.g." in line and line.endswith("(see python -m contractbook ingest --help)")


def test_apostrophes_in_paths_are_data_not_sql(contract_path, tmp_path):
    from contractbook.ingest.report import samples

    raw = Path(shutil.copytree(CLEAN, tmp_path / "it's raw"))
    orders = (raw / "orders.csv").read_text().splitlines()
    orders[3] = orders[3].replace("created", "lost")
    (raw / "orders.csv").write_text("\n".join(orders) + "\n")
    folder = tmp_path / "o'brien's"
    refused = cli("ingest", str(contract_path), "--data", str(raw), "--state", str(folder / "st"))
    assert one_line(refused, 2) == (
        f"ingest: {folder / 'st'}: dlt cannot load from a state "
        "directory whose path holds an apostrophe; choose another --state"
    )
    proc = cli(
        "ingest",
        str(contract_path),
        "--data",
        str(raw),
        "--state",
        str(tmp_path / "st"),
        "--rejects",
        str(folder / "rj'"),
        "--warehouse",
        str(folder / "w'h.duckdb"),
    )
    assert proc.returncode == 0, proc.stderr
    run_id = proc.stdout.strip().splitlines()[-1].split("(run ")[1].split()[0]
    parquet = sorted(
        p.relative_to(folder / "rj'").parts[0] for p in (folder / "rj'").rglob("*.parquet")
    )
    assert parquet == [
        "reason=order_reviews.foreign_key.order_reviews_order",
        "reason=orders.order_status.allowed_values",
    ]
    assert set(samples(folder / "rj'", run_id)) == {"orders", "order_reviews"}


def test_help_lists_the_exit_codes():
    for args in ([], ["ingest"], ["validate"]):
        out = " ".join(cli(*args, "--help").stdout.split())
        assert (
            "exit codes: 0 ok; 1 the data or the contract failed its checks; 2 usage or input "
            "error; 3 environment: destination unreachable, credentials refused, busy, disk "
            "full" in out
        )


def test_rows_a_warehouse_table_refuses_are_exit_3_and_leave_nothing_pending(
    contract_path, contract, tmp_path
):
    """A table of other column types: one line naming it, the same again (no stale package
    replayed), the failure in the run history; once the table is dropped the next run loads."""
    import duckdb

    from contractbook.contract import naming
    from contractbook.sqltext import ident

    wh = tmp_path / "wh.duckdb"
    schema = ident(naming.loaded_dataset(contract, "duckdb"), "duckdb")
    table = contract.table("sellers")
    with duckdb.connect(str(wh)) as con:
        con.execute(f"CREATE SCHEMA {schema}")
        cols = ", ".join(f"{ident(c.physical, 'duckdb')} INTEGER" for c in table.columns)
        con.execute(f"CREATE TABLE {schema}.{ident(table.physical, 'duckdb')} ({cols})")
    args = ingest_args(contract_path, tmp_path, "--warehouse", str(wh))
    lines = [one_line(cli(*args), 3) for _ in range(2)]
    assert lines[0] == lines[1]
    assert f"refused the rows of table '{table.physical}' (Conversion Error" in lines[0]
    assert "drop or fix that table" in lines[0] and "nothing is left pending" in lines[0]
    pending = list((tmp_path / "st").glob("*/load/normalized/*"))
    assert pending == []
    with duckdb.connect(str(tmp_path / "runs.duckdb"), read_only=True) as con:
        errors = [
            r[0] for r in con.sql("SELECT error FROM _runs WHERE status = 'failed'").fetchall()
        ]
    assert len(errors) == 2 and all("refused the rows of table" in e for e in errors), errors
    with duckdb.connect(str(wh)) as con:
        con.execute(f"DROP TABLE {schema}.{ident(table.physical, 'duckdb')}")
    proc = cli(*args)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    with duckdb.connect(str(wh), read_only=True) as con:
        n = con.execute(f"SELECT count(*) FROM {schema}.{ident(table.physical, 'duckdb')}")
        assert n.fetchall()[0][0] == sum(1 for _ in open(CLEAN / "sellers.csv")) - 1


def test_a_warehouse_enforcing_the_contracts_foreign_keys_is_one_line_naming_the_fix(
    contract_path, contract, tmp_path
):
    """The DuckDB DDL's enforced FOREIGN KEYs refuse dlt's load: the line says why and how."""
    import duckdb

    from contractbook.ddl import create

    wh = tmp_path / "wh.duckdb"
    with duckdb.connect(str(wh)) as con:
        con.execute(create(contract, "duckdb"))
    line = one_line(cli(*ingest_args(contract_path, tmp_path, "--warehouse", str(wh))), 3)
    assert "foreign key" in line.lower() and "create the tables without FOREIGN KEY" in line
    assert "ddl --no-foreign-keys" in line


def test_the_ddl_without_foreign_keys_is_a_warehouse_ingest_loads_and_merges_into(
    contract_path, contract, tmp_path
):
    """The fix that line names: `ddl --no-foreign-keys` run in the warehouse, then two ingests."""
    import duckdb

    from contractbook.contract import naming
    from contractbook.sqltext import ident

    proc = cli("ddl", str(contract_path), "--dialect", "duckdb", "--no-foreign-keys")
    assert proc.returncode == 0, proc.stderr
    code = [x for x in proc.stdout.splitlines() if not x.lstrip().startswith("--")]
    assert not any("FOREIGN KEY" in x for x in code)
    assert any("NOT CREATED (no foreign keys asked for)" in x for x in proc.stdout.splitlines())
    wh = tmp_path / "wh.duckdb"
    with duckdb.connect(str(wh)) as con:
        con.execute(proc.stdout)
    for _ in range(2):
        run = cli(*ingest_args(contract_path, tmp_path, "--warehouse", str(wh)))
        assert run.returncode == 0, run.stdout + run.stderr
    schema = ident(naming.loaded_dataset(contract, "duckdb"), "duckdb")
    with duckdb.connect(str(wh), read_only=True) as con:
        for t in contract.tables:
            rows = con.execute("SELECT count(*) FROM read_csv(?)", [str(CLEAN / f"{t.name}.csv")])
            rows = rows.fetchall()[0][0]
            n = con.execute(f"SELECT count(*) FROM {schema}.{ident(t.physical, 'duckdb')}")
            assert n.fetchall()[0][0] == rows, t.name  # the clean files: every row, once
    assert one_line(cli("ddl", str(contract_path), "--all", "--out", "x", "--no-foreign-keys"), 2)
