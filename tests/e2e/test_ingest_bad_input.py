"""Bad input files: each case has a clear outcome and no row is lost (checked without dlt, fast)."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from contractbook.ingest.read import IngestError
from contractbook.ingest.run import check_all, new_run

CLEAN = Path(__file__).resolve().parents[1] / "fixtures" / "ingest" / "clean"


@pytest.fixture
def data(tmp_path) -> Path:
    """A writable copy of the clean fixture dataset (every table, every row valid)."""
    return Path(shutil.copytree(CLEAN, tmp_path / "raw"))


def _checks(contract, data):
    con = duckdb.connect()
    checks = check_all(con, contract, data, new_run(), progress=lambda *_: None)
    rejects = {
        t: con.execute(
            f'SELECT source_line, reject_reasons, raw_line FROM work."rej_{t}" ORDER BY source_line'
        ).fetchall()
        for t in checks
    }
    accepted = {t: con.execute(f'SELECT * FROM ok."{t}"').fetchall() for t in checks}
    return checks, rejects, accepted


def _rows(path: Path) -> list[str]:
    return path.read_text().splitlines()


def _write(path: Path, lines: list[str], newline="\n", prefix=b""):
    path.write_bytes(prefix + (newline.join(lines) + newline).encode())


def _balanced(checks):
    return all(c.read == c.accepted + c.rejected for c in checks.values())


def test_clean_data_loads_every_row(contract, data):
    checks, rejects, _ = _checks(contract, data)
    assert all(c.rejected == 0 and c.read == c.accepted > 0 for c in checks.values())
    assert checks["order_reviews"].read == 3  # one record spans two physical lines


def test_missing_file_is_an_error_naming_it(contract, data):
    (data / "sellers.csv").unlink()
    with pytest.raises(IngestError, match=r"sellers\.csv: file not found"):
        _checks(contract, data)


def test_empty_and_header_only_files_read_zero_rows(contract, data):
    (data / "geolocation.csv").write_bytes(b"")
    _write(data / "order_reviews.csv", _rows(data / "order_reviews.csv")[:1])
    checks, _, _ = _checks(contract, data)
    assert (checks["geolocation"].read, checks["order_reviews"].read) == (0, 0)
    assert any("empty file" in n for n in checks["geolocation"].notes)
    assert not checks["order_reviews"].notes and _balanced(checks)


def test_extra_missing_and_reordered_columns(contract, data):
    rows = [r.split(",") for r in _rows(data / "sellers.csv")]
    _write(
        data / "sellers.csv",
        [",".join([r[3], r[0], r[2], r[1], "x" if i else "extra"]) for i, r in enumerate(rows)],
    )
    orders = [r.split(",") for r in _rows(data / "orders.csv")]
    _write(data / "orders.csv", [",".join(r[:4] + r[5:]) for r in orders])  # no order_approved_at
    geo = [r.split(",") for r in _rows(data / "geolocation.csv")]
    _write(
        data / "geolocation.csv", [",".join(r[:4]) for r in geo]
    )  # no geolocation_state (required)
    checks, rejects, accepted = _checks(contract, data)
    assert checks["sellers"].accepted == 2 and any("extra" in n for n in checks["sellers"].notes)
    assert any("another order" in n for n in checks["sellers"].notes)
    assert sorted(accepted["sellers"])[0][1:] == ("04195", "sao paulo", "SP")  # matched by name
    assert checks["orders"].accepted == 3
    assert all(row[4] is None for row in accepted["orders"])
    assert checks["geolocation"].rejected == 3 and any(
        "lacks" in n for n in checks["geolocation"].notes
    )
    assert {r[1] for r in rejects["geolocation"]} == {'["geolocation.geolocation_state.required"]'}
    assert _balanced(checks)


def test_bom_and_crlf_line_endings(contract, data):
    for name in ("orders", "order_reviews"):
        text = (data / f"{name}.csv").read_bytes().replace(b"\n", b"\r\n")
        (data / f"{name}.csv").write_bytes(b"\xef\xbb\xbf" + text)
    checks, rejects, accepted = _checks(contract, data)
    assert checks["orders"].accepted == 3 and checks["order_reviews"].accepted == 3
    assert not any("\r" in (v or "") for row in accepted["orders"] for v in map(str, row))
    message = [r[4] for r in accepted["order_reviews"] if r[4] and "prazo" in r[4]][0]
    assert (
        message == 'Recebi bem antes do prazo.\r\nProduto "excelente", recomendo.'
    )  # kept exactly


def test_malformed_lines_are_rejects_with_line_and_text(contract, data):
    rows = _rows(data / "order_reviews.csv")  # 5 physical lines, record 3 spans lines 3-4
    good = rows[1]
    rows += [good + ",extra", good.replace(",4,", ',"4"x,'), good.split(",")[0] + ",short"]
    text = (
        ("\n".join(rows) + "\n").encode() + good.replace("Não", "N\xe3o").encode("latin-1") + b"\n"
    )
    (data / "order_reviews.csv").write_bytes(text)
    checks, rejects, _ = _checks(contract, data)
    got = {line: reasons for line, reasons, _ in rejects["order_reviews"]}
    assert got == {
        6: '["order_reviews.csv.column_count"]',
        7: '["order_reviews.csv.quoting"]',
        8: '["order_reviews.csv.column_count"]',
        9: '["order_reviews.csv.encoding"]',
    }
    assert [r[2] for r in rejects["order_reviews"]][2] == good.split(",")[0] + ",short"
    c = checks["order_reviews"]
    assert (c.read, c.accepted, c.rejected, c.malformed) == (7, 3, 4, 4)


def test_rule_rejects_cascade_to_children_by_accepted_keys(contract, data):
    orders = _rows(data / "orders.csv")
    orders[1] = orders[1].replace("delivered", "teleported")
    _write(data / "orders.csv", orders)
    checks, rejects, _ = _checks(contract, data)
    assert rejects["orders"] == [(2, '["orders.order_status.allowed_values"]', None)]
    # o1's two items, two payments and review reference an order that was not accepted
    assert [r[1] for r in rejects["order_items"]] == [
        '["order_items.foreign_key.order_items_order"]'
    ] * 2
    assert checks["order_payments"].rejected == 2 and checks["order_reviews"].rejected == 1
    assert _balanced(checks)


def test_sql_rule_rejects_the_rows_it_returns(contract, data):
    orders = _rows(data / "orders.csv")
    orders[2] = orders[2].replace(
        "2018-07-26 03:24:27", "2018-07-01 03:24:27"
    )  # approved < purchase
    _write(data / "orders.csv", orders)
    checks, rejects, _ = _checks(contract, data)
    assert rejects["orders"] == [(3, '["orders.sql.order_timestamps_ordered"]', None)]


def test_rejects_keep_raw_values_as_written(contract, data):
    """A row rejected by a key rule keeps its values exactly as written, even where the typed value
    prints differently ('+2' for 2, '10.5' for 10.50), and a row with a failed cast keeps the bad
    text."""
    items = _rows(data / "order_items.csv")
    dup = items[2].split(",")
    dup[1], dup[5] = "+2", "10.5"  # same key as line 3 once typed: a later duplicate
    bad = items[1].split(",")
    bad[1], bad[4] = "9", "2017-13-45 99:00:00"  # unique key, broken timestamp
    _write(data / "order_items.csv", [*items, ",".join(dup), ",".join(bad)])
    con = duckdb.connect()
    got = check_all(con, contract, data, new_run(), progress=lambda *_: None)["order_items"]
    rows = con.execute(
        "SELECT order_item_id, shipping_limit_date, price, reject_reasons, "
        'source_line FROM work."rej_order_items" ORDER BY source_line'
    ).fetchall()
    n = len(items)
    assert rows == [
        ("+2", dup[4], "10.5", '["order_items.primary_key"]', n + 1),
        ("9", "2017-13-45 99:00:00", bad[5], '["order_items.shipping_limit_date.type"]', n + 2),
    ]
    assert got.rejected == 2 and got.read == got.accepted + got.rejected
