"""Typed records: JSON round trips keep today's file formats, notebook views escape their text."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

from contractbook.gx import Suite, render
from contractbook.ingest import receipt
from contractbook.ingest.accounts import Account
from contractbook.ingest.check import TableCheck
from contractbook.ingest.run import IngestResult, new_run

GX = Path(__file__).resolve().parents[2] / "contracts" / "olist_mini" / "generated" / "gx"
RECEIPT_KEYS = [
    "run_id",
    "status",
    "destination",
    "location",
    "contract_id",
    "contract_version",
    "accounting",
    "table_checks",
]
ACCOUNT_KEYS = ["table", "read", "loaded", "rejected", "ok", "error", "warned"]


def _result(contract) -> IngestResult:
    checks = {
        "orders": TableCheck(
            "orders",
            Path("orders.csv"),
            read=5,
            accepted=4,
            rejected=1,
            reasons=Counter({"orders.order_id.pattern": 1}),
        ),
        "<b>x</b>": TableCheck("<b>x</b>", Path("x.csv"), error="cannot read"),
    }
    return IngestResult(
        "r1",
        contract,
        "duckdb",
        checks,
        loaded={"orders": 4},
        rejected_loaded={"orders": 1},
        status="completed",
        location="wh.duckdb",
    )


def test_run_context_names_the_run_and_its_time():
    run = new_run()
    assert re.fullmatch(r"\d{8}T\d{6}Z-[0-9a-f]{8}", run.run_id), run
    at = datetime.fromisoformat(run.ingested_at)
    assert at.utcoffset() == timedelta(0) and at.strftime("%Y%m%dT%H%M%SZ") == run.run_id[:16]


def test_accounting_is_typed_and_the_receipt_keeps_its_json(contract, tmp_path):
    result = _result(contract)
    acc = result.accounting()
    assert acc[0] == Account("orders", 5, 4, 1, True, None)
    assert not acc[1].ok and acc[1].error == "cannot read" and not result.ok
    path = receipt.write(result, tmp_path / "ingest-duckdb.json")
    doc = json.loads(path.read_text())
    assert list(doc) == RECEIPT_KEYS and list(doc["accounting"][0]) == ACCOUNT_KEYS
    assert doc["accounting"][0] == {
        "table": "orders",
        "read": 5,
        "loaded": 4,
        "rejected": 1,
        "ok": True,
        "error": None,
        "warned": None,
    }
    back = receipt.read(path)
    assert back.accounting == acc and back.to_dict() == doc


def test_metrics_rows_are_typed_with_the_columns_of_run_metrics(contract):
    rows = _result(contract).metrics()
    assert rows[0].table_name == "orders" and rows[0].rows_loaded == 4
    assert json.loads(rows[0].rejected_by_reason) == {"orders.order_id.pattern": 1}
    d = rows[0].to_dict()
    assert type(rows[0]).from_dict({**d, "run_status": "completed"}) == rows[0]


def test_records_render_escaped_html(contract):
    result = _result(contract)
    html = result.accounting()[1]._repr_html_()
    assert "&lt;b&gt;x&lt;/b&gt;" in html and "<b>x</b>" not in html
    assert (
        "&lt;b&gt;x&lt;/b&gt;"
        in receipt.Receipt.from_dict(
            {
                **dict.fromkeys(RECEIPT_KEYS, "?"),
                "accounting": [a.to_dict() for a in result.accounting()],
                "table_checks": [],
            }
        )._repr_html_()
    )


def test_committed_suites_read_back_as_the_same_record():
    paths = sorted(GX.rglob("*.json"))
    assert paths
    for path in paths:
        text = path.read_text(encoding="utf-8")
        suite = Suite.from_dict(json.loads(text))
        assert render(suite) == text, path
        assert suite.target == path.parent.name and suite.table == path.stem
        assert "<table>" in suite._repr_html_()
