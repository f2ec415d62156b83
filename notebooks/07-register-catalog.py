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
# # Register the catalog: OpenMetadata and lineage, from the contract and the run
#
# **Why.** A catalog is only trusted when it says what the data *is* and how it *did*.
# OpenMetadata's own contract import drops the quality rules, so we register from the contract
# directly: the services, the tables with their types (decimal precision and scale, varchar
# lengths), keys and foreign keys, the personal-data classifications, one test case per contract
# rule *with the latest run's result*, and the lineage raw files → warehouse tables → curated
# tables.
#
# **How.** The requests are built with the OpenMetadata SDK's own models and written as JSON under
# `data/catalog/`, next to `metadata ingest` workflow YAMLs for PostgreSQL, the raw files (datalake)
# and Databricks Unity Catalog. With `OPENMETADATA_HOST` and `OPENMETADATA_JWT_TOKEN` set, they are
# registered (create or update: rerun after a failure); without them this is a dry run.
# Every task of the build also emitted OpenLineage events (`data/lineage/`).
#
# **What to check.** The verdict line (registered or dry run), the request counts, the graph and the
# catalog page.

# %% tags=["parameters"]
upstream = None
product = None
contract = "contracts/olist_mini/contract.yaml"
curated_contracts = ""  # comma-separated output contracts of the metrics step
destination = "duckdb"

# %%
from IPython.display import HTML, Image, display

from contractbook.catalog.step import run
from contractbook.ingest import receipt
from contractbook.paths import shown, task_io
from contractbook.reporting.checkpoint import checkpoint

upstream, product = task_io("register-catalog", upstream, product)
contracts = [contract, *filter(None, curated_contracts.split(","))]
result = run(contracts, destination, receipt.warehouse(upstream["ingest"]["receipt"]),
             product["catalog"], product["page"])
result

# %% [markdown]
# ## Lineage: raw files → warehouse tables → curated tables
# Column-level pairs are in the payload (`lineage.json`) and on the catalog page.

# %%
Image(filename=str(result.graph_png))

# %% [markdown]
# ## The catalog page
# One self-contained HTML file (it opens offline): tables, columns, classifications, every rule with
# its latest result, owners and lineage.

# %%
link = f"<a href='{result.page.name}'>Open the catalog page</a>"
display(HTML(f"<p>{link} ({shown(result.page)})</p>"))
result.payloads.tables[0].model_dump(exclude_none=True, mode="json")

# %% [markdown]
# ## What to check
# Every table of the raw and curated contracts has a table request, and the catalog page exists.

# %%
registered = result.registered_tables()
checkpoint(product, {"every contract table has a table request":
                     {t.physical for c in result.contracts for t in c.tables} <= registered,
                     "the catalog page was written": result.page.is_file()},
           {"tables": len(result.payloads.tables), "verdict": result.push.verdict},
           next_="[the catalog page](catalog.html), or back to [all reports](index.html).")
