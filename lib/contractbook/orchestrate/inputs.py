"""Input folders a build reads but does not make: rerun the tasks that read them when they change.

Ploomber reruns a task when its source, its params, an upstream product or a `resources_` file
changes. A folder of input files (`make ingest DATA=dir`) is none of those, so a DAG-level
`on_render` hook compares a digest of every such folder with the one remembered after the last
successful build and re-renders the tasks that read it, and everything downstream, with force.
A digest is made of each file's relative path, size and modification time (as make does): no
file is read, so a no-op build stays fast on gigabytes of input.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

STATE = Path(".state/build-inputs.json")


def digest(folder: Path) -> str:
    """A digest of folder's files: relative path, size and mtime of each (no file is read)."""
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        st = path.stat()
        h.update(f"{path.relative_to(folder)}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def _products(dag) -> list[Path]:
    """Every file or folder a task of dag makes."""
    out = []
    for name in dag._iter():
        product = dag[name].product
        paths = product.to_json_serializable()
        for p in paths.values() if isinstance(paths, dict) else [paths]:
            out.append(Path(str(p)).resolve())
    return out


def input_folders(dag) -> dict[str, dict[str, Path]]:
    """task -> {param: folder} for params naming an existing folder that no task makes."""
    made = _products(dag)
    out: dict[str, dict[str, Path]] = {}
    for name in dag._iter():
        for key, value in dag[name].params.to_json_serializable(params_only=True).items():
            if not isinstance(value, str) or not value:
                continue
            path = Path(value).resolve()
            # a folder that holds or lies in a product (e.g. data_dir) is the DAG's own
            if path.is_dir() and not any(
                path.is_relative_to(m) or m.is_relative_to(path) for m in made
            ):
                out.setdefault(name, {})[key] = path
    return out


def current(dag) -> dict[str, dict[str, str]]:
    """task -> {param: digest} of the input folders now."""
    return {
        task: {k: digest(p) for k, p in params.items()}
        for task, params in input_folders(dag).items()
    }


def _remembered(state: Path) -> dict:
    try:
        return json.loads(state.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def changed(dag, state: Path = STATE) -> set[str]:
    """Tasks whose input folders differ from the last successful build, plus their descendants."""
    seen, now = _remembered(state), current(dag)
    direct = {t for t, d in now.items() if seen.get(t) != d}
    out: set[str] = set()
    for name in dag._iter():  # topological: a task after all its upstream tasks
        if name in direct or any(up in out for up in dag[name].upstream):
            out.add(name)
    return out


def force(dag, names: set[str]) -> None:
    """Re-render names (in DAG order) with force, so the build runs them."""
    for name in dag._iter():
        if name in names:
            dag[name].render(force=True)


def remember(dag, state: Path = STATE) -> None:
    """Store the input digests after a successful build (the file is rewritten only on change)."""
    text = json.dumps(current(dag), indent=1, sort_keys=True)
    if state.is_file() and state.read_text(encoding="utf-8") == text:
        return
    state.parent.mkdir(parents=True, exist_ok=True)
    state.write_text(text, encoding="utf-8")
