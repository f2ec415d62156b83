"""OpenLineage run events for every pipeline task, derived from the contract and the run.

`events` builds them (pure), `emit` sends them (file under data/lineage/ or HTTP), `executor`
wires them into Ploomber: START before each task runs, COMPLETE or FAIL after.
"""
