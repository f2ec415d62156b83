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
# # Emit DDL from the contract
#
# **Why.** A warehouse table is a second copy of the contract: its columns, types, keys and
# foreign keys. Written by hand, that copy drifts. Here it is *generated* from the contract for
# five engines (DuckDB, PostgreSQL, BigQuery, Snowflake, Databricks), so a change to the contract
# changes every table definition the same way.
#
# **What.** For each dialect: `CREATE SCHEMA`, then `CREATE TABLE` in foreign-key order (parents
# first) with `NOT NULL`, `PRIMARY KEY` (composite keys in key order), `UNIQUE`, one `FOREIGN KEY`
# per relationship, indexes on FK columns, and comments from the descriptions; plus a `DROP`
# script in reverse order. Engines differ in what they *enforce*: DuckDB and PostgreSQL reject
# bad keys; BigQuery (`NOT ENFORCED`), Snowflake and Databricks only record them. Each constraint
# carries a comment saying which.
#
# **A policy decision.** `products -> product_category_name_translation` has `onViolation: warn`:
# the public data has categories without a translation, and the contract keeps those products.
# An enforcing engine would reject them, so there the FK is written as a comment with the reason;
# where keys are informational it is declared like the others.
#
# **Upstream.** validate-contract: DDL is written from a valid contract only.

# %% tags=["parameters"]
upstream = None
product = None
contract = "contracts/olist_mini/contract.yaml"
catalog = None
schema = None

# %%
from IPython.display import HTML

from contractbook.contract import load
from contractbook.ddl import create, target
from contractbook.ddl.erd import draw
from contractbook.ddl.files import write
from contractbook.ddl.inspect import try_duckdb
from contractbook.ddl.report import details_html, summary
from contractbook.paths import resolve, task_io
from contractbook.reporting.checkpoint import checkpoint
from contractbook.reporting.tables import table

upstream, product = task_io("emit-ddl", upstream, product)
model = load(resolve(contract))
written = write(model, product["ddl"], catalog=catalog, schema=schema, progress=None)

# %% [markdown]
# ## The dialects side by side
# How many foreign keys each engine gets as real constraints, how many stay comments, and
# whether it has `UNIQUE` and indexes at all.

# %%
table(summary(model, catalog, schema))

# %% [markdown]
# ## Proof: the DuckDB DDL runs
# The script runs in a throwaway **in-memory** DuckDB (the warehouse file belongs to the ingest
# step, whose tables dlt creates). Every primary key, unique and foreign key the contract
# declares shows up in DuckDB's own catalog.

# %%
sql, duck = create(model, "duckdb", catalog, schema), target(model, "duckdb", catalog, schema)
found = [dict(zip(["table", "constraint", "columns", "references"], r, strict=True))
         for r in try_duckdb(sql, duck.schema)]
table(found)

# %% [markdown]
# ## The scripts
# Open a dialect to read its DDL. The committed copies live in
# `contracts/olist_mini/generated/ddl/` (a test fails when they drift from the contract);
# this run wrote the same files under the data directory.

# %%
HTML("".join(details_html(p.name, p.read_text(encoding="utf-8"), open_=p.name == "duckdb.sql")
             for p in written))

# %% [markdown]
# ## Entity-relationship diagram
# Drawn from the contract's relationships: an arrow goes from the child table to the parent
# it references; dashed red is a warn-only foreign key.

# %%
fig = draw(model)

# %% [markdown]
# ## What to check

# %%
checkpoint(product, {"one script per dialect written": len(written) >= 5,
                     "every primary key is a constraint in DuckDB":
                         {t.physical for t in model.tables if t.primary_key}
                         <= {r["table"] for r in found}},
           {"scripts": len(written), "constraints in DuckDB": len(found)},
           next_="[ingest](ingest.html) loads the data into these tables. When the contract "
                 "changes, `python -m contractbook diff OLD NEW --dialect duckdb` classifies each "
                 "change, proposes the version bump and prints the migration.")
