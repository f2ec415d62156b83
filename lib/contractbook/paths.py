"""Where things are: the project root, and a task's inputs and outputs read from pipeline.yaml.

A notebook runs in three ways: under `ploomber build` (cwd = project root, `upstream` and
`product` injected), in JupyterLab after `ploomber nb --inject` (cwd = notebooks/, injected), and
in JupyterLab as it is (cwd = notebooks/, `upstream = product = None`). `task_io` gives the same
absolute paths in all three: injected values when there are some, else pipeline.yaml's own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

MARKER = "pipeline.yaml"
_PLACEHOLDER = re.compile(r"\{\{\s*([\w.]+)\s*\}\}")


def project_root(start: str | Path | None = None) -> Path:
    """The nearest folder at or above start (default: cwd) that holds pipeline.yaml."""
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / MARKER).is_file():
            return folder
    raise FileNotFoundError(f"no project root (a folder with {MARKER}) at or above {here}")


def resolve(path: str | Path, root: Path | None = None) -> str:
    """path itself when absolute, else path below the project root (as a string)."""
    p = Path(path)
    return str(p if p.is_absolute() else (root or project_root()) / p)


def at_root(path: str | Path, start: str | Path | None = None) -> Path:
    """path itself when absolute, else path under the project root found from start (a Path)."""
    p = Path(path)
    return p if p.is_absolute() else project_root(start) / p


# The project's raw contract, relative to the root (the metrics models read it by default).
RAW_CONTRACT = Path("contracts/olist_mini/contract.yaml")


def default_contract() -> Path:
    """The project's raw contract: under the root above cwd, else beside the installed package."""
    try:
        found = at_root(RAW_CONTRACT)
        if found.is_file():
            return found
    except FileNotFoundError:
        pass
    return Path(__file__).resolve().parents[2] / RAW_CONTRACT


def _render(value, env: dict):
    """value with every {{key}} replaced by env[key] (strings, lists and dicts, recursively)."""
    if isinstance(value, dict):
        return {k: _render(v, env) for k, v in value.items()}
    if isinstance(value, list):
        return [_render(v, env) for v in value]
    if isinstance(value, str):
        return _PLACEHOLDER.sub(lambda m: str(env[m.group(1)]), value)
    return value


def _products(task: dict, env: dict, root: Path) -> dict:
    product = _render(task["product"], env)
    if isinstance(product, str):
        return {"nb": resolve(product, root)}
    return {k: resolve(v, root) for k, v in product.items()}


@dataclass(frozen=True)
class TaskIO:
    """A task's upstream products ({task: {key: path}}) and its own products ({key: path})."""

    upstream: dict
    product: dict

    def __iter__(self):
        return iter((self.upstream, self.product))


def pipeline_tasks(root: Path | None = None) -> dict[str, dict]:
    """Task name -> its pipeline.yaml block (imported ones too), env.yaml placeholders rendered."""
    import yaml

    root = root or project_root()
    env = yaml.safe_load((root / "env.yaml").read_text(encoding="utf-8")) or {}
    env = {"root": str(root), "here": str(root), **env}
    return {t["name"]: {**t, "product": _products(t, env, root)} for t in spec_tasks(root)}


def spec_tasks(root: Path | None = None, pipeline: str = MARKER) -> list[dict]:
    """The task blocks of a pipeline file, with those it imports (`meta.import_tasks_from`)."""
    import yaml

    root = root or project_root()
    spec = yaml.safe_load((root / pipeline).read_text(encoding="utf-8"))
    tasks = list(spec.get("tasks") or [])
    partial = (spec.get("meta") or {}).get("import_tasks_from")
    if partial:
        tasks += yaml.safe_load((root / partial).read_text(encoding="utf-8")) or []
    return tasks


def task_io(task: str, upstream=None, product=None) -> TaskIO:
    """Injected upstream/product when given, else the ones pipeline.yaml declares for task."""
    if product is not None:
        return TaskIO(
            _ungrouped(upstream or {}),
            dict(product) if isinstance(product, dict) else {"nb": str(product)},
        )
    tasks = pipeline_tasks()
    block = tasks[task]
    ups = {name: tasks[name]["product"] for name in upstream_names(block, tasks)}
    return TaskIO(ups, block["product"])


def upstream_names(block: dict, names) -> list[str]:
    """The task names a block's `upstream` matches (`*` wildcards as Ploomber expands them)."""
    from fnmatch import filter as matching

    out: list[str] = []
    for up in block.get("upstream") or []:
        out += matching(list(names), up) if "*" in up else [up]
    return out


def _ungrouped(upstream) -> dict:
    """Injected upstream with Ploomber's wildcard groups ({"x*": {"x": products}}) flattened."""
    out: dict = {}
    for key, value in dict(upstream).items():
        out.update(value if "*" in key else {key: value})
    return out


def shown(path: str | Path, root: Path | None = None) -> str:
    """path as a report shows it: relative to the project root (no build-machine path)."""
    p = Path(path)
    base = root or project_root()
    return str(p.relative_to(base)) if p.is_absolute() and p.is_relative_to(base) else str(p)


def input_folder(upstream: dict, raw_dir: str = "", task: str = "generate-data") -> str:
    """The folder of input files the ingest side reads: raw_dir when set, else task's `data`."""
    if raw_dir:
        return resolve(raw_dir)
    if task not in upstream:
        raise FileNotFoundError(
            f"no input folder: raw_dir is empty and this pipeline has no "
            f"{task} task; run `make ingest DATA=dir` (or pass "
            "--env--raw_dir dir) with the folder of files"
        )
    return upstream[task]["data"]
