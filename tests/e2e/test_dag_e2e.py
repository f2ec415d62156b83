"""The whole Ploomber DAG, built twice in a temporary project copy, small data, a fake HOME."""

from __future__ import annotations

import re
from html import unescape

import pytest

from support.project import BIN, built_project, files_under, run, tasks

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return built_project(tmp_path_factory)


def _report(project, task) -> str:
    return (project / "reports" / f"{task['name']}.html").read_text(encoding="utf-8")


def _title(project, task) -> str:
    """The first markdown heading of the task's notebook, without markdown markup."""
    text = (project / task["source"]).read_text(encoding="utf-8")
    m = re.search(r"^# #+ (.+)$", text, re.M)
    assert m, f"{task['source']}: a notebook starts with a markdown heading (`# # Title`)"
    return re.sub(r"[`*_]", "", m.group(1)).strip()


def _text(html: str) -> str:
    """The visible text of an HTML page."""
    return unescape(re.sub(r"<[^>]+>", "", html))


def test_every_task_renders_its_report_with_outputs(built):
    for task in tasks(built.path):
        assert task["product"]["nb"] == f"reports/{task['name']}.html", task["name"]
        html = _report(built.path, task)
        assert "jp-OutputArea-output" in html, f"{task['name']}: report has no outputs"
        assert _title(built.path, task) in _text(html), (
            f"{task['name']}: report is not its notebook"
        )


def test_validate_contract_report_shows_verdict_tables_and_chart(built):
    html = _report(built.path, {"name": "validate-contract"})
    assert "valid: urn:contractbook:olist_mini" in html
    assert "order_items.primary_key" in html  # the rule catalogue
    assert re.search(r"<img[^>]+data:image/png;base64", html), "no chart in the report"


def test_index_links_every_report(built):
    index = (built.path / "reports" / "index.html").read_text(encoding="utf-8")
    for task in tasks(built.path):
        assert f"href='{task['name']}.html'" in index, task["name"]
    assert "succeeded" in index
    assert "FAILED" not in index


def test_nothing_written_to_home_and_state_kept_in_project(built):
    assert files_under(built.home) == []
    assert (built.path / ".state").is_dir()


# Written by the DAG hooks after every build, no-op builds included: the index and the `_runs`
# history (data/runs.duckdb). The warehouse itself is not touched by a no-op build.
REWRITTEN = {"reports/index.html", "data/runs.duckdb"}


def _warehouse_tables(project) -> dict[str, list]:
    """Every table of the warehouse, with all its rows, sorted."""
    import duckdb

    with duckdb.connect(str(project / "data" / "warehouse.duckdb"), read_only=True) as con:
        names = con.execute(
            "SELECT table_schema, table_name FROM information_schema.tables ORDER BY 1, 2"
        ).fetchall()
        return {
            f"{s}.{t}": sorted(map(repr, con.execute(f'SELECT * FROM "{s}"."{t}"').fetchall()))
            for s, t in names
        }


def _runs(project) -> list[tuple]:
    import duckdb

    with duckdb.connect(str(project / "data" / "runs.duckdb"), read_only=True) as con:
        return con.execute(
            "SELECT run_id, task, status FROM _runs WHERE origin = 'dag' ORDER BY run_id"
        ).fetchall()


def test_second_build_is_a_no_op(built):
    def snapshot():
        return {
            p: (built.path / p).stat().st_mtime_ns
            for p in files_under(built.path)
            if p not in REWRITTEN
        }

    before, tables, history = snapshot(), _warehouse_tables(built.path), _runs(built.path)
    assert {t for _, t, s in history if s == "completed"} >= {t["name"] for t in tasks(built.path)}
    run([str(BIN / "ploomber"), "build"], built.path, built.env)
    assert snapshot() == before
    assert _warehouse_tables(built.path) == tables
    added = _runs(built.path)[len(history) :]
    assert sorted((t, s) for _, t, s in added) == sorted(
        (t["name"], "skipped") for t in tasks(built.path)
    )
    index = (built.path / "reports" / "index.html").read_text(encoding="utf-8")
    assert index.count(">up to date</td>") == len(tasks(built.path))
    assert files_under(built.home) == []
    # the run history on the index: both builds, newest first, and rejects per table as a trend
    first, second = sorted({r for r, _, _ in history}), sorted({r for r, _, _ in added})
    assert len(first) == 1 and len(second) == 1
    runs = index[index.index("<h2>Last runs</h2>") :]
    assert runs.index(second[0]) < runs.index(first[0])
    trend = index[index.index("<h2>Rejects per table, run by run</h2>") :]
    for table in ("orders", "order_items", "customers"):
        assert f"<td>{table}</td>" in trend
    assert trend.count("<svg") >= 9


def test_build_prints_no_warnings_and_no_progress_bars(built):
    out = built.output
    assert "parameters are not used" not in out
    assert "without encryption" not in out
    assert "Executing:" not in out and "Building task" not in out and "\r" not in out


def test_reports_hide_code_parameters_and_machine_paths(built):
    for task in tasks(built.path):
        html = _report(built.path, task)
        assert f"<title>{task['name']}</title>" in html
        assert 'href="index.html"' in html
        assert "injected-parameters" not in html and 'tags=["parameters"]' not in html
        assert str(built.path) not in html, f"{task['name']}: build-machine path in the report"
        assert '<details class="cb-code">' in html
        assert "What to check" in html and "Next." in html, task["name"]


def test_index_shows_headline_dag_status_and_time(built):
    index = (built.path / "reports" / "index.html").read_text(encoding="utf-8")
    text = _text(index)
    for name in (
        "rows read",
        "rows loaded",
        "rows rejected",
        "checks passed",
        "checks failed",
        "contract version",
        "run id",
        "build duration",
    ):
        assert name in text, name
    assert "<svg" in index and index.count("<rect") == len(tasks(built.path))
    assert len(re.findall(r"<td class='num'>\d+\.\d s</td>", index)) == len(tasks(built.path))
