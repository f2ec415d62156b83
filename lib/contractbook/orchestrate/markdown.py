"""A notebook whose markdown alone changed reruns alone; nothing downstream of it reruns.

Ploomber compares a notebook's whole text, markdown cells included (NotebookSource.__str__), with
the text stored when it last ran: an edited sentence reruns that notebook and, since its products
are then newer, every task after it. Its code did not change, so neither did what it made.
`on_render` calls `quiet`: it finds the tasks whose code cells, parameters and upstream products
are those of their last run while their markdown differs (the code digest of that run is kept in
.state/build-code.json), lets them run (their reports show the new text), and marks as skipped the
tasks that would run only because of them. `on_finish` calls `keep_timestamps`: those notebooks'
products get back the metadata timestamp of their previous run, so the next build sees no newer
upstream product either.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

STATE = Path(".state/build-code.json")


def _sha(text: str | None) -> str:
    return hashlib.sha256((text or "").encode()).hexdigest()


def code_digest(task) -> str | None:
    """A digest of a notebook task's code cells (markdown left out); None for other tasks."""
    nb = getattr(task.source, "_nb_obj_unrendered", None)
    if nb is None and hasattr(task.source, "_read_nb_str_unrendered"):
        nb = task.source._read_nb_str_unrendered()[1]
    if nb is None:
        return None
    return _sha("\n".join(c.source for c in nb.cells if c.cell_type == "code"))


def _remembered(state: Path) -> dict:
    try:
        return json.loads(state.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _same_params(task) -> bool:
    """Whether task's parameters are those its products were made with (as Ploomber compares)."""
    from ploomber.products._resources import process_resources
    from ploomber.products.serializeparams import remove_non_serializable_top_keys

    stored = _files(task.product)[0].metadata.params  # a MetaProduct's own `params` is broken
    if stored is None:
        return False
    now = process_resources(task.params.to_json_serializable(params_only=True))
    return remove_non_serializable_top_keys(stored) == remove_non_serializable_top_keys(now)


def _not_newer(task) -> bool:
    """No upstream product is newer than task's own (by their stored timestamps)."""
    own = task.product.metadata.timestamp
    return own is not None and all(
        up.product.metadata.timestamp is not None and up.product.metadata.timestamp <= own
        for up in task.upstream.values()
    )


def markdown_only(task, seen: dict) -> bool:
    """task's text changed since its last run in markdown cells only."""
    stored, before = task.product.metadata.stored_source_code, seen.get(task.name) or {}
    if stored is None or before.get("text") != _sha(stored) or str(task.source) == stored:
        return False
    return (
        before.get("code") == code_digest(task)
        and task.product.exists()
        and _same_params(task)
        and _not_newer(task)
    )


def _forced(dag, names: list[str]) -> bool:
    """`ploomber build --force`: a task without upstream runs although it is up to date."""
    from ploomber.constants import TaskStatus

    return any(
        dag[n].exec_status == TaskStatus.WaitingExecution
        and not dag[n].upstream
        and not dag[n].product._is_outdated()
        for n in names
    )


def quiet(dag, forced: set[str], state: Path = STATE) -> dict[str, list]:
    """Skip the tasks that would run only because an upstream notebook's markdown changed.

    Returns {markdown-only task: the metadata timestamps of its products before this build}.
    forced: tasks that run for another reason (changed input folders), left as they are.
    """
    from ploomber.constants import TaskStatus

    names, seen = list(dag._iter()), _remembered(state)
    running = (TaskStatus.WaitingExecution, TaskStatus.WaitingUpstream)
    if not seen or _forced(dag, names):
        return {}
    texts, skipped = {}, set()
    for name in names:  # topological: a task after all its upstream tasks
        task = dag[name]
        if task.exec_status not in running or name in forced:
            continue
        ups = task.upstream
        calm = all(
            u.exec_status == TaskStatus.Skipped or n in texts or n in skipped
            for n, u in ups.items()
        )
        if not calm:
            continue
        if markdown_only(task, seen):
            texts[name] = [p.metadata.timestamp for p in _files(task.product)]
        elif (
            any(n in texts or n in skipped for n in ups)
            and _not_newer(task)
            and task.product.exists()
            and not task.product._outdated_code_dependency()
        ):
            task.exec_status = TaskStatus.Skipped
            skipped.add(name)
    return texts


def _files(product) -> list:
    """The single products of a product (a MetaProduct holds several)."""
    from ploomber.products import MetaProduct

    return list(product) if isinstance(product, MetaProduct) else [product]


def keep_timestamps(dag, texts: dict[str, list]) -> None:
    """Give the products of markdown-only tasks that ran their previous timestamps back."""
    from ploomber.constants import TaskStatus

    for name, stamps in texts.items():
        task = dag[name]
        if task.exec_status != TaskStatus.Executed:
            continue
        for product, stamp in zip(_files(task.product), stamps, strict=True):
            data = {**product.metadata.to_dict(), "timestamp": stamp}
            product.save_metadata(data)
            product.metadata.update_locally(data)


def remember(dag, state: Path = STATE) -> None:
    """Keep, per notebook task whose stored text is its current one, the digests of its text
    and of its code cells (the file is rewritten only on change)."""
    out = dict(_remembered(state))
    for name in dag._iter():
        task = dag[name]
        code = code_digest(task)
        stored = task.product.metadata.stored_source_code
        if code is not None and stored is not None and stored == str(task.source):
            out[name] = {"text": _sha(stored), "code": code}
    text = json.dumps(out, indent=1, sort_keys=True)
    if state.is_file() and state.read_text(encoding="utf-8") == text:
        return
    state.parent.mkdir(parents=True, exist_ok=True)
    state.write_text(text, encoding="utf-8")
