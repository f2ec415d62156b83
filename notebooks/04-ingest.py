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
# # Ingest: typed, checked, every row accounted for
#
# **Why.** Loading tools drop what they cannot load: dlt's own schema contracts discard bad rows
# silently. Here nothing is dropped. Every record read from a CSV is either *loaded* into the
# warehouse or *kept as a reject* with every contract rule it broke, its raw values, its file and
# line. The run checks `read = loaded + rejected` for every table and fails if it does not hold.
#
# **How.** DuckDB reads each file as text (ids keep their leading zeros, nothing is guessed) and
# records malformed lines (wrong column count, broken quoting, bytes that are not UTF-8) instead of
# failing. One SQL pass per table casts the values with the contract's types and lists every broken
# rule: type, required, primary key, allowed values, pattern, range, foreign key (against the
# parent's *accepted* rows, so parents are ingested first), then the cross-table SQL rules.
# For a repeated key, the first occurrence is kept and later ones are rejected.
# The accepted rows stream to dlt as Arrow batches (merge on the contract's key), next to
# `<table>__rejects` and `_run_metrics`; rejects also go to Parquet by reason and date.
#
# **What to check.** The accounting table (all `yes`), the reasons, a sample of rejected rows per
# reason, and the load metrics.

# %% tags=["parameters"]
upstream = ["generate-data", "emit-ddl"]
product = None
contract = "contracts/olist_mini/contract.yaml"
raw_dir = "data/raw"
rejects_dir = "data/rejects"
destination = "duckdb"
data_dir = "data"

# %%
import pandas as pd
from IPython.display import display

from contractbook.contract import load
from contractbook.ingest import destinations, receipt, report
from contractbook.ingest.run import ingest

model = load(contract)
warehouse = destinations.get(destination).warehouse_in(data_dir)  # None for a server
result = ingest(model, raw_dir, destination, warehouse, rejects_dir=rejects_dir)
receipt.write(result, product["receipt"])
display(result)

# %% [markdown]
# ## Accounting: rows read = rows loaded + rows rejected
# `loaded` and `rejected` are dlt's own row counts of what it normalized for the destination; a
# record with several reasons counts once; malformed lines count as read and rejected.

# %%
display(pd.DataFrame(report.accounting_rows(result)))
assert result.ok, "the accounting equation failed: see the table above"

# %% [markdown]
# ## Why rows were rejected (or only warned)
# A foreign key with policy `warn` (products without a category translation) loads the row and
# counts a warning.

# %%
pd.DataFrame(report.reason_rows(result))

# %% [markdown]
# ## A sample of rejected rows per reason
# Raw values exactly as written; malformed records keep their raw text in `raw_line`.

# %%
for table, rows in report.samples(rejects_dir, result.run_id).items():
    display(pd.DataFrame(rows).style.set_caption(table))

# %% [markdown]
# ## Load metrics (also stored in `_run_metrics`)
# Duration = this table's check time plus its share of the dlt load (by rows).

# %%
metrics = result.metrics()
display(pd.DataFrame(metrics).drop(columns=["run_id", "contract_id", "notes"]))
_ = report.metrics_chart(metrics)
