"""Where curated columns come from: ODCS `transformSourceObjects` (`table.column`), no SDK."""

from __future__ import annotations

from contractbook.contract import Contract


def sources(contract: Contract) -> dict[tuple[str, str], tuple[str, ...]]:
    """(table, column) -> the `table.column` sources its ODCS `transformSourceObjects` name."""
    out = {}
    for obj in (contract.raw or {}).get("schema") or []:
        for prop in obj.get("properties") or []:
            if prop.get("transformSourceObjects"):
                out[(obj["name"], prop["name"])] = tuple(prop["transformSourceObjects"])
    return out
