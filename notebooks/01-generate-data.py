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
# # Generate the data
#
# **Why.** Every later step (DDL, ingest, Great Expectations) needs data shaped like the public
# Olist marketplace dataset, and each check needs bad rows to prove it works. So the generator
# writes the nine contract tables *and* plants defects on purpose, listing each one in a manifest
# (`defects.csv`: table, physical line, key, kind, rule id). A check is then right when it flags
# exactly the manifest's rows: no more, no fewer.
#
# **How.** Column names, order and types come from the contract. Values are simulated with numpy
# (vectorized, seeded: the same seed gives byte-identical files), with the public data's shape:
# pt_BR cities and the 27 state codes, zip prefixes with leading zeros, mostly delivered orders,
# timestamps in causal order with some late deliveries, payments that add up to items + freight
# to the cent, reviews with commas, quotes and line breaks.
#
# **Isolation.** Each planted record breaks only the rule(s) the manifest names: value defects go
# to rows no foreign key points at, never to a column a SQL rule reads; a duplicate order item
# costs 0.00 so the order's payment total still matches; malformed CSV lines are extra records,
# so a reader that skips them loses nothing else.
#
# **Defaults.** 10,000 orders (about 65,000 rows, a second to write) keep the whole build quick;
# `defects = "all=2"` plants two records of every kind, enough for every later report to show a
# reject of each kind and both a single and a composite duplicate key, while 99.9 % of the rows
# stay clean. `defects = ""` writes clean data.
#
# **Before this step** validate-contract checked the contract; a broken one stops the build there.

# %% tags=["parameters"]
upstream = None
product = None
contract = "contracts/olist_mini/contract.yaml"
n_orders = 10000
seed = 42
defects = "all=2"
sample_rows = 500

# %%
from IPython.display import display

from contractbook.contract import load
from contractbook.jsonschema import check_sample
from contractbook.paths import resolve, task_io
from contractbook.reporting.checkpoint import checkpoint
from contractbook.reporting.tables import table
from contractbook.synth import generate, plugins, profile

upstream, product = task_io("generate-data", upstream, product)
model = load(resolve(contract))
out_dir = product["data"]
olist = plugins.for_contract(model).name == "olist"  # another contract: the generic generator
result = generate(model, int(n_orders), int(seed), out_dir, defects=defects or "", progress=None)

# %% [markdown]
# ## Rows per table
# Customers and orders are one to one (as in the public data); items, payments and reviews
# scale with orders; geolocation holds several points per zip prefix.

# %%
table(profile.row_counts(result))

# %% [markdown]
# ## Orders over time and the status mix (Olist only)
# Orders grow from late 2016 through 2018, like the marketplace did. Nearly all orders are
# delivered; the rare statuses (created, approved) may not appear at all in a small sample.

# %%
if olist:
    mix = profile.status_mix(out_dir)
    display(table(mix))
    fig = profile.plot(profile.orders_per_month(out_dir), mix)

# %% [markdown]
# ## Planted defects
# One row per rule with planted records. `first_line` is the physical line in `<table>.csv`
# (line 1 is the header). The ingest and Great Expectations steps must flag exactly these.

# %%
table(profile.defect_summary(out_dir))

# %% [markdown]
# ## A first look at the data: JSON Schema sample check
# The contract also yields one JSON Schema (draft 2020-12) per table, committed under
# `contracts/olist_mini/generated/jsonschema/` for tools that speak JSON Schema (APIs, forms,
# message validators). Validating the first rows of each CSV against them is a cheap early
# warning that the data and the contract speak the same language; the full, row-by-row checks
# happen at ingest. Planted defects further down the files need not show up here.

# %%
violations = check_sample(model, out_dir, n=sample_rows)
table([vars(v) for v in violations], caption=f"violations in the first {sample_rows} records")

# %% [markdown]
# ## What to check

# %%
checkpoint(product, {
    "every contract table was written": set(result.rows) == set(model.table_names),
    "planted defects as asked": bool(result.defects) == bool(defects),
}, {"rows written": result.total_rows, "planted defect records": len(result.defects)},
    next_="[ingest](ingest.html) loads these files and must reject exactly the planted rows.")
