"""CSV records as planters write them: RFC 4180 fields, UTF-8 lines, one value changed."""

from __future__ import annotations

TS_FORMAT = "%Y-%m-%d %H:%M:%S"


def esc(v: str | None) -> str:
    """One CSV field with RFC 4180 minimal quoting; None is empty."""
    if v is None:
        return ""
    return '"' + v.replace('"', '""') + '"' if any(ch in v for ch in ',"\n\r') else v


def line(values) -> bytes:
    """A complete UTF-8 CSV record with its LF."""
    return (",".join(esc(v) for v in values) + "\n").encode("utf-8")


def set_value(ctx, values: list, column: str, text) -> list:
    """A copy of values with column set to text."""
    out = list(values)
    out[ctx.i(column)] = text
    return out
