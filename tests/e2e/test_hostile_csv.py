"""The hostile CSV corpus (tests/data/hostile_csv): exact accounting per case, exact bytes kept."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import duckdb
import pytest

from contractbook.ingest.run import check_all, new_run
from contractbook.reading.files import ReadError

HERE = Path(__file__).resolve().parents[1]
CLEAN = HERE / "fixtures" / "ingest" / "clean"
_spec = importlib.util.spec_from_file_location(
    "hostile_cases", HERE / "data" / "hostile_csv" / "cases.py"
)
cases = importlib.util.module_from_spec(_spec)
sys.modules["hostile_cases"] = cases
_spec.loader.exec_module(cases)
BY_NAME = {c.name: c for c in cases.CASES}


def run_case(contract, case, tmp_path):
    data = Path(shutil.copytree(CLEAN, tmp_path / "raw"))
    cases.write(case, data / "sellers.csv")
    con = duckdb.connect()
    checks = check_all(
        con, contract, data, new_run(), progress=lambda *_: None, work_dir=tmp_path / "work"
    )
    return con, checks, data


@pytest.mark.parametrize("name", [c.name for c in cases.CASES if not c.preflight])
def test_case_accounting(contract, tmp_path, name):
    case = BY_NAME[name]
    con, checks, data = run_case(contract, case, tmp_path)
    c = checks["sellers"]
    rej = con.execute(
        "SELECT source_line, reject_reasons, raw_bytes, source_offset, "
        'source_length FROM work."rej_sellers" ORDER BY source_line'
    ).fetchall()
    if case.error:
        assert c.error and case.error in c.error
        assert (c.read, c.accepted, c.rejected) == (0, 0, 0)
    else:
        assert c.error is None
        assert (c.read, c.accepted, c.rejected) == (
            case.read,
            case.loaded,
            len(case.rejected_lines),
        )
        assert tuple(r[0] for r in rej) == case.rejected_lines
        assert tuple(r[1] for r in rej) == tuple(f'["sellers.{k}"]' for k in case.kinds)
    assert c.read == c.accepted + c.rejected
    for n in case.notes:
        assert any(n in note for note in c.notes), c.notes
    # every malformed record keeps its exact bytes, found again at its offset in the file
    raw = data.joinpath("sellers.csv").read_bytes()
    if raw[:2] != b"\x1f\x8b" and raw[:4] != b"\x28\xb5\x2f\xfd":
        for _, reasons, b, off, n in rej:
            assert b is None or (raw[off : off + n] == b and n == len(b))
            assert b is not None or ".csv." not in reasons
    # the other tables are untouched (one broken file never stops the others)
    others = [checks[t] for t in checks if t != "sellers"]
    assert all(o.error is None and o.read > 0 and o.read == o.accepted + o.rejected for o in others)
    if case.error or case.loaded == 20:  # a failed parent's foreign keys are only warned about
        assert not any(o.rejected for o in others)
    if case.error:
        assert sum(checks["order_items"].warnings.values()) == checks["order_items"].read


def test_directory_is_refused_before_any_work(contract, tmp_path):
    data = Path(shutil.copytree(CLEAN, tmp_path / "raw"))
    cases.write(BY_NAME["directory"], data / "sellers.csv")
    (data / "orders.csv").unlink()
    with pytest.raises(
        ReadError,
        match=r"2 of 9 input file\(s\) unusable:.*sellers\.csv: is a directory.*orders\.csv: "
        r"file not found",
    ):
        check_all(duckdb.connect(), contract, data, new_run(), progress=lambda *_: None)


def test_malformed_bytes_are_kept_not_replaced(contract, tmp_path):
    con, checks, data = run_case(contract, BY_NAME["latin1_bytes"], tmp_path)
    raw, text = con.execute('SELECT raw_bytes, raw_line FROM work."rej_sellers"').fetchall()[0]
    assert b"S\xe3o" in raw and "S\\xe3o" in text


def test_ten_mb_records_are_whole(contract, tmp_path):
    con, checks, _ = run_case(contract, BY_NAME["ten_mb_field"], tmp_path)
    (city, raw), (_, bad) = con.execute(
        'SELECT seller_city, raw_bytes FROM work."rej_sellers" ORDER BY source_line'
    ).fetchall()
    assert city == "a" * cases.TEN_MB + "\nb" and raw is None  # a rule reject: its value whole
    assert len(bad) > cases.TEN_MB and bad.endswith(b",MG,extra")
