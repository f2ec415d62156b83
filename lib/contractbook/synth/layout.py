"""File layouts the generator writes: names from a contract server, header quoting, BOM, newlines.

`plain` is `<table>.csv`, LF, minimal quoting. A plug-in may add layouts (Olist: `kaggle`, the
public download as published); their file names always come from the contract's file server of
the same purpose, so they are written in one place only (the contract).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class FileStyle:
    """How one file is written: quoted header row, UTF-8 BOM, record terminator."""

    quote_header: bool = False
    bom: bool = False
    newline: str = "\n"

    def __post_init__(self):
        if self.newline not in ("\n", "\r\n"):
            raise ValueError(f"newline must be LF or CRLF, got {self.newline!r}")


@dataclass(frozen=True)
class Layout:
    """A published layout: its contract server, file styles, always-quoted columns and quirks."""

    name: str
    server: str | None = None  # contract file server naming the files
    default: FileStyle = FileStyle()
    styles: dict[str, FileStyle] = field(default_factory=dict)  # table -> its own style
    quoted: frozenset[str] = frozenset()  # `table.column` always written quoted
    quirks: Callable | None = None  # (contract, {table: Arrow}, seed) -> same

    def style(self, table: str) -> FileStyle:
        """The style of table's file."""
        return self.styles.get(table, self.default)

    def file_names(self, contract) -> dict[str, str]:
        """{table: file name} for every contract table, from the layout's contract server."""
        from contractbook.reading.find import file_name, server

        srv = server(contract, self.server) if self.server else None
        return {t.name: file_name(srv, t.name) for t in contract.tables}


PLAIN = Layout("plain")


def choose(plugin, name: str | None) -> Layout:
    """The layout called name (None or "plain": the plain one); an unknown name is an error."""
    known = {PLAIN.name: PLAIN, **getattr(plugin, "layouts", {})}
    if name in (None, ""):
        return PLAIN
    if name not in known:
        raise ValueError(
            f"layout {name!r} is not known for this contract (plug-in "
            f"{plugin.name!r}); choose one of {sorted(known)}"
        )
    return known[name]


def header(table, style: FileStyle) -> bytes:
    """The header record of table in style: column names, quoted when the style says so."""
    from .render import header as plain_header

    text = (
        ",".join('"' + n.replace('"', '""') + '"' for n in table.column_names) + "\n"
        if style.quote_header
        else plain_header(table)
    )
    text = text[:-1] + style.newline
    return (("\ufeff" if style.bom else "") + text).encode("utf-8")


def requote(data: bytes, table, quoted: frozenset) -> bytes:
    """A well-formed planted record with the layout's always-quoted columns quoted; a malformed
    one (its point is to be malformed) as it is."""
    import csv

    from .records import esc, line

    cols = [i for i, n in enumerate(table.column_names) if f"{table.name}.{n}" in quoted]
    if not cols:
        return data
    try:
        rows = list(csv.reader([data.decode("utf-8")[:-1]]))
    except (UnicodeDecodeError, csv.Error):
        return data
    if len(rows) != 1 or len(rows[0]) != len(table.column_names) or line(rows[0]) != data:
        return data
    values = rows[0]
    return (
        ",".join(
            '"' + v.replace('"', '""') + '"' if i in cols and v else esc(v)
            for i, v in enumerate(values)
        )
        + "\n"
    ).encode("utf-8")


def terminate(data: bytes, style: FileStyle) -> bytes:
    """A planted record with the file's record terminator (planters write LF)."""
    if style.newline == "\r\n" and data.endswith(b"\n") and not data.endswith(b"\r\n"):
        return data[:-1] + b"\r\n"
    return data
