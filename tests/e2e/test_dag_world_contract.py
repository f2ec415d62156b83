"""The whole DAG runs with a contract other than the shipped one (a world contract, small data)."""

from __future__ import annotations

import shutil

import pytest

from support.project import BIN, ROOT, copy_project, run, state_env

pytestmark = pytest.mark.slow
CONTRACT = "v310_several_schemas.yaml"


def test_dag_builds_with_a_world_contract(tmp_path):
    project = copy_project(tmp_path / "project")
    shutil.copy2(ROOT / "tests" / "fixtures" / "contracts" / "world" / CONTRACT, project / CONTRACT)
    env = state_env(project, tmp_path / "home")
    run([str(BIN / "ploomber"), "build", "--env--contract", CONTRACT, "--env--n_orders", "150"],
        project, env)
    index = (project / "reports" / "index.html").read_text(encoding="utf-8")
    assert "FAILED" not in index and "succeeded" in index
    assert (project / "data" / "raw" / "sales.csv").exists()
    import duckdb

    con = duckdb.connect(str(project / "data" / "warehouse.duckdb"), read_only=True)
    schemas = {r[0] for r in con.execute(
        "SELECT table_schema FROM information_schema.tables").fetchall()}
    main = {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()}
    # the contract's servers schema only, not `olist`; the run history is not in the warehouse
    # (data/runs.duckdb), so neither is dlt's staging schema of its status merges any more
    assert schemas == {"retail"} and main == set()
