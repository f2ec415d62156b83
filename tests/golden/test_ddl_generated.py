"""Committed DDL under contracts/olist_mini/generated/ddl parses in its dialect (freshness:
test_generated_fresh)."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlglot
from sqlglot import exp

from contractbook.ddl import DIALECTS, get

GENERATED = Path(__file__).resolve().parents[2] / "contracts" / "olist_mini" / "generated" / "ddl"


@pytest.mark.parametrize("name", list(DIALECTS))
def test_generated_ddl_parses_in_its_dialect(name):
    for path in (GENERATED / f"{name}.sql", GENERATED / f"{name}.drop.sql"):
        statements = [
            s
            for s in sqlglot.parse(path.read_text(encoding="utf-8"), read=get(name).sqlglot)
            if s is not None
        ]
        assert statements
        opaque = [s.sql()[:80] for s in statements if isinstance(s, exp.Command)]
        assert not opaque, f"{path.name}: sqlglot could not parse {opaque}"
        creates = [s for s in statements if isinstance(s, exp.Create) and s.kind == "TABLE"]
        assert len(creates) in (0, 9)
