"""Where each table's input file is, from the contract (pure), and a check that all exist.

Without a server: `<data_dir>/<table>.csv`. With a file server (`type: local`, ODCS): its
customProperty `files` ({table: file}) for the tables it names, else its `path` (or `location`)
with `{model}` replaced by the table name, as datacontract-cli does. Relative paths are taken
from data_dir.
"""

from __future__ import annotations

import os
from pathlib import Path

from contractbook.contract import Contract

from .files import ReadError, problem

SERVER_ENV = "CONTRACTBOOK_SERVER"
FILE_SERVER_TYPES = ("local",)


def server(contract: Contract, name: str | None) -> dict | None:
    """The contract's file server called name (None: the default layout); an error names them."""
    if not name:
        return None
    servers = contract.raw.get("servers") or []
    files = [s.get("server") for s in servers if s.get("type") in FILE_SERVER_TYPES]
    for s in servers:
        if s.get("server") == name:
            if s.get("type") not in FILE_SERVER_TYPES:
                raise ReadError(
                    f"server {name!r} is of type {s.get('type')!r}, not a file "
                    f"server; choose one of {files} (or none for <table>.csv)"
                )
            return s
    raise ReadError(f"contract {contract.id} has no server {name!r}; file servers: {files}")


def _custom(srv: dict, prop: str):
    return next(
        (p.get("value") for p in srv.get("customProperties") or [] if p.get("property") == prop),
        None,
    )


def file_name(srv: dict | None, table: str) -> str:
    """The file (relative or absolute path) holding table on server srv."""
    if srv is None:
        return f"{table}.csv"
    files = _custom(srv, "files") or {}
    if table in files:
        return str(files[table])
    template = srv.get("path") or srv.get("location") or ""
    if "{model}" in template:
        return template.replace("{model}", table)
    return str(Path(template) / f"{table}.csv") if template else f"{table}.csv"


def sources(contract: Contract, data_dir, server_name: str | None = None) -> dict[str, Path]:
    """{table: input path} for every contract table (parents first)."""
    srv = server(contract, server_name if server_name is not None else os.environ.get(SERVER_ENV))
    return {t: Path(data_dir) / file_name(srv, t) for t in contract.dependency_order}


def require(paths: dict[str, Path]) -> None:
    """Raise one error listing every input that is missing or not a file."""
    problems = [p for p in (problem(path) for path in paths.values()) if p]
    if problems:
        raise ReadError(
            f"{len(problems)} of {len(paths)} input file(s) unusable: "
            + "; ".join(problems)
            + ". Put the files there, or choose the contract "
            f"server that names them (--server or {SERVER_ENV})"
        )
