"""Read GX's stored validation results (the latest per table and target) as rule results."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from contractbook.catalog.results import RuleResult
from contractbook.contract import Contract


def _result(table: str, target: str, r: dict, run_id: str) -> RuleResult | None:
    cfg = r.get("expectation_config") or {}
    meta = cfg.get("meta") or {}
    if not meta.get("rule_id"):
        return None
    res = r.get("result") or {}
    failing = res.get("unexpected_count")
    if failing is None and isinstance(res.get("observed_value"), int):
        failing = res["observed_value"]
    return RuleResult(
        meta["rule_id"],
        table,
        meta.get("kind", "table"),
        bool(r.get("success")),
        int(failing or 0),
        int(res.get("element_count") or 0),
        run_id,
        f"gx:{target}",
    )


def gx_results(
    gx_dir: str | Path, contract: Contract, since: datetime | None = None
) -> dict[tuple[str, str], list[RuleResult]]:
    """(target, table) -> results of the newest validation (written after since, if given)."""
    base = Path(gx_dir) / "uncommitted" / "validations" / contract.name
    out: dict[tuple[str, str], list[RuleResult]] = {}
    stamp = since.strftime("%Y%m%dT%H%M%S") if since else ""
    for table in contract.table_names:
        for target_dir in sorted((base / table).glob("*")) if (base / table).is_dir() else []:
            files = sorted(target_dir.glob("*/*/*.json"), key=lambda p: p.parent.name)
            if not files or files[-1].parent.name[:15] < stamp:
                continue
            doc = json.loads(files[-1].read_text(encoding="utf-8"))
            run_id = files[-1].parent.name
            found = [_result(table, target_dir.name, r, run_id) for r in doc.get("results", [])]
            out[(target_dir.name, table)] = [f for f in found if f]
    return out
