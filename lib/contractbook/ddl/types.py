"""Type maps as data: portable type kind -> SQL type per dialect, with each engine's limits.

The types come from the one table of kinds (contractbook.contract.kinds.TYPE_KINDS); TYPES is
its view per dialect.
"""

from __future__ import annotations

from contractbook.contract.kinds import DIALECT_NAMES, TYPE_KINDS, Fit

__all__ = ["KINDS_MAPPED", "TYPES", "DdlError", "Fit", "sql_type"]


class DdlError(ValueError):
    """A contract that cannot be rendered as DDL: unknown dialect, unmappable column type."""


# Keys are the kinds of contractbook.contract.TYPE_KINDS, plus "string(n)" for sized strings.
# A value is one Fit or a tuple of Fits tried in order (the first that holds wins).
TYPES: dict[str, dict[str, Fit | tuple[Fit, ...]]] = {
    d: {
        **{k.name: k.sql[d] for k in TYPE_KINDS.values()},
        "string(n)": TYPE_KINDS["string"].sized[d],
    }
    for d in DIALECT_NAMES
}


def _limits(fit: Fit) -> str:
    parts = [
        f"{k.replace('max_', '').replace('_', ' ')} at most {v}"
        for k, v in vars(fit).items()
        if k.startswith("max_") and v is not None
    ]
    return f"{fit.template} ({', '.join(parts)})" if parts else fit.template


def sql_type(types: dict, dialect: str, ctype, where: str) -> Fit:
    """The Fit rendering ctype in this dialect; DdlError naming `where` when none holds."""
    key = "string(n)" if ctype.kind == "string" and ctype.length else ctype.kind
    if key not in types:
        raise DdlError(
            f"column {where}: type {ctype} has no {dialect} mapping "
            f"(mapped kinds: {', '.join(types)})"
        )
    fits = types[key] if isinstance(types[key], tuple) else (types[key],)
    for fit in fits:
        if fit.holds(ctype.precision, ctype.scale, ctype.length):
            return fit
    raise DdlError(
        f"column {where}: type {ctype} does not fit any {dialect} type: "
        f"{'; '.join(_limits(f) for f in fits)}; change its physicalType"
    )


# The keys every dialect's map must define: each portable kind, plus strings with a length.
KINDS_MAPPED = (*TYPE_KINDS, "string(n)")
