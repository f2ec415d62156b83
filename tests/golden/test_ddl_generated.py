"""Committed DDL under contracts/olist_mini/generated/ddl is fresh and parses in its dialect."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlglot
from sqlglot import exp

from contractbook.ddl import DIALECTS, get
from contractbook.ddl.files import scripts

GENERATED = Path(__file__).resolve().parents[2] / "contracts" / "olist_mini" / "generated" / "ddl"
REGENERATE = ("python -m contractbook ddl --all --out contracts/olist_mini/generated/ddl "
              "contracts/olist_mini/contract.yaml")


def test_generated_ddl_is_fresh(contract):
    expected = scripts(contract)
    on_disk = {p.name: p.read_text(encoding="utf-8") for p in GENERATED.glob("*.sql")}
    assert set(on_disk) == set(expected), f"stale file set; run: {REGENERATE}"
    stale = [n for n in expected if on_disk[n] != expected[n]]
    assert not stale, f"{stale} differ from the contract; run: {REGENERATE}"


@pytest.mark.parametrize("name", list(DIALECTS))
def test_generated_ddl_parses_in_its_dialect(name):
    for path in (GENERATED / f"{name}.sql", GENERATED / f"{name}.drop.sql"):
        statements = [s for s in sqlglot.parse(path.read_text(encoding="utf-8"), read=get(name).sqlglot)
                      if s is not None]
        assert statements
        opaque = [s.sql()[:80] for s in statements if isinstance(s, exp.Command)]
        assert not opaque, f"{path.name}: sqlglot could not parse {opaque}"
        creates = [s for s in statements if isinstance(s, exp.Create) and s.kind == "TABLE"]
        assert len(creates) in (0, 9)
