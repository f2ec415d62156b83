"""pyproject.toml declares what the code needs: every declared range holds the lock's pin, and
every declared name is a top-level requirement of requirements/requirements.in."""

from __future__ import annotations

import re
import tomllib

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from support.project import ROOT

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
EXTRAS = ("postgres", "delta", "spark", "catalog", "dev")


def _lock() -> dict[str, str]:
    """name -> pinned version of requirements/lock.txt."""
    text = (ROOT / "requirements" / "lock.txt").read_text(encoding="utf-8")
    return {
        canonicalize_name(m[1]): m[2]
        for m in re.finditer(r"(?m)^([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==([^\s;]+)", text)
    }


def _top_level() -> set[str]:
    """The names requirements/requirements.in asks for."""
    text = (ROOT / "requirements" / "requirements.in").read_text(encoding="utf-8")
    lines = [ln.split("#")[0].strip() for ln in text.splitlines()]
    return {canonicalize_name(Requirement(ln).name) for ln in lines if ln}


def _declared() -> list[Requirement]:
    extras = PROJECT["optional-dependencies"]
    return [
        Requirement(r) for r in PROJECT["dependencies"] + [r for e in extras.values() for r in e]
    ]


def test_runtime_dependencies_and_extras_are_declared():
    assert len(PROJECT["dependencies"]) >= 10
    assert set(EXTRAS) <= set(PROJECT["optional-dependencies"])


@pytest.mark.parametrize("req", _declared(), ids=str)
def test_the_lock_pin_is_inside_the_declared_range(req):
    lock = _lock()
    name = canonicalize_name(req.name)
    assert name in lock, f"{req.name} is declared but not in requirements/lock.txt"
    assert req.specifier.contains(lock[name], prereleases=True), (
        f"{req}: the lock pins {lock[name]}"
    )


def test_every_declared_name_is_a_top_level_requirement():
    missing = sorted({canonicalize_name(r.name) for r in _declared()} - _top_level())
    assert missing == [], "declared in pyproject.toml, absent from requirements/requirements.in"


def test_a_range_the_lock_misses_is_seen():
    assert not Requirement("duckdb>=99").specifier.contains(_lock()["duckdb"])
