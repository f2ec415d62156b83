"""Databricks: run a Jobs API job from the pipeline (databricks-sdk, imported lazily)."""
