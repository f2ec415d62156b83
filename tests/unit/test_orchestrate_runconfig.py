"""The run configuration: its schema, its one-line errors, and its agreement with env.yaml,
pipeline.yaml's on_render hook and the README table."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
import yaml

from contractbook.orchestrate import runconfig
from support.project import ROOT

ENV = yaml.safe_load((ROOT / "env.yaml").read_text())
SPEC = yaml.safe_load((ROOT / "pipeline.yaml").read_text())


def test_every_env_yaml_parameter_has_a_schema_entry_whose_default_is_env_yaml_value():
    props = runconfig.schema()["properties"]
    assert set(props) == set(ENV)
    for name, value in ENV.items():
        assert props[name]["default"] == value, name
        assert props[name]["description"], name


def test_env_yaml_as_shipped_is_valid():
    assert runconfig.problems(ENV) == []
    assert runconfig.check({}) == ENV  # every default filled in


def test_on_render_hook_receives_every_parameter_once_from_env():
    hook = SPEC["on_render"]
    assert hook["dotted_path"] == "contractbook.orchestrate.hooks.on_render"
    passed = {k: v for k, v in hook.items() if k != "dotted_path"}
    assert passed == {name: f"{{{{{name}}}}}" for name in ENV}


@pytest.mark.parametrize(
    ("values", "line"),
    [
        (
            {"destination": "duckbd"},
            "destination: 'duckbd' is not one of duckdb, postgres, filesystem",
        ),
        ({"n_orders": "abc"}, "n_orders: 'abc' is not of type integer"),
        ({"n_orders": 0}, "n_orders: 0 is less than the minimum of 1"),
        ({"gx_fail_on_error": "yes"}, "gx_fail_on_error: 'yes' is not of type boolean"),
        ({"defects": "all=two"}, "defects: 'all=two' does not have the expected form"),
        ({"gx_mostly": "1.5"}, "gx_mostly: '1.5' does not have the expected form"),
        ({"n_ordres": 5}, "env.yaml: unknown parameter(s) 'n_ordres' was unexpected"),
    ],
)
def test_each_problem_is_one_readable_line(values, line):
    found = runconfig.problems({**ENV, **values})
    assert len(found) == 1 and found[0].startswith(line), found


def test_all_problems_are_reported_at_once():
    with pytest.raises(runconfig.ConfigError) as e:
        runconfig.check({**ENV, "destination": "x", "seed": -1, "n_orders": 1.5})
    assert str(e.value).count("\n") == 3


def test_overrides_are_read_as_ploomber_reads_them():
    values = runconfig.load_env(
        ROOT / "env.yaml", {"n_orders": "300", "gx_fail_on_error": "true", "defects": ""}
    )
    assert values["n_orders"] == 300 and values["gx_fail_on_error"] is True
    assert values["defects"] == ""


def test_config_command_exits_2_with_the_problems_and_no_traceback():
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "contractbook",
            "config",
            "--",
            "--env--destination",
            "duckbd",
            "--force",
            "--env--seed=-3",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert "destination: 'duckbd' is not one of duckdb, postgres, filesystem" in proc.stderr
    assert "seed: -3 is less than the minimum of 0" in proc.stderr
    assert "Traceback" not in proc.stderr
    ok = subprocess.run(
        [sys.executable, "-m", "contractbook", "config", "--", "--env--n_orders", "300"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert ok.returncode == 0, ok.stderr


def test_readme_table_is_generated_from_the_schema():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(r"<!-- run-config:begin.*?-->\n(.*?)<!-- run-config:end -->", readme, re.S)
    assert m, "README.md has no generated run-configuration table"
    assert m[1] == runconfig.markdown_table(), (
        "README table is stale: python -m contractbook config --table"
    )
