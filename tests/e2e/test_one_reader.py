"""One reader: the same files through ingest, GX pre-load, the JSON Schema sample and the test
oracle give the same verdict (records read, malformed lines, or the same refusal)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import duckdb
import pytest

from contractbook.ingest.run import check_all, ingest, new_run
from contractbook.jsonschema import check_sample
from contractbook.reading.files import ReadError
from contractbook.reading.find import sources
from support.kaggle import kaggle_name, write_kaggle
from support.readback import read

HERE = Path(__file__).resolve().parents[1]
CLEAN = HERE / "fixtures" / "ingest" / "clean"
sys.path.insert(0, str(HERE / "e2e"))
from test_hostile_csv import BY_NAME, cases  # noqa: E402

GX_CASES = (
    "stray_quote_all_quoted",
    "bare_cr_in_lf_file",
    "latin1_bytes",
    "blank_and_whitespace_lines",
    "bom_crlf_quoted_header",
    "gzip_named_csv",
    "utf16",
)


def _lines_ingest(contract, data):
    con = duckdb.connect()
    checks = check_all(con, contract, data, new_run(), progress=lambda *_: None)
    if checks["sellers"].error:
        return ("refused", checks["sellers"].error)
    bad = con.execute(
        'SELECT source_line FROM work."rej_sellers" WHERE raw_bytes IS NOT NULL ORDER BY 1'
    ).fetchall()
    return (checks["sellers"].read - len(bad), [b[0] for b in bad])


def _lines_sample(contract, data):
    try:
        v = check_sample(contract, data, n=10_000)
    except ReadError as e:
        return ("refused", str(e))
    bad = sorted(x.record for x in v if x.table == "sellers" and "malformed CSV" in x.message)
    good = len(read(data / "sellers.csv").records)  # rows counted by the oracle, lines by sample
    return (good, bad)


def _lines_oracle(data):
    try:
        r = read(data / "sellers.csv")
    except ReadError as e:
        return ("refused", str(e))
    return (len(r.records), sorted(line for line, _ in r.malformed))


def _lines_gx(contract, data, tmp_path):
    from contractbook.gx.context import open_context
    from contractbook.gx.runner import run_preload

    ctx = open_context(tmp_path / "gx", tmp_path / "docs")
    try:
        run = run_preload(ctx, contract, data, tables=["sellers"])
    except ReadError as e:
        return ("refused", str(e))
    t = run.tables[0]
    rows = next(
        c.observed for c in t.checks if c.expectation == "expect_table_row_count_to_be_between"
    )
    return (rows, sorted(int(x) for x in t.malformed["line"]))


def _data(tmp_path, case):
    data = Path(shutil.copytree(CLEAN, tmp_path / "raw"))
    cases.write(case, data / "sellers.csv")
    return data


@pytest.mark.parametrize("name", [c.name for c in cases.CASES if not c.preflight])
def test_same_verdict_in_ingest_sample_and_oracle(contract, tmp_path, name):
    data = _data(tmp_path, BY_NAME[name])
    verdicts = [_lines_ingest(contract, data), _lines_sample(contract, data), _lines_oracle(data)]
    if verdicts[0][0] == "refused":
        assert all(v[0] == "refused" for v in verdicts), verdicts
        assert len({v[1].split(": ", 1)[-1] for v in verdicts}) == 1, verdicts
    else:
        assert verdicts[0] == verdicts[1] == verdicts[2]
        assert verdicts[0][1] == [
            line
            for line, k in zip(BY_NAME[name].rejected_lines, BY_NAME[name].kinds, strict=True)
            if k.startswith("csv.")
        ]


@pytest.mark.slow
@pytest.mark.parametrize("name", GX_CASES)
def test_same_verdict_in_gx_preload(contract, tmp_path, name):
    data = _data(tmp_path, BY_NAME[name])
    ing, gx = _lines_ingest(contract, data), _lines_gx(contract, data, tmp_path)
    if ing[0] == "refused":
        assert gx[0] == "refused" and ing[1].split(": ", 1)[-1] == gx[1].split(": ", 1)[-1]
    else:
        assert ing == gx


def test_kaggle_download_ingests_as_published(contract, tmp_path):
    kag = write_kaggle(CLEAN, tmp_path / "kaggle")
    paths = sources(contract, kag, "kaggle")
    assert {p.name for p in paths.values()} == {kaggle_name(t) for t in contract.table_names}
    r = ingest(
        contract,
        kag,
        warehouse=tmp_path / "wh.duckdb",
        rejects_dir=tmp_path / "rej",
        state_dir=tmp_path / "state",
        progress=lambda *_: None,
        server="kaggle",
    )
    assert r.ok and all(a.rejected == 0 and a.read > 0 for a in r.accounting())
    con = duckdb.connect(str(tmp_path / "wh.duckdb"), read_only=True)
    assert con.execute(
        "SELECT seller_zip_code_prefix FROM olist.sellers ORDER BY 1"
    ).fetchall() == [("04195",), ("22041",)]
    msg = con.execute(
        "SELECT review_comment_message FROM olist.order_reviews WHERE review_id LIKE "
        "'7c92%' AND review_comment_message IS NOT NULL"
    ).fetchall()[0][0]
    assert msg.endswith('\r\nAdorei, "recomendo", nota 5')
    # the same files through the sample check and the GX pre-load: no malformed record anywhere
    assert not check_sample(contract, kag, n=100, paths=paths)


@pytest.mark.slow
def test_kaggle_download_passes_gx_preload(contract, tmp_path):
    from contractbook.gx.context import open_context
    from contractbook.gx.runner import run_preload

    kag = write_kaggle(CLEAN, tmp_path / "kaggle")
    ctx = open_context(tmp_path / "gx", tmp_path / "docs")
    run = run_preload(ctx, contract, kag, paths=sources(contract, kag, "kaggle"))
    assert all(len(t.malformed) == 0 for t in run.tables)
    assert not [c for c in run.errors], [(c.table, c.rule_id, c.sample) for c in run.errors]


def test_missing_kaggle_files_listed_at_once_and_nothing_created(contract, tmp_path):
    kag = write_kaggle(CLEAN, tmp_path / "kaggle")
    (kag / "olist_orders_dataset.csv").unlink()
    (kag / "olist_sellers_dataset.csv").unlink()
    with pytest.raises(
        ReadError,
        match=r"2 of 9 input file\(s\) unusable: .*olist_sellers_dataset"
        r"\.csv: file not found; .*olist_orders_dataset\.csv",
    ):
        ingest(
            contract,
            kag,
            warehouse=tmp_path / "wh.duckdb",
            rejects_dir=tmp_path / "rej",
            state_dir=tmp_path / "state",
            progress=lambda *_: None,
            server="kaggle",
        )
    assert not (tmp_path / "wh.duckdb").exists() and not (tmp_path / "state").exists()


def test_parquet_and_jsonl_inputs(contract, tmp_path):
    data = Path(shutil.copytree(CLEAN, tmp_path / "raw"))
    con = duckdb.connect()
    for table, fmt in (("sellers", "parquet"), ("customers", "json")):
        src = data / f"{table}.csv"
        ext = "parquet" if fmt == "parquet" else "jsonl"
        con.execute(
            f"COPY (SELECT * FROM read_csv($p, all_varchar=true)) TO $o (FORMAT {fmt})",
            {"p": str(src), "o": str(data / f"{table}.{ext}")},
        )
        src.unlink()
    paths = {
        **sources(contract, data),
        "sellers": data / "sellers.parquet",
        "customers": data / "customers.jsonl",
    }
    checks = check_all(
        duckdb.connect(), contract, data, new_run(), progress=lambda *_: None, paths=paths
    )
    assert all(c.error is None and c.rejected == 0 and c.read > 0 for c in checks.values())
    assert (checks["sellers"].read, checks["customers"].read) == (2, 3)
