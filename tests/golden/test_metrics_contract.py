"""The committed curated contract is valid ODCS describing every model (freshness:
test_generated_fresh)."""

from __future__ import annotations

from pathlib import Path

from contractbook.contract import load
from contractbook.metrics import models
from contractbook.metrics.contract import GENERATOR

COMMITTED = (
    Path(__file__).resolve().parents[2]
    / "contracts"
    / "olist_mini"
    / "generated"
    / "curated.odcs.yaml"
)


def test_curated_contract_is_valid_and_describes_every_model(contract):
    curated = load(COMMITTED)  # ODCS JSON Schema, pydantic model and the semantic checks
    assert curated.version == contract.version and curated.id == f"{contract.id}:curated"
    first = COMMITTED.read_text(encoding="utf-8").splitlines()[0]
    assert GENERATOR in first and f"{contract.id} v{contract.version}" in first
    declared = {m.name: m for m in models(contract)}
    assert curated.table_names == list(declared)
    for t in curated.tables:
        assert t.column_names == declared[t.name].column_names
        assert t.primary_key == declared[t.name].primary_key


def test_pass_through_columns_inherit_the_raw_contract_types(contract):
    curated = load(COMMITTED)
    order_id = curated.table("order_totals").column("order_id")
    raw = contract.table("orders").column("order_id")
    assert (order_id.type, order_id.pattern, order_id.description) == (
        raw.type,
        raw.pattern,
        raw.description,
    )
    # through a model: order_deliveries.customer_state <- customers.customer_state
    state = curated.table("order_deliveries").column("customer_state")
    assert state.type == contract.table("customers").column("customer_state").type
