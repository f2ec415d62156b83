"""`mostly` tolerances per rule id or kind: from a parameter or CONTRACTBOOK_GX_MOSTLY."""

from __future__ import annotations

import os

ENV = "CONTRACTBOOK_GX_MOSTLY"


def parse(spec: str | float | dict | None) -> dict[str, float]:
    """'0.99' (every rule), 'foreign_key=0.99,orders.order_status.allowed_values=0.9' or a dict.

    Keys are '*', a rule kind or a rule id (they contain a dot); values in (0, 1].
    """
    from contractbook.contract.rules import RULE_KINDS

    if spec is None or spec == "":
        return {}
    if isinstance(spec, dict):
        items = dict(spec)
    elif isinstance(spec, int | float):
        items = {"*": spec}
    else:
        items = {}
        for part in str(spec).split(","):
            key, _, value = part.strip().rpartition("=")
            items[key.strip() or "*"] = value
    out = {}
    for kind, value in items.items():
        if kind != "*" and kind not in RULE_KINDS and "." not in kind:
            raise ValueError(
                f"{ENV}/mostly: {kind!r} is neither a rule kind ({', '.join(RULE_KINDS)}) "
                "nor a rule id such as orders.order_status.allowed_values"
            )
        try:
            f = float(value)
        except ValueError:
            raise ValueError(
                f"{ENV}/mostly: {kind}={value!r} is not a number; "
                "write e.g. 0.99 or foreign_key=0.99,pattern=0.995"
            ) from None
        if not 0 < f <= 1:
            raise ValueError(f"{ENV}/mostly: {kind}={f} must be in (0, 1]")
        out[kind] = f
    return out


def from_env(default: str | float | dict | None = None) -> dict[str, float]:
    """The tolerances of this run: the parameter if given, else the environment variable."""
    return parse(default if default not in (None, "") else os.environ.get(ENV))


def mostly_for(rule_id: str | None, kind: str, tolerances: dict[str, float]) -> float:
    """The tolerance of one rule: by id, else by kind, else '*', else 1.0 (every row passes)."""
    if rule_id in tolerances:
        return tolerances[rule_id]
    return tolerances.get(kind, tolerances.get("*", 1.0))


def check(tolerances: dict[str, float], rule_ids: list[str]) -> dict[str, float]:
    """tolerances, after checking every rule-id key names a rule of the contract."""
    unknown = [k for k in tolerances if "." in k and k not in rule_ids]
    if unknown:
        raise ValueError(
            f"{ENV}/mostly: no rule {', '.join(map(repr, unknown))} in the contract; "
            "rule ids look like orders.order_status.allowed_values"
        )
    return tolerances
