"""Runner: an ingest run's receipt, a small JSON file (the DAG task's product, any destination)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from .accounts import Account, html_rows
from .tablerules import TableRuleResult


@dataclass(frozen=True)
class Receipt:
    """What a run wrote where (never a secret): run, status, warehouse and accounting per table."""

    run_id: str
    status: str
    destination: str
    location: str
    contract_id: str
    contract_version: str
    accounting: list[Account]
    table_checks: list[TableRuleResult] = field(default_factory=list)  # one-number SQL rules

    def to_dict(self) -> dict:
        """The JSON form (what the receipt file holds)."""
        return {
            **asdict(self),
            "accounting": [a.to_dict() for a in self.accounting],
            "table_checks": [t.to_dict() for t in self.table_checks],
        }

    @classmethod
    def from_dict(cls, d: dict) -> Receipt:
        """The Receipt of a JSON document written by to_dict() (older ones lack table_checks)."""
        values = {f.name: d[f.name] for f in fields(cls) if f.name in d}
        return cls(
            **{
                **values,
                "accounting": [Account.from_dict(a) for a in d["accounting"]],
                "table_checks": [TableRuleResult.from_dict(t) for t in d.get("table_checks", [])],
            }
        )

    def _repr_html_(self) -> str:
        return html_rows(self.accounting, f"run {self.run_id} ({self.status}) -> {self.location}")


def write(result, path: str | Path) -> Path:
    """Write the receipt of an IngestResult to path (JSON); returns the path."""
    receipt = Receipt(
        result.run_id,
        result.status,
        result.destination,
        result.location,
        result.contract.id,
        result.contract.version,
        result.accounting(),
        [r for c in result.checks.values() for r in getattr(c, "table_rules", ())],
    )
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(receipt.to_dict(), indent=2, sort_keys=False) + "\n")
    return path


def read(path: str | Path) -> Receipt:
    """The Receipt written at path."""
    return Receipt.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))


def warehouse(path: str | Path) -> str:
    """Where the run of the receipt at path loaded: a local destination's file or folder, or a
    server's identity (`postgres://host:port/db`, no secret)."""
    r = read(path)
    local = r.location.removeprefix(f"{r.destination}:")
    return r.location if local.startswith("//") else local
