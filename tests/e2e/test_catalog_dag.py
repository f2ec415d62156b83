"""The built DAG's lineage events, catalog payloads and page (shares the session's build)."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from contractbook.contract import load
from support.openlineage_check import validate
from support.project import built_project, tasks

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return built_project(tmp_path_factory)


@pytest.fixture(scope="module")
def events(built):
    first = sorted((built.path / "data" / "lineage").glob("build-*.jsonl"))[0]
    return [json.loads(line) for line in first.read_text(encoding="utf-8").splitlines()]


def test_every_event_is_valid_and_every_task_has_one_run(built, events):
    for e in events:
        validate(e)
    runs = defaultdict(list)
    for e in events:
        runs[(e["job"]["name"], e["run"]["runId"])].append(e["eventType"])
    names = [t["name"] for t in tasks(built.path)]
    assert sorted(job for job, _ in runs) == sorted(f"olist_mini.{n}" for n in names)
    assert all(states == ["START", "COMPLETE"] for states in runs.values()), runs
    assert len({e["run"]["facets"]["parent"]["run"]["runId"] for e in events}) == 1
    order = [e["job"]["name"].split(".", 1)[1] for e in events if e["eventType"] == "START"]
    assert order.index("generate-data") < order.index("ingest") < order.index("register-catalog")


def _complete(events, task) -> dict:
    return next(
        e
        for e in events
        if e["job"]["name"] == f"olist_mini.{task}" and e["eventType"] == "COMPLETE"
    )


def test_inputs_outputs_and_schemas_match_the_contract(built, events):
    contract = load(built.path / "contracts" / "olist_mini" / "contract.yaml")
    gen = _complete(events, "generate-data")
    assert sorted(Path(d["name"]).name for d in gen["outputs"]) == sorted(
        f"{t}.csv" for t in contract.table_names
    )
    ingest = _complete(events, "ingest")
    raw = {Path(d["name"]).stem: d for d in ingest["inputs"] if d["name"].endswith(".csv")}
    tables = {d["name"]: d for d in ingest["outputs"]}
    for t in contract.tables:
        expected = [(c.name, c.physical_type) for c in t.columns]
        for ds in (raw[t.name], tables[f"olist.{t.name}"]):
            assert [(f["name"], f["type"]) for f in ds["facets"]["schema"]["fields"]] == expected
        names = {
            a["name"] for a in raw[t.name]["inputFacets"]["dataQualityAssertions"]["assertions"]
        }
        assert names == {r.id for r in contract.rules_for(t.name)}
        read = raw[t.name]["inputFacets"]["dataQualityMetrics"]["rowCount"]
        loaded = tables[f"olist.{t.name}"]["outputFacets"]["outputStatistics"]["rowCount"]
        rejected = tables[f"olist.{t.name}__rejects"]["facets"]["dataQualityMetrics"]["rowCount"]
        assert read == loaded + rejected and read > 0
    # planted defects (all=2): some assertions fail, with their failing-row counts
    failed = [
        a
        for d in raw.values()
        for a in d["inputFacets"]["dataQualityAssertions"]["assertions"]
        if not a["success"]
    ]
    assert failed and all(int(a["actual"]) > 0 for a in failed)
    gx = _complete(events, "gx-checks")
    assert any(d.get("inputFacets", {}).get("dataQualityAssertions") for d in gx["inputs"])


def test_catalog_payloads_workflows_and_page(built):
    out = built.path / "data" / "catalog"
    for name in ("services", "tables", "test_cases", "test_results", "lineage"):
        doc = json.loads((out / f"{name}.json").read_text())
        assert doc["requests"] and doc["generated"]["generator"] == "contractbook.catalog"
    assert sorted(p.name for p in (out / "workflows").iterdir()) == [
        "datalake.yaml",
        "postgres.yaml",
        "unitycatalog.yaml",
    ]
    page = (built.path / "reports" / "catalog.html").read_text(encoding="utf-8")
    assert "customer_unique_id" in page and "restricted" in page and "failed" in page
    assert "data:image/png;base64," in page and "http" not in page.split("<body>")[1][:200]
    report = (built.path / "reports" / "register-catalog.html").read_text(encoding="utf-8")
    assert "dry run: nothing sent" in report and "catalog.html" in report
