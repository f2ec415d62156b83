"""contractbook: one ODCS data contract drives the whole pipeline.

Package map, in the DAG's order (imports point one way: contract model -> generators, which
are pure -> runners, which do the I/O -> the notebooks, which stay thin):

- contract: load an ODCS file into a typed, validated model; the rules derived from it.
- synth: synthetic data from the contract, deterministic and vectorized, with planted defects
  (Olist realism lives in its own plug-in, synth.olist).
- generators, contract in and text out: ddl (CREATE/DROP per SQL dialect), jsonschema (one
  JSON Schema per table), gx.suites (Great Expectations suites), dltgen (a standalone dlt
  pipeline), diff (changes between versions: semver bump, changelog, migrations).
- ingest: reading (the one reader of every input file) then ingest (check every rule in DuckDB,
  keep rejects as data, load with dlt, account rows read = loaded + rejected); spark is the
  same plan on Spark.
- checks: gx (checkpoint runners before and after the load, Data Docs).
- metrics: curated SQL models over the accepted rows, their contract, the dashboard.
- catalog: OpenMetadata payloads, workflows and push; lineage (OpenLineage run events).
- around them: orchestrate (run configuration, build hooks, file sensor), reporting (notebook
  tables and the reports index), databricks (Jobs API), commands and cli (the command line).

Shared single modules: errors (exit codes), paths (the project root), sqltext (every contract
text that reaches SQL), registry (name lookups), runhistory (the `_runs` table), fastimport.
The README's architecture diagram is this map as the code imports it
(tests/support/imports.py).
"""

__version__ = "0.1.0"
