"""Semantic versions: the bump a set of changes needs, and whether a new version provides it."""

from __future__ import annotations

import re

LEVELS = ("none", "patch", "minor", "major")
_SEMVER = re.compile(r"^(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$")


def parse(version: str) -> tuple[int, int, int]:
    """'1.2.3' -> (1, 2, 3); ValueError naming the version otherwise."""
    m = _SEMVER.match(str(version))
    if not m:
        raise ValueError(f"version {version!r} is not semver MAJOR.MINOR.PATCH")
    return int(m[1]), int(m[2]), int(m[3])


def required(changes) -> str:
    """The highest level any change needs: major, minor, patch or none."""
    return max((c.level for c in changes), key=LEVELS.index, default="none")


def actual(old: str, new: str) -> str:
    """The level by which new is above old (none when not above)."""
    o, n = parse(old), parse(new)
    if n <= o:
        return "none"
    return "major" if n[0] > o[0] else "minor" if n[1] > o[1] else "patch"


def bump(version: str, level: str) -> str:
    """version bumped by level."""
    major, minor, patch = parse(version)
    return {
        "major": f"{major + 1}.0.0",
        "minor": f"{major}.{minor + 1}.0",
        "patch": f"{major}.{minor}.{patch + 1}",
        "none": version,
    }[level]


def sufficient(old: str, new: str, changes) -> bool:
    """True when old -> new bumps at least as much as the changes need."""
    return LEVELS.index(actual(old, new)) >= LEVELS.index(required(changes))
