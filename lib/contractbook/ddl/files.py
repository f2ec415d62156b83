"""Runner: write the CREATE and DROP scripts of every dialect to a directory."""

from __future__ import annotations

from pathlib import Path

from contractbook import sqltext
from contractbook.contract import Contract

from .generate import GENERATOR, create, drop
from .registry import DIALECTS, get
from .types import DdlError


def refused(contract: Contract, dialect: str, error: DdlError) -> str:
    """A script of comments only: why the engine cannot hold this contract's tables."""
    return (
        sqltext.comment_text(
            f"Not generated for {get(dialect).title} ({dialect}) by {GENERATOR} from {contract.id} "
            f"v{contract.version}: {error}"
        )
        + "\n"
    )


def scripts(
    contract: Contract, dialects=None, catalog: str | None = None, schema: str | None = None
) -> dict[str, str]:
    """File name -> text: `<dialect>.sql` (CREATE) and `<dialect>.drop.sql` (DROP); an engine
    that cannot hold a name gets comment-only scripts naming its limit."""
    out = {}
    for name in dialects or DIALECTS:
        try:
            out[f"{name}.sql"] = create(contract, name, catalog, schema)
            out[f"{name}.drop.sql"] = drop(contract, name, catalog, schema)
        except DdlError as e:
            out[f"{name}.sql"] = out[f"{name}.drop.sql"] = refused(contract, name, e)
    return out


def files(
    contract: Contract, dialects=None, catalog: str | None = None, schema: str | None = None
) -> dict[str, str]:
    """The generator interface: the same map as scripts()."""
    return scripts(contract, dialects, catalog, schema)


def write(
    contract: Contract,
    out_dir: str | Path,
    dialects=None,
    catalog: str | None = None,
    schema: str | None = None,
    progress=print,
) -> list[Path]:
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
