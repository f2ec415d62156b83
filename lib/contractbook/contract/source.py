"""Reading a contract file: YAML with line numbers, and readable paths into the document."""

from __future__ import annotations

from pathlib import Path

import yaml

from .errors import Problem

Key = str | int


class Source:
    """A parsed contract document that can say where (path, line) any element sits."""

    def __init__(self, file: str, data: dict, root: yaml.Node | None):
        self.file, self.data, self._root = file, data, root

    @classmethod
    def read(cls, path: str | Path) -> tuple[Source | None, list[Problem]]:
        """Parse the file; problems name the file and line when it cannot be read."""
        file = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except FileNotFoundError:
            return None, [
                Problem(
                    file,
                    "",
                    "file not found",
                    "pass the path of a contract.yaml, e.g. contracts/olist_mini/contract.yaml",
                )
            ]
        except UnicodeDecodeError as e:
            return None, [
                Problem(
                    file,
                    "",
                    f"not UTF-8 text ({e.reason} at byte {e.start})",
                    "save the contract as UTF-8",
                )
            ]
        try:
            root = yaml.compose(text, Loader=yaml.SafeLoader)
            data = yaml.safe_load(text)
        except yaml.YAMLError as e:
            mark = getattr(e, "problem_mark", None)
            line = mark.line + 1 if mark else None
            what = getattr(e, "problem", None) or str(e)
            return None, [
                Problem(
                    file,
                    "",
                    f"invalid YAML: {what}",
                    "fix the YAML syntax at that line (indentation, quotes, colons)",
                    line=line,
                )
            ]
        if not isinstance(data, dict):
            return None, [
                Problem(
                    file,
                    "",
                    "the document is not a mapping of ODCS fields",
                    "start the file with `apiVersion: v3.1.0`, `kind: DataContract`, ...",
                    line=1,
                )
            ]
        return cls(file, data, root), []

    def line(self, keys: list[Key]) -> int | None:
        """1-based line of the element at keys (or of its nearest existing parent)."""
        node, line = self._root, None
        for k in keys:
            if node is None:
                break
            line = node.start_mark.line + 1
            node = _child(node, k)
        return node.start_mark.line + 1 if node is not None else line

    def path(self, keys: list[Key]) -> str:
        """Readable path: list items named by their `name` where they have one."""
        out, cur = "", self.data
        for k in keys:
            if isinstance(k, int):
                item = cur[k] if isinstance(cur, list) and k < len(cur) else None
                name = item.get("name") if isinstance(item, dict) else None
                out += f"[{name}]" if isinstance(name, str) and name else f"[{k}]"
            else:
                out += f".{k}" if out else str(k)
            cur = _get(cur, k)
        return out

    def problem(
        self, keys: list[Key], message: str, fix: str = "", severity: str = "error"
    ) -> Problem:
        """A Problem located at keys."""
        return Problem(self.file, self.path(keys), message, fix, self.line(keys), severity)


def _get(cur, k):
    if isinstance(cur, dict):
        return cur.get(k)
    if isinstance(cur, list) and isinstance(k, int) and k < len(cur):
        return cur[k]
    return None


def _child(node: yaml.Node, k: Key) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        return next((v for key, v in node.value if key.value == k), None)
    if isinstance(node, yaml.SequenceNode) and isinstance(k, int) and k < len(node.value):
        return node.value[k]
    return None
