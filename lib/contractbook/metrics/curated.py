"""The curated contract on disk: where it is committed, loading it, checking it is fresh."""

from __future__ import annotations

from pathlib import Path

from contractbook.contract import Contract, load

from .contract import FILE, REGENERATE, text


def path_for(contract: Contract) -> Path:
    """contracts/<name>/generated/curated.odcs.yaml beside the raw contract."""
    return Path(contract.path).parent / "generated" / FILE


def write(contract: Contract, path: str | Path | None = None) -> Path:
    """Regenerate the curated contract from the model headers; the path written."""
    out = Path(path) if path else path_for(contract)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text(contract), encoding="utf-8")
    return out


def load_fresh(contract: Contract) -> Contract:
    """The committed curated contract, loaded and validated; ValueError when it is stale."""
    path = path_for(contract)
    if not path.is_file() or path.read_text(encoding="utf-8") != text(contract):
        raise ValueError(f"{path} is missing or stale against the model headers; run: {REGENERATE}")
    return load(path)
