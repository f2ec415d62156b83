"""Report helpers: formatted tables, the checkpoint, project paths, the exporter, the index."""

from __future__ import annotations

import json
import math
import re

import nbformat
import pandas as pd
import pytest

from contractbook.paths import project_root, resolve, task_io
from contractbook.reporting.checkpoint import CheckpointFailed, checkpoint, summary_path
from contractbook.reporting.exporter import ReportExporter
from contractbook.reporting.index import Entry, headline, render
from contractbook.reporting.tables import cell, table
from support.project import ROOT


def test_cells_read_as_text():
    assert cell(1234567) == "1,234,567"
    assert cell(0.5) == "0.5" and cell(2.0) == "2"
    assert cell(math.nan) == "" and cell(None) == "" and cell(pd.NA) == ""
    assert cell(True) == "yes" and cell({"a": 1}) == "a=1"


def test_table_aligns_hides_index_helpers_and_nan():
    df = pd.DataFrame(
        {
            "name": ["a", "b"],
            "rows": [1000, None],
            "x__typed": [1, 2],
            "__in__orders": [True, False],
        }
    )
    html = table(df)._repr_html_()
    assert "x__typed" not in html and "__in__" not in html
    assert "<td class='num'>1,000</td>" in html and "<td>a</td>" in html
    assert "nan" not in html.lower().replace("nanos", "") and "<th></th>" not in html
    assert "overflow-x:auto" in html  # wide tables scroll inside their box


def test_long_tables_are_paginated_and_short_ones_are_not():
    html = table([{"n": i} for i in range(40)], page=15)._repr_html_()
    assert html.count("type='radio'") == 3 and "40 rows, 15 per page" in html
    assert "radio" not in table([{"n": 1}])._repr_html_()
    assert "no rows" in table([])._repr_html_()


def test_checkpoint_saves_its_summary_and_fails_on_a_failed_check(tmp_path):
    product = {"nb": str(tmp_path / "reports" / "t.html")}
    cp = checkpoint(product, {"ok": True}, {"rows read": 3}, next_="[ingest](ingest.html)")
    assert "<a href='ingest.html'>ingest</a>" in cp._repr_html_()
    saved = json.loads(summary_path(product["nb"]).read_text())
    assert saved == {"checks": {"ok": True}, "numbers": {"rows read": 3}, "ok": True}
    with pytest.raises(CheckpointFailed, match="bad thing"):
        checkpoint(product, {"bad thing": False})
    assert json.loads(summary_path(product["nb"]).read_text())["ok"] is False


def test_project_root_from_the_notebooks_folder():
    assert project_root(ROOT / "notebooks") == ROOT
    assert resolve("contracts/x.yaml", ROOT) == str(ROOT / "contracts" / "x.yaml")
    assert resolve("/abs/x", ROOT) == "/abs/x"
    with pytest.raises(FileNotFoundError):
        project_root("/")


def test_task_io_reads_pipeline_yaml_when_nothing_is_injected(monkeypatch):
    monkeypatch.chdir(ROOT / "notebooks")
    upstream, product = task_io("gx-checks")
    assert product["nb"] == str(ROOT / "reports" / "gx-checks.html")
    assert upstream["generate-data"]["data"] == str(ROOT / "data" / "raw")
    assert upstream["ingest"]["receipt"] == str(ROOT / "data" / "ingest-duckdb.json")
    injected = task_io("gx-checks", {"ingest": {"data": "/w"}}, {"nb": "/r.html"})
    assert injected.product == {"nb": "/r.html"} and injected.upstream == {"ingest": {"data": "/w"}}


def _notebook():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell(
            "product = {'nb': '/build/machine/reports/t.html'}",
            metadata={"tags": ["injected-parameters"]},
        ),
        nbformat.v4.new_markdown_cell("# Title"),
        nbformat.v4.new_code_cell("print(1)"),
    ]
    nb.metadata["papermill"] = {
        "parameters": {"product": {"nb": "/build/machine/reports/ingest.html"}}
    }
    return nb


def test_report_exporter_folds_code_and_drops_parameter_cells():
    html, _ = ReportExporter().from_notebook_node(_notebook())
    assert "<title>ingest</title>" in html
    assert re.search(r"<a href=\"index.html\">[^<]* all reports</a>", html)
    assert "/build/machine" not in html and "x = 1" not in html
    assert '<details class="cb-code">' in html and "print" in html
    assert not re.search(r"<script[^>]+src=", html), "no script from a CDN"


def test_index_shows_headline_error_partial_and_stale():
    entries = [
        Entry(
            "validate-contract",
            "FAILED",
            "",
            "n/02.py",
            "validate-contract.html",
            seconds=1.5,
            stale=True,
            partial="validate-contract.partial.html",
            error="ContractError: 1 error",
        ),
        Entry(
            "ingest",
            "not run (an upstream task failed)",
            "",
            "n/04.py",
            "ingest.html",
            stale=True,
            upstream=("validate-contract",),
        ),
    ]
    numbers = headline(entries, {"ingest": {"numbers": {"rows read": 2064, "other": 1}}})
    assert numbers == [("rows read", "2,064", True)]
    html = render(entries, "t", "now", "FAILED", numbers, 3.0, "<svg></svg>")
    assert "ContractError: 1 error" in html and "validate-contract.partial.html" in html
    assert html.count("stale report") == 2 and "rows read (stale)" in html
    assert "1.5 s" in html and "<svg></svg>" in html
