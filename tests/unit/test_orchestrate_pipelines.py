"""The two pipelines: pipeline.yaml (build side, then the ingest side it imports) and
pipeline.ingest.yaml (the ingest side alone), loaded by Ploomber itself."""

from __future__ import annotations

import subprocess

import pytest
import yaml

from contractbook.paths import input_folder, upstream_names
from support.project import ROOT, tasks

BUILD_SIDE = ["validate-contract", "generate-data", "emit-ddl"]
INGEST_SIDE = ["ingest", "gx-checks", "metrics-dashboard", "register-catalog"]


def _dag(name: str):
    from ploomber.spec import DAGSpec

    return DAGSpec(str(ROOT / name)).to_dag()


@pytest.fixture(scope="module")
def whole():
    return _dag("pipeline.yaml")


@pytest.fixture(scope="module")
def ingest_only():
    return _dag("pipeline.ingest.yaml")


def test_the_whole_dag_is_the_build_side_then_the_ingest_side(whole):
    assert list(whole) == BUILD_SIDE + INGEST_SIDE
    assert [
        t["name"] for t in yaml.safe_load((ROOT / "pipeline.yaml").read_text())["tasks"]
    ] == BUILD_SIDE
    # the wildcards match the build-side tasks: the same edges as one file would give
    assert sorted(whole["ingest"].upstream) == ["emit-ddl", "generate-data"]
    assert sorted(whole["gx-checks"].upstream) == ["generate-data", "ingest"]
    assert sorted(whole["register-catalog"].upstream) == ["ingest", "metrics-dashboard"]


def test_the_ingest_pipeline_is_the_ingest_side_alone(ingest_only):
    assert list(ingest_only) == INGEST_SIDE
    assert list(ingest_only["ingest"].upstream) == []
    assert sorted(ingest_only["gx-checks"].upstream) == ["ingest"]


def test_both_pipelines_share_hooks_executor_and_task_blocks():
    whole, alone = (
        yaml.safe_load((ROOT / f).read_text()) for f in ("pipeline.yaml", "pipeline.ingest.yaml")
    )
    for key in ("on_render", "on_finish", "on_failure", "executor"):
        assert alone[key] == whole[key], key
    assert alone["meta"]["import_tasks_from"] == whole["meta"]["import_tasks_from"]
    assert tasks(ROOT, "pipeline.ingest.yaml") == tasks(ROOT)[len(BUILD_SIDE) :]


def test_wildcard_upstream_expands_like_ploomber():
    names = BUILD_SIDE + INGEST_SIDE
    block = {"upstream": ["generate-data*", "emit-ddl*"]}
    assert upstream_names(block, names) == ["generate-data", "emit-ddl"]
    assert upstream_names(block, INGEST_SIDE) == []


def test_input_folder_is_raw_dir_else_generate_data_else_a_clear_error(tmp_path):
    ups = {"generate-data": {"data": "/p/data/raw"}}
    assert input_folder(ups, "") == "/p/data/raw"
    assert input_folder(ups, str(tmp_path)) == str(tmp_path)
    with pytest.raises(FileNotFoundError, match="make ingest DATA=dir"):
        input_folder({}, "")


def test_make_ingest_runs_the_ingest_pipeline_on_data_after_the_config_check():
    out = subprocess.run(
        ["make", "-n", "-o", "setup", "ingest", "DATA=/in box", "SERVER=kaggle"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    config, build = [line for line in out.splitlines() if "config" in line or "ploomber" in line]
    assert "-m contractbook config -- --env--raw_dir '/in box'" in config
    assert (
        "CONTRACTBOOK_SERVER='kaggle' ploomber build --entry-point pipeline.ingest.yaml "
        "--env--raw_dir '/in box'"
    ) in build
    missing = subprocess.run(
        ["make", "-s", "-o", "setup", "ingest"], cwd=ROOT, capture_output=True, text=True
    )
    assert missing.returncode != 0 and "make ingest DATA=" in missing.stdout + missing.stderr


def _descendants(dag, root: str) -> set[str]:
    out: set[str] = set()
    for name in dag._iter():  # topological
        if any(up == root or up in out for up in dag[name].upstream):
            out.add(name)
    return out


def test_a_contract_edit_reaches_every_task_of_both_pipelines(whole, ingest_only):
    # the contract is a resources_ file (hashed by Ploomber) of each pipeline's first task
    blocks = {t["name"]: t for t in tasks(ROOT)}
    for first in ("validate-contract", "ingest"):
        assert blocks[first]["params"]["resources_"] == {"contract": "{{contract}}"}, first
    assert _descendants(whole, "validate-contract") == set(whole) - {"validate-contract"}
    assert _descendants(ingest_only, "ingest") == set(ingest_only) - {"ingest"}
