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

# %% tags=["parameters"]
upstream = None
product = None
contract = "contracts/olist_mini/contract.yaml"
n_orders = 10000
seed = 42
defects = "all=2"

# %%
from IPython.display import display

from contractbook.contract import load
from contractbook.synth import generate, plugins, profile

out_dir = product["data"] if product else "data/raw"
model = load(contract)
olist = plugins.for_contract(model).name == "olist"  # another contract: the generic generator
result = generate(model, int(n_orders), int(seed), out_dir, defects=defects or "")
display(result)

# %% [markdown]
# ## Rows per table
# Customers and orders are one to one (as in the public data); items, payments and reviews
# scale with orders; geolocation holds several points per zip prefix.

# %%
profile.row_counts(result).style.hide(axis="index")

# %% [markdown]
# ## Orders over time and the status mix (Olist only)
# Orders grow from late 2016 through 2018, like the marketplace did. Nearly all orders are
# delivered; the rare statuses (created, approved) may not appear at all in a small sample.

# %%
if olist:
    mix = profile.status_mix(out_dir)
    display(mix.style.hide(axis="index"))
    fig = profile.plot(profile.orders_per_month(out_dir), mix)

# %% [markdown]
# ## Planted defects
# One row per rule with planted records. `first_line` is the physical line in `<table>.csv`
# (line 1 is the header). The ingest and Great Expectations steps must flag exactly these.

# %%
profile.defect_summary(out_dir).style.hide(axis="index")
