"""Runner: write the CREATE and DROP scripts of every dialect to a directory."""

from __future__ import annotations

from pathlib import Path

from contractbook.contract import Contract

from .generate import create, drop
from .registry import DIALECTS


def scripts(contract: Contract, dialects=None, catalog: str | None = None,
            schema: str | None = None) -> dict[str, str]:
    """File name -> text: `<dialect>.sql` (CREATE) and `<dialect>.drop.sql` (DROP)."""
    out = {}
    for name in dialects or DIALECTS:
        out[f"{name}.sql"] = create(contract, name, catalog, schema)
        out[f"{name}.drop.sql"] = drop(contract, name, catalog, schema)
    return out


def files(contract: Contract, dialects=None, catalog: str | None = None,
          schema: str | None = None) -> dict[str, str]:
    """The generator interface: the same map as scripts()."""
    return scripts(contract, dialects, catalog, schema)


def write(contract: Contract, out_dir: str | Path, dialects=None, catalog: str | None = None,
          schema: str | None = None, progress=print) -> list[Path]:
    """Write every script under out_dir; returns the paths written (progress: a line per file)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in scripts(contract, dialects, catalog, schema).items():
        path = out / name
        path.write_text(text, encoding="utf-8")
        if progress:
            progress(f"wrote {path} ({text.count(chr(10))} lines)")
        written.append(path)
    return written
