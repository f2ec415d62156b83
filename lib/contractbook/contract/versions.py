"""ODCS versions: apiVersion -> the release whose JSON Schema validates it, and where it is."""

from __future__ import annotations

import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Version:
    """One apiVersion contractbook reads: the schema that checks it and how it is read."""

    api: str
    package: str  # open-data-contract-standard release shipping that version's schema
    note: str = ""  # said once as a warning when the schema is not the version's own


# Newest package release per ODCS version (later releases of a version fix the schema, not the
# standard). v3.0.0 has no release of its own; v3.0.1's schema lists v3.0.0 among its versions.
VERSIONS: dict[str, Version] = {
    v.api: v
    for v in (
        Version(
            "v3.0.0",
            "3.0.3",
            "v3.0.0 has no JSON Schema release of its own: validated with the "
            "v3.0.1 schema (open-data-contract-standard 3.0.3), which accepts v3.0.0",
        ),
        Version("v3.0.1", "3.0.3"),
        Version("v3.0.2", "3.0.5"),
        Version("v3.1.0", "3.1.2"),
        Version("v3.2.0", "3.2.0"),
    )
}
SCHEMA_DIR = Path(sys.prefix) / "share" / "contractbook" / "odcs"


class SchemaMissing(FileNotFoundError):
    """The JSON Schema of an ODCS version is not installed (make setup brings it)."""


def schema_path(api: str) -> Path:
    """Where the JSON Schema validating apiVersion api is installed."""
    return SCHEMA_DIR / f"{VERSIONS[api].package}.json"


def packages() -> list[str]:
    """The package releases make setup downloads, one per schema."""
    return sorted({v.package for v in VERSIONS.values()})


def extract(wheel: Path, out_dir: Path = SCHEMA_DIR) -> Path:
    """Copy schema.json out of an open-data-contract-standard wheel as <release>.json."""
    release = wheel.name.split("-")[1]
    with zipfile.ZipFile(wheel) as z:
        name = next(n for n in z.namelist() if n.endswith("/schema.json"))
        out_dir.mkdir(parents=True, exist_ok=True)
        target = out_dir / f"{release}.json"
        target.write_bytes(z.read(name))
    return target


def main(argv: list[str]) -> int:
    """`packages` prints the releases to fetch; `extract WHEEL...` installs their schemas."""
    if argv[:1] == ["packages"]:
        print(" ".join(packages()))
        return 0
    if argv[:1] == ["extract"]:
        for w in argv[1:]:
            print(f"ODCS schema -> {extract(Path(w))}")
        missing = [p for p in packages() if not (SCHEMA_DIR / f"{p}.json").exists()]
        if missing:
            print(f"missing ODCS schemas: {', '.join(missing)}", file=sys.stderr)
            return 1
        return 0
    print(
        "usage: python -m contractbook.contract.versions packages | extract WHEEL...",
        file=sys.stderr,
    )
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
