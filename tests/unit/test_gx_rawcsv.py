"""Pre-load CSV reading: text as written, physical start lines, malformed records kept."""

from __future__ import annotations

import pytest

from contractbook.gx.rawcsv import CsvError, read_text

HEADER = "order_id,order_item_id,product_id,seller_id,shipping_limit_date,price,freight_value\n"
GOOD = "a,1,p,s,2017-01-01 00:00:00,1.00,2.00\n"


def test_text_values_lines_and_malformed_records(contract, tmp_path):
    body = (HEADER + GOOD + 'b,02,"p\nq",s,2017-01-01 00:00:00,1.00,\n' + "c,x,p,s\n" + "\n"
            + 'd,1,p"x,s,2017-01-01 00:00:00,1.00,2.00\n' + GOOD
            + 'e,1,"p"x,s,2017-01-01 00:00:00,1.00,2.00\n').encode() \
        + b"f,1,\xff,s,2017-01-01 00:00:00,1.00,2.00\n" + b'g,1,"open,s\n'
    path = tmp_path / "order_items.csv"
    path.write_bytes(body)
    raw = read_text(path, contract.table("order_items"))
    assert list(raw.frame.index) == [2, 3, 8]
    assert raw.frame.loc[3, "order_item_id"] == "02"  # as written, leading zero kept
    assert raw.frame.loc[3, "product_id"] == "p\nq"
    assert raw.frame["freight_value"].isna().tolist() == [False, True, False]
    got = raw.malformed[["line", "kind", "rule_id"]].values.tolist()
    assert got == [[5, "csv_column_count", "order_items.csv.column_count"],
                   [6, "csv_column_count", "order_items.csv.column_count"],
                   [7, "csv_quoting", "order_items.csv.quoting"],
                   [9, "csv_quoting", "order_items.csv.quoting"],
                   [10, "csv_encoding", "order_items.csv.encoding"],
                   [11, "csv_quoting", "order_items.csv.quoting"]]
    assert raw.records == 9 == len(raw.frame) + len(raw.malformed)


def test_wrong_header_names_file_and_fix(contract, tmp_path):
    path = tmp_path / "order_items.csv"
    path.write_text("order_id,price\n")
    with pytest.raises(CsvError, match="order_items.csv line 1: header"):
        read_text(path, contract.table("order_items"))
