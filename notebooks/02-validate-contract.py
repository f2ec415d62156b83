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
# **What to check.** The verdict line; the problem table (empty is good); then the rule
# catalogue: every rule listed there is checked by a later step.

# %% tags=["parameters"]
upstream = None
product = None
contract = "contracts/olist_mini/contract.yaml"
raw_dir = "data/raw"
sample_rows = 500

# %%
from IPython.display import display

from contractbook.contract import parse
from contractbook.reporting import contract_view as view

model, problems = parse(contract)
print(f"{contract}: {view.verdict(model, problems)}")

# %% [markdown]
# ## Errors and warnings
# One row per problem, errors first (no rows: a clean contract). `path` points inside the YAML, e.g.
# `schema[orders].properties[customer_id].relationships[0].to`.

# %%
view.problems_table(problems)

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
display(model)

# %% [markdown]
# ## The rule catalogue
# The contract is turned into a flat list of checkable rules, each with a stable id such as
# `orders.order_status.allowed_values`. Later steps speak in these ids: the defect manifest of
# the synthetic data, the rejects of the ingest and the check results all name the rule broken.

# %%
view.rules_by_kind(model)

# %%
view.plot_rules(model)

# %% [markdown]
# Every rule, grouped by kind. `policy` says what a violation means for the row: `reject` it,
# or only `warn` (a relationship can be declared warn-only in the contract).

# %%
view.rules_table(model).style.hide(axis="index")

# %% [markdown]
# ## A first look at the data: JSON Schema sample check
# The contract also yields one JSON Schema (draft 2020-12) per table, committed under
# `contracts/olist_mini/generated/jsonschema/` for tools that speak JSON Schema (APIs, forms,
# message validators). Validating the first rows of each CSV against them is a cheap early
# warning that the data and the contract speak the same language; the full, row-by-row checks
# happen at ingest. Planted defects further down the files need not show up here.

# %%
from contractbook.jsonschema import check_sample

violations = check_sample(model, raw_dir, n=sample_rows)
print(f"{len(violations)} violation(s) in the first {sample_rows} records of each table")
view.violations_table(violations)
