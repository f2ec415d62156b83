# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Validate the contract
#
# **Why.** The data contract (`contracts/olist_mini/contract.yaml`, ODCS v3.1) is the single
# source of truth: the synthetic data, the DDL, the ingest checks and the Great Expectations
# suites are all derived from it. A mistake in the contract would be copied faithfully into
# every one of them, so we check the contract first and stop the pipeline on any error.
#
# **What.** Two layers of checks:
# 1. the ODCS JSON Schema and the `open-data-contract-standard` model (is it ODCS at all?);
# 2. semantic checks ODCS does not make: key and foreign-key columns exist, FK types are
#    compatible, names are safe SQL identifiers, regexes compile, SQL rules parse.
#
# Every problem names the file, the place inside the contract and the fix. Anything the contract
# declares that the pipeline does not enforce is a **warning**: reported here, never ignored.
#
# **First.** This is the DAG's first task: nothing is generated, loaded or checked from a contract
# that fails here.

# %% tags=["parameters"]
upstream = None
product = None
resources_ = None  # pipeline.yaml: {"contract": path}, tracked by content
contract = "contracts/olist_mini/contract.yaml"

# %%
from contractbook.contract import parse
from contractbook.paths import resolve, task_io
from contractbook.reporting import contract_view as view
from contractbook.reporting.checkpoint import checkpoint
from contractbook.reporting.tables import table

upstream, product = task_io("validate-contract", upstream, product)
contract = (resources_ or {}).get("contract", contract)
model, problems = parse(resolve(contract))
view.verdict_html(contract, model, problems)

# %% [markdown]
# ## Errors and warnings
# One row per problem, errors first (no rows: a clean contract). `path` points inside the YAML, e.g.
# `schema[orders].properties[customer_id].relationships[0].to`.

# %%
table(view.problems_table(problems))

# %% [markdown]
# Errors stop here: the task fails, and no later task runs on a broken contract.
# (`python -m contractbook validate CONTRACT` gives the same verdict on the command line.)

# %%
view.raise_on_errors(problems)

# %% [markdown]
# ## The contract, table by table
# Types are contractbook's portable kinds (`string(32)`, `decimal(10,2)`, `timestamp`...);
# `PK1, PK2` mark the positions in a composite primary key; `→` marks a foreign key.

# %%
model

# %% [markdown]
# ## The rule catalogue
# The contract is turned into a flat list of checkable rules, each with a stable id such as
# `orders.order_status.allowed_values`. Later steps speak in these ids: the defect manifest of
# the synthetic data, the rejects of the ingest and the check results all name the rule broken.

# %%
table(view.rules_by_kind(model))

# %%
view.plot_rules(model)

# %% [markdown]
# Every rule, grouped by kind. `policy` says what a violation means for the row: `reject` it,
# or only `warn` (a relationship can be declared warn-only in the contract).

# %%
table(view.rules_table(model))

# %% [markdown]
# ## What to check

# %%
ids = {r.id for r in model.rules}
checkpoint(product, {"no errors in the contract": not any(p.severity == "error" for p in problems),
                     "every rule has a stable id": len(ids) == len(model.rules)},
           {"contract version": model.version, "tables": len(model.tables),
            "rules": len(model.rules), "warnings": len(problems)},
           next_="[generate-data](generate-data.html) writes data shaped by this contract; "
                 "[emit-ddl](emit-ddl.html) writes its tables' DDL.")
