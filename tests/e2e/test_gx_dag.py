"""The gx-checks task in the built DAG: proof, tolerances, and Data Docs that open from disk."""

from __future__ import annotations

import re
from html import unescape

import pytest

from support.project import built_project

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    built = built_project(tmp_path_factory)
    return built.path, (built.path / "reports" / "gx-checks.html").read_text(encoding="utf-8")


def test_report_links_data_docs_on_disk(report):
    project, html = report
    links = re.findall(r'href="(data_docs/[^"]+)"', html)
    assert links, "no link to the Data Docs"
    assert (project / "reports" / links[0]).is_file()


def test_data_docs_list_every_validation_without_external_assets(report):
    project, _ = report
    docs = (project / "reports" / "data_docs" / "index.html").read_text(encoding="utf-8")
    for target in ("csv", "duckdb"):
        assert f"</span> {target} on" in docs, target
    assert docs.count("<details") >= 18  # one block per table and target
    assert "class='fail'" in docs and "class='pass'" in docs  # status badges, inline CSS
    assert not re.search(r"(src|href)=['\"](https?:)?//", docs), "an asset from the network"


def test_report_shows_proof_tolerances_and_both_runs(report):
    _, html = report
    text = unescape(re.sub(r"<[^>]+>", " ", html))
    assert re.search(r"[1-9]\d* planted defect row\(s\); every rule matches: True", text)
    assert "__typed" not in text and "__in__" not in text, "helper columns shown"
    assert "tolerances (mostly)" in text
    assert "GX csv" in text and "GX duckdb" in text
    assert "Traceback" not in text
