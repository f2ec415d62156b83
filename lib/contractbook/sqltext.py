"""Contract text into SQL and code, safely: quoted identifiers, escaped literals, inert comments.

Every SQL writer goes through these three functions; contract text never reaches SQL by string
formatting. Where SQL is executed at run time, values are bound parameters instead of literals.
The per-dialect rules are data (QUOTING); an unknown dialect raises SqlTextError.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


class SqlTextError(ValueError):
    """Text that cannot be written safely (e.g. a NUL character), or an unknown dialect."""


@dataclass(frozen=True)
class Quoting:
    """How one engine quotes identifiers and string literals."""

    quote: str  # identifier quote character
    ident_escapes: tuple[tuple[str, str], ...]  # replacements inside a quoted identifier, in order
    literal_escapes: tuple[tuple[str, str], ...]  # replacements inside '...', in order
    upper: bool = False  # fold identifiers to upper case (Snowflake)


_STANDARD = Quoting('"', (('"', '""'),), (("'", "''"),))
# Engines whose string literals read backslash escapes (and where a raw line break is refused
# or ambiguous in a literal): backslash first, then the quote and the control characters.
_BACKSLASH = (("\\", "\\\\"), ("'", "\\'"), ("\n", "\\n"), ("\r", "\\r"), ("\t", "\\t"))

QUOTING: dict[str, Quoting] = {
    "duckdb": _STANDARD,
    "postgres": _STANDARD,  # standard_conforming_strings=on (the default since 9.1)
    # Snowflake reads backslash escapes too, and a doubled quote as in standard SQL.
    "snowflake": Quoting(
        '"', (('"', '""'),), (("\\", "\\\\"), ("'", "''"), *_BACKSLASH[2:]), upper=True
    ),
    # BigQuery quoted identifiers take the same escape sequences as its string literals.
    "bigquery": Quoting(
        "`", (("\\", "\\\\"), ("`", "\\`"), ("\n", "\\n"), ("\r", "\\r")), _BACKSLASH
    ),
    "databricks": Quoting("`", (("`", "``"),), _BACKSLASH),
    # Spark SQL (the Spark engine's queries): as Databricks, whose SQL it is
    "spark": Quoting("`", (("`", "``"),), _BACKSLASH),
}

# Comment styles: line prefix, and sequences that could end or open a comment elsewhere.
COMMENT_STYLES: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {
    "sql": ("-- ", (("/*", "/ *"), ("*/", "* /"))),
    "python": ("# ", ()),
    "toml": ("# ", ()),
    "html": ("", (("-->", "- ->"), ("--!>", "- -!>"), ("<!--", "<! --"))),
}


def quoting(dialect: str) -> Quoting:
    """The quoting rules of dialect; SqlTextError listing the known ones otherwise."""
    if dialect not in QUOTING:
        raise SqlTextError(
            f"unknown SQL dialect {dialect!r} for quoting; known: {', '.join(QUOTING)}"
        )
    return QUOTING[dialect]


def _no_nul(text: str, what: str) -> str:
    if not isinstance(text, str):
        raise SqlTextError(f"{what} must be text, not {type(text).__name__}: {text!r}")
    if "\x00" in text:
        raise SqlTextError(
            f"{what} {text[:40]!r}... contains a NUL character, which SQL engines "
            "cannot store; remove it from the contract"
        )
    return text


def _replace(text: str, pairs: tuple[tuple[str, str], ...]) -> str:
    for old, new in pairs:
        text = text.replace(old, new)
    return text


_FOLDABLE = re.compile(r"^[a-z_][a-z0-9_$]*$")  # names an engine that folds case may fold


def ident(name: str, dialect: str = "duckdb") -> str:
    """name as a quoted identifier of dialect (any Unicode; NUL refused)."""
    q = quoting(dialect)
    name = _no_nul(name, "identifier")
    # folding keeps `orders` == ORDERS; a mixed-case or spaced name keeps its case
    name = name.upper() if q.upper and _FOLDABLE.match(name) else name
    return f"{q.quote}{_replace(name, q.ident_escapes)}{q.quote}"


def literal(text: str, dialect: str = "duckdb") -> str:
    """text as a string literal of dialect, for SQL written out (bind values at run time)."""
    q = quoting(dialect)
    return f"'{_replace(_no_nul(text, 'string literal'), q.literal_escapes)}'"


def comment(text: str, style: str = "sql") -> list[str]:
    """text as comment lines: one per line of text, NUL removed, comment delimiters broken up.

    Every line break Python knows (LF, CR, CRLF, VT, FF, NEL, U+2028/9, ...) starts a new
    commented line, so no part of text ever stands outside a comment.
    """
    if style not in COMMENT_STYLES:
        raise SqlTextError(f"unknown comment style {style!r}; known: {', '.join(COMMENT_STYLES)}")
    prefix, breaks = COMMENT_STYLES[style]
    lines = str(text).replace("\x00", "").splitlines() or [""]
    return [(prefix + _inert(line, breaks)).rstrip() for line in lines]


def _inert(line: str, breaks: tuple[tuple[str, str], ...]) -> str:
    """line with every delimiter broken up, repeated until none is left (e.g. `---`)."""
    while any(old in line for old, _ in breaks):
        line = _replace(line, breaks)
    return line


def comment_text(text: str, style: str = "sql") -> str:
    """comment() joined by newlines."""
    return "\n".join(comment(text, style))


def one_line(text: str) -> str:
    """text on one line (line breaks as spaces, NUL removed), for prose inside a single comment."""
    return " ".join(str(text).replace("\x00", "").splitlines())


def name_token(text: str) -> str:
    """text when it is a plain name ([a-z0-9_], at most 64), else `c<digest>`: for names that
    become folders, files or keys (dlt pipelines, GX suites), so contract text is never a path."""
    import hashlib
    import re

    if re.fullmatch(r"[a-z0-9_]{1,64}", text):
        return text
    return "c" + hashlib.sha256(text.encode()).hexdigest()[:16]
