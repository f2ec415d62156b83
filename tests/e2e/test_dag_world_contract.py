"""The whole DAG runs with a contract other than the shipped one (world contracts, small data)."""

from __future__ import annotations

import shutil

import pytest

from support.project import BIN, ROOT, copy_project, run, state_env

pytestmark = pytest.mark.slow
WORLD = ROOT / "tests" / "fixtures" / "contracts" / "world"
# several schemas and servers; SQL syntax and physicalNames in table and column names;
# mixed-case names and a v3.0.2 contract; names dlt cannot carry (loaded through relay tables)
CONTRACTS = [
    "v310_several_schemas.yaml",
    "v320_odd_names.yaml",
    "v302_events_mixed_case.yaml",
    "v310_dotted_names.yaml",
]


@pytest.mark.parametrize("name", CONTRACTS)
def test_dag_builds_with_a_world_contract(name, tmp_path):
    from contractbook.contract import load, naming

    project = copy_project(tmp_path / "project")
    shutil.copy2(WORLD / name, project / name)
    contract = load(project / name)
    env = state_env(project, tmp_path / "home")
    run(
        [str(BIN / "ploomber"), "build", "--env--contract", name, "--env--n_orders", "150"],
        project,
        env,
    )
    index = (project / "reports" / "index.html").read_text(encoding="utf-8")
    assert "FAILED" not in index and "succeeded" in index
    assert all((project / "data" / "raw" / f"{t}.csv").exists() for t in contract.table_names)
    import duckdb

    con = duckdb.connect(str(project / "data" / "warehouse.duckdb"), read_only=True)
    found = con.execute("SELECT table_schema, table_name FROM information_schema.tables").fetchall()
    schemas = {s for s, _ in found}
    dataset = naming.loaded_dataset(contract, "duckdb")
    # the contract's servers schema only, not `olist`; the run history is not in the warehouse
    # (data/runs.duckdb), so neither is dlt's staging schema of its status merges any more
    assert schemas == {dataset}
    # the tables under their physicalName, as the DDL names them
    assert {t.physical for t in contract.tables} <= {n for s, n in found if s == dataset}
