"""Every generator behind one interface: `files(contract, **options) -> {relative path: text}`.

Each generator module defines a pure `files` function; the registry names it, says what it writes
and where it belongs under a contract's `generated/` folder, and imports it only when used.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Generator:
    """One generator: its module's `files`, what it writes, its folder under generated/."""

    name: str
    module: str
    description: str
    out: str
    options: tuple[str, ...] = ()

    def not_applicable(self, contract) -> str | None:
        """Why this generator has nothing to say about contract (its module's not_applicable)."""
        check = getattr(importlib.import_module(self.module), "not_applicable", None)
        return check(contract) if check else None

    def files(self, contract, **options) -> dict[str, str]:
        """Relative path (under `out`) -> text; an unknown option is a clear error."""
        unknown = sorted(set(options) - set(self.options))
        if unknown:
            known = ", ".join(self.options) or "none"
            raise ValueError(
                f"generator {self.name!r}: unknown option(s) {', '.join(unknown)}; known: {known}"
            )
        return importlib.import_module(self.module).files(contract, **options)


GENERATORS: dict[str, Generator] = {
    g.name: g
    for g in (
        Generator(
            "ddl",
            "contractbook.ddl.files",
            "CREATE and DROP scripts per SQL dialect",
            "ddl",
            ("dialects", "catalog", "schema"),
        ),
        Generator(
            "jsonschema",
            "contractbook.jsonschema.generate",
            "one JSON Schema per table",
            "jsonschema",
        ),
        Generator(
            "gx",
            "contractbook.gx.suites",
            "Great Expectations suites per target and table",
            "gx",
            ("targets", "schema"),
        ),
        Generator(
            "dlt",
            "contractbook.dltgen.generate",
            "a standalone dlt pipeline and destination settings",
            "dlt",
        ),
        Generator(
            "curated",
            "contractbook.metrics.contract",
            "the curated (output) contract of the SQL metric models",
            "",
        ),
        Generator(
            "catalog",
            "contractbook.catalog.generate",
            "OpenMetadata request payloads and `metadata ingest` workflows",
            "catalog",
            ("destination",),
        ),
    )
}


def get(name: str) -> Generator:
    """The generator called name; ValueError naming the known ones otherwise."""
    try:
        return GENERATORS[name]
    except KeyError:
        raise ValueError(f"unknown generator {name!r}; known: {', '.join(GENERATORS)}") from None


def applicable(contract, only=None) -> tuple[list[Generator], dict[str, str]]:
    """The generators to run (only, default all) and those skipped: name -> why not applicable.

    A generator named in only that does not apply is an error, not a skip.
    """
    run, skipped = [], {}
    for name in only or GENERATORS:
        g = get(name)
        reason = g.not_applicable(contract)
        if reason and only:
            raise ValueError(f"generator {name!r} does not apply to {contract.id}: {reason}")
        if reason:
            skipped[name] = reason
        else:
            run.append(g)
    return run, skipped


def files(contract, only=None) -> dict[str, str]:
    """Path under generated/ -> text, for the applicable generators named in only (default all)."""
    out: dict[str, str] = {}
    for g in applicable(contract, only)[0]:
        try:
            produced = g.files(contract)
        except ValueError as e:  # e.g. a type kind a dialect or GX target cannot map
            raise ValueError(f"generator {g.name!r}: {e}") from None
        out.update(
            {str(Path(g.out) / rel) if g.out else rel: text for rel, text in produced.items()}
        )
    return out


def default_out(contract) -> Path:
    """`generated/` beside the contract file."""
    return Path(contract.path).parent / "generated"


def write(contract, out_dir: str | Path, only=None) -> list[Path]:
    """Write every file of the chosen generators under out_dir (all rendered first); the paths."""
    written = []
    for rel, text in files(contract, only).items():
        path = Path(out_dir) / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
