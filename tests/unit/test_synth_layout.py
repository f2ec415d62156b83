"""`synth --layout kaggle`: the published file names, header quoting, BOM, CRLF and the quirks at
their published rates, read back from the files with Python's csv module (not the generator)."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import Counter, defaultdict
from decimal import Decimal

import pytest

from contractbook.cli import main
from contractbook.reading.find import sources
from contractbook.synth import generate

N = 20_000
TRANSLATION = "product_category_name_translation"


@pytest.fixture(scope="module")
def kaggle(contract, tmp_path_factory):
    out = tmp_path_factory.mktemp("kaggle")
    return out, generate(contract, N, 5, out, progress=None, layout="kaggle")


def _rows(path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _table(kaggle, name):
    out, result = kaggle
    return _rows(out / result.files[name])


def test_file_names_are_the_contract_servers(contract, kaggle):
    out, result = kaggle
    expected = sources(contract, out, "kaggle")  # the reader's own mapping of the same server
    assert {t: out / f for t, f in result.files.items()} == expected
    assert result.files["orders"] == "olist_orders_dataset.csv"
    assert result.files[TRANSLATION] == f"{TRANSLATION}.csv"
    assert all(p.is_file() for p in expected.values())
    assert not list(out.glob("orders.csv"))


def test_header_quoted_in_eight_files_bom_and_crlf_only_on_translation(contract, kaggle):
    out, result = kaggle
    quoted = []
    for t in contract.tables:
        data = (out / result.files[t.name]).read_bytes()
        first = data.split(b"\n", 1)[0]
        names = ",".join(t.column_names).encode()
        if t.name == TRANSLATION:
            assert data.startswith(b"\xef\xbb\xbf" + names + b"\r\n")
            assert data.count(b"\n") == data.count(b"\r\n") > 1  # every line ends in CRLF
        else:
            assert not data.startswith(b"\xef\xbb\xbf")
            assert first == b",".join(b'"' + n.encode() + b'"' for n in t.column_names)
            quoted.append(t.name)
            if t.name != "order_reviews":  # no CR at all: LF records
                assert b"\r" not in data
    assert len(quoted) == 8


def test_zip_prefixes_quoted_with_leading_zeros(kaggle):
    out, result = kaggle
    for table, column in (("customers", 2), ("sellers", 1), ("geolocation", 0)):
        lines = (out / result.files[table]).read_text(encoding="utf-8").splitlines()[1:]
        fields = [line.split(",")[column] for line in lines]
        assert all(re.fullmatch(r'"[0-9]{5}"', f) for f in fields), table
        assert any(f.startswith('"0') for f in fields), table


def test_review_texts_hold_crlf_quotes_and_commas(kaggle):
    messages = [r["review_comment_message"] for r in _table(kaggle, "order_reviews")]
    assert any("\r\n" in m for m in messages)
    assert not any(re.search(r"(?<!\r)\n", m) for m in messages)  # line breaks are CRLF
    assert any('"' in m for m in messages) and any("," in m for m in messages)


def test_products_without_category_name_description_photos_at_the_published_share(kaggle):
    products = _table(kaggle, "products")
    cols = (
        "product_category_name",
        "product_name_lenght",
        "product_description_lenght",
        "product_photos_qty",
    )
    empty = [p for p in products if not p["product_category_name"]]
    assert all(not p[c] for p in empty for c in cols)
    assert 0.012 < len(empty) / len(products) < 0.025  # published: 610 of 32,951 (1.85%)


def test_two_categories_missing_from_translation(kaggle):
    known = {r["product_category_name"] for r in _table(kaggle, TRANSLATION)}
    used = {p["product_category_name"] for p in _table(kaggle, "products")} - {""}
    assert len(used - known) == 2


def test_review_ids_repeat_across_up_to_three_orders_with_identical_content(kaggle):
    reviews = _table(kaggle, "order_reviews")
    groups = defaultdict(list)
    for r in reviews:
        groups[r["review_id"]].append(r)
    sizes = Counter(len(g) for g in groups.values())
    assert max(sizes) == 3 and sizes[2] > 0 and sizes[3] > 0
    for g in groups.values():
        content = {tuple((k, v) for k, v in r.items() if k != "order_id") for r in g}
        assert len(content) == 1 and len({r["order_id"] for r in g}) == len(g)


def _stamps(kaggle):
    return [
        o
        for o in _table(kaggle, "orders")
        if o["order_status"] == "delivered"
        and o["order_approved_at"]
        and o["order_delivered_carrier_date"]
    ]


def test_carrier_before_approval_at_about_one_percent_and_a_few_early_deliveries(kaggle):
    delivered = _stamps(kaggle)
    early = [o for o in delivered if o["order_delivered_carrier_date"] < o["order_approved_at"]]
    before = [
        o
        for o in delivered
        if o["order_delivered_customer_date"] < o["order_delivered_carrier_date"]
    ]
    assert 0.010 < len(early) / len(delivered) < 0.014  # published: about 1.2%
    assert 1 <= len(before) <= max(3, len(delivered) // 1000)  # a few
    # never before the purchase: that stays a defect
    assert all(
        o[c] >= o["order_purchase_timestamp"]
        for o in delivered
        for c in (
            "order_approved_at",
            "order_delivered_carrier_date",
            "order_delivered_customer_date",
        )
    )


def test_instalment_interest_and_a_few_orders_paid_less(kaggle):
    due = defaultdict(Decimal)
    for i in _table(kaggle, "order_items"):
        due[i["order_id"]] += Decimal(i["price"]) + Decimal(i["freight_value"])
    paid, inst = defaultdict(Decimal), defaultdict(int)
    for p in _table(kaggle, "order_payments"):
        paid[p["order_id"]] += Decimal(p["payment_value"])
        inst[p["order_id"]] = max(inst[p["order_id"]], int(p["payment_installments"]))
    over = [o for o in due if o in paid and paid[o] > due[o] + Decimal("0.01")]
    under = [o for o in due if o in paid and paid[o] < due[o] - Decimal("0.01")]
    assert len(over) > len(due) // 50  # interest is common among instalment payments
    assert all(inst[o] > 1 and paid[o] <= due[o] * (1 + Decimal("0.02") * inst[o]) for o in over)
    assert 1 <= len(under) <= max(3, len(due) // 1000)


def test_same_seed_same_bytes_and_plain_layout_unchanged(contract, tmp_path):
    def digest(out, files):
        return {f: hashlib.sha256((out / f).read_bytes()).hexdigest() for f in files}

    a = generate(contract, 500, 3, tmp_path / "a", progress=None, layout="kaggle")
    b = generate(contract, 500, 3, tmp_path / "b", progress=None, layout="kaggle")
    assert digest(a.out_dir, a.files.values()) == digest(b.out_dir, b.files.values())
    plain = generate(contract, 500, 3, tmp_path / "p", progress=None)
    assert set(plain.files.values()) == {f"{t.name}.csv" for t in contract.tables}
    assert (tmp_path / "p" / "orders.csv").read_bytes().startswith(b"order_id,customer_id,")


def test_unknown_layout_is_a_clear_error(contract_path, tmp_path, capsys):
    assert (
        main(
            [
                "synth",
                "--contract",
                str(contract_path),
                "--n-orders",
                "50",
                "--layout",
                "zenodo",
                "--out",
                str(tmp_path),
                "--quiet",
            ]
        )
        == 1
    )
    err = capsys.readouterr().err
    assert "layout 'zenodo' is not known" in err and "kaggle" in err and "plain" in err


def test_generic_contract_has_only_the_plain_layout():
    from contractbook.synth import plugins
    from contractbook.synth.layout import choose

    generic = __import__(plugins.GENERIC, fromlist=["PLUGIN"]).PLUGIN
    assert choose(generic, None).name == choose(generic, "plain").name == "plain"
    with pytest.raises(ValueError, match="choose one of \\['plain'\\]"):
        choose(generic, "kaggle")


def test_planted_record_takes_the_files_terminator():
    from contractbook.synth.layout import FileStyle, header, terminate

    crlf = FileStyle(bom=True, newline="\r\n")
    assert terminate(b"a,b\n", crlf) == b"a,b\r\n" and terminate(b"a,b\r\n", crlf) == b"a,b\r\n"
    assert terminate(b"a,b\n", FileStyle()) == b"a,b\n"
    with pytest.raises(ValueError, match="LF or CRLF"):
        FileStyle(newline="\r")

    class T:
        column_names = ["x", 'y"z']

    assert header(T, FileStyle(quote_header=True)) == b'"x","y""z"\n'
    assert header(T, crlf) == io.BytesIO(b'\xef\xbb\xbfx,"y""z"\r\n').read()


def test_planted_records_keep_the_layouts_quoting(contract, tmp_path):
    result = generate(contract, 1500, 9, tmp_path, defects="all=3", progress=None, layout="kaggle")
    manifest = _rows(tmp_path / "defects.csv")
    checked = 0
    for table, column in (("customers", 2), ("sellers", 1), ("geolocation", 0)):
        lines = (tmp_path / result.files[table]).read_bytes().split(b"\n")
        for m in manifest:
            if m["table"] == table and not m["kind"].startswith("csv_"):
                field = lines[int(m["line"]) - 1].split(b",")[column]
                assert field == b"" or re.fullmatch(rb'"[^"]*"', field), (m, field)
                checked += 1
    assert checked >= 3
