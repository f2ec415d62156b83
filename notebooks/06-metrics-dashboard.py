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
# # Metrics dashboard: curated tables an analyst can trust
#
# **Why.** Everything before this step exists so that these numbers can be believed. Each metric
# is a SQL model in `lib/contractbook/metrics/models/` (one file, one table of schema `curated`,
# written as named CTE steps), whose header declares its inputs and typed output columns. The
# models read **only accepted rows**: what the ingest rejected is not in these numbers, and each
# model says how many input rows it left out that way. The same files run on DuckDB and on
# PostgreSQL, transpiled by sqlglot; a contract for the curated tables is generated from the
# headers (`contracts/olist_mini/generated/curated.odcs.yaml`) and every curated row is checked
# against it with the very rules engine the ingest uses.
#
# **Filters.** `start_date`, `end_date` (ISO dates, inclusive; empty = open) and `states`
# (comma-separated, e.g. `SP,RJ`; empty = all) filter the accepted *orders*; the rows that refer
# to them follow, and the same models run again in memory on that selection. Set them in
# `env.yaml` (`metrics_start`, `metrics_end`, `metrics_states`) or in the cell below.

# %% tags=["parameters"]
upstream = None
product = None
contract = "contracts/olist_mini/contract.yaml"
destination = "duckdb"
start_date = ""
end_date = ""
states = ""

# %%
from contractbook.metrics.notebook import dashboard_for
from contractbook.paths import task_io
from contractbook.reporting.checkpoint import checkpoint

upstream, product = task_io("metrics-dashboard", upstream, product)
dash = dashboard_for(contract, upstream, product, destination, start_date, end_date, states)
dash.warehouse_run

# %% [markdown]
# The table above is the run in the warehouse: one row per model in dependency order
# (`order_deliveries` before the models that read it), its rows, and the rejected input rows it
# never saw; then the check of every curated table against its generated contract.
#
# ## Headline numbers
# Revenue is the sum of item prices (freight apart). A *payment mismatch* is an order whose
# payments differ from items + freight by more than one cent, an order without any payment
# included: the ingest rejects mismatched payments, so the orders left here are mostly unpaid ones.

# %%
dash.headline()

# %% [markdown]
# ## Deliveries
# **Why it matters.** A late delivery is the strongest driver of a bad review, and the promise
# (the estimated date) is what the customer measures against. The on-time rate counts delivered
# orders only; undelivered orders have no verdict rather than a wrong one.
#
# Orders per month (bars) and the on-time rate (line): a dip in the line during a peak of bars is
# the classic sign of logistics that do not scale.

# %%
dash.plot("monthly")

# %% [markdown]
# The delay distribution: days between delivery and the estimated date, negative = early. Most
# orders arrive well before the promise; the right tail, past the dashed line, is the late ones.

# %%
dash.plot("delay_histogram")

# %% [markdown]
# On-time rate per customer state, worst first; the grey label is the number of delivered
# orders. A low rate on a handful of orders is noise; on hundreds it is a regional problem.

# %%
dash.plot("state_on_time")

# %% [markdown]
# Hours from payment approval to the hand-over to the carrier: the part of the delay the seller
# controls. A long tail here points at sellers, not at the carrier.

# %%
dash.plot("carrier_hours")

# %% [markdown]
# ## Payments
# **Why it matters.** Every order should be paid exactly: points off the diagonal are money
# missing or paid twice, and orders at zero payments were never paid at all.

# %%
dash.plot("payment_gap")

# %% [markdown]
# ## Reviews
# **Why it matters.** Scores summarize satisfaction, but only by segment do they say what to fix.
# Here the mean score per delay class: it falls as soon as an order is late.

# %%
dash.plot("score_by_delay")

# %% [markdown]
# The mean score of the most reviewed categories, named in English through the translation
# table. A category missing from that table keeps its Portuguese name and is drawn in orange:
# it is kept and flagged, never dropped; products without a category are grey.

# %%
dash.plot("category_scores")

# %% [markdown]
# ## Sellers
# Each dot is a seller: revenue (log scale) against on-time rate, size = reviews, colour = mean
# score; hollow dots are sellers without any review, kept rather than hidden.

# %%
dash.plot("seller_map")

# %% [markdown]
# ## The tables behind the plots
# Sorted for reading and formatted; the full tables are in the warehouse's schema `curated` and
# exported as Parquet (this task's `data` product, `data/curated/`).

# %%
dash.tables("delivery_sla", "review_scores", "review_delay", "category_reviews", "seller_scorecard")

# %% [markdown]
# ## What to check
# A number is only as good as its reconciliation. On the selection shown:
# 1. `order_totals` has one row per accepted order: no order lost or doubled by a join.
# 2. Revenue and payments equal the sums over the accepted raw rows.
# 3. Customer states and months each add up to all orders: segments partition the data.
# 4. Every accepted review is in the score distribution.
# 5. On-time rates lie between 0 and 1.
# 6. Every curated row passes the generated contract (types, keys, ranges).
#
# The cell below verifies each, fails the task if one does not hold, and shows the list.

# %%
checks = dash.checkpoint()
checkpoint(product, {c.what: c.ok for c in checks.checks},
           {c.what: c.detail for c in checks.checks if c.detail}, next_="[the catalog and "
           "lineage](register-catalog.html), or back to [all reports](index.html).")

# %% [markdown]
# **Next.** Open a model file in `lib/contractbook/metrics/models/`, change a CTE, and run
# `python -m contractbook metrics`: the check tells you whether the table still honours its
# contract, and `tests/unit/test_metrics_models.py` whether the answers on the hand-written
# fixture are still exact. To catalogue the curated tables with their lineage, see
# `contractbook.metrics.models()`.
