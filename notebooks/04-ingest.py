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
# **Upstream.** generate-data (the CSVs, through `upstream["generate-data"]["data"]`) and
# emit-ddl (the contract is valid and its DDL runs); run alone (`make ingest DATA=dir`), the
# folder `raw_dir` instead.

# %% tags=["parameters"]
upstream = None
product = None
contract = "contracts/olist_mini/contract.yaml"
destination = "duckdb"
data_dir = "data"
raw_dir = ""
resources_ = None  # {"contract": path}: Ploomber reruns this task when the file changes

# %%
from contractbook.contract import load
from contractbook.ingest import destinations, receipt, report
from contractbook.ingest.run import ingest
from contractbook.paths import input_folder, resolve, task_io
from contractbook.reporting.checkpoint import checkpoint
from contractbook.reporting.tables import table, tables

upstream, product = task_io("ingest", upstream, product)
contract = (resources_ or {}).get("contract", contract)
model = load(resolve(contract))
warehouse = destinations.get(destination).warehouse_in(resolve(data_dir))  # None for a server
result = ingest(model, input_folder(upstream, raw_dir), destination, warehouse,
                rejects_dir=product["rejects"], state_dir=resolve(".state/dlt"),
                progress=lambda _: None)
receipt_file = receipt.write(result, product["receipt"])  # what downstream tasks read

# %% [markdown]
# ## Accounting: rows read = rows loaded + rows rejected
# `loaded` and `rejected` are dlt's own row counts of what it normalized for the destination; a
# record with several reasons counts once; malformed lines count as read and rejected.

# %%
table(report.accounting_rows(result), caption=f"run {result.run_id} -> {result.destination}")

# %% [markdown]
# ## Why rows were rejected (or only warned)
# A rule with policy `warn` (a known quirk of the data: products without a category translation,
# carrier dates before approval, orders paid less than items + freight) loads the row and counts
# a warning. A foreign-key reject says its cause: an `orphan` (no such parent) or `parent
# rejected` (the parent row broke a rule; its table, key and rules are in `reject_detail`).

# %%
table(report.reason_rows(result))

# %% [markdown]
# ## Table-level SQL checks
# A SQL rule whose query returns one value (e.g. `MAX(amount)` below a cap) is checked on the
# accepted rows: no row is rejected; a failed `error` rule makes `contractbook ingest` exit 1.

# %%
table(report.table_check_rows(result))

# %% [markdown]
# ## A sample of rejected rows per reason
# Raw values exactly as written; malformed records keep their raw text in `raw_line`.

# %%
tables(report.samples(product["rejects"], result.run_id))

# %% [markdown]
# ## Load metrics (also stored in `_run_metrics`)
# Duration = this table's check time plus its share of the dlt load (by rows).

# %%
metrics = result.metrics()
table(metrics, drop=["run_id", "contract_id", "notes", "rejected_by_reason", "warnings_by_rule"])

# %%
_ = report.metrics_chart(metrics)

# %% [markdown]
# ## What to check

# %%
checkpoint(product, {"read = loaded + rejected for every table": result.ok}, report.totals(result),
           next_="[gx-checks](gx-checks.html) checks the raw files and the warehouse again, "
                 "with Great Expectations.")
