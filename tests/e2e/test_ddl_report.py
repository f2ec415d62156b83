"""The emit-ddl task of the built DAG: report with scripts, DuckDB proof and diagram; DDL files."""

from __future__ import annotations

import re

import pytest

from support.project import built_project

pytestmark = pytest.mark.slow


def test_emit_ddl_report_and_files(tmp_path_factory):
    built = built_project(tmp_path_factory)
    html = (built.path / "reports" / "emit-ddl.html").read_text(encoding="utf-8")
    assert re.search(r"<img[^>]+data:image/png;base64", html), "no ER diagram in the report"
    assert "CREATE TABLE IF NOT EXISTS" in html and "FOREIGN KEY" in html
    assert "Traceback" not in html
    written = sorted(p.name for p in (built.path / "data" / "ddl").glob("*.sql"))
    assert written == sorted(
        f"{d}{s}.sql"
        for d in ("duckdb", "postgres", "bigquery", "snowflake", "databricks")
        for s in ("", ".drop")
    )
