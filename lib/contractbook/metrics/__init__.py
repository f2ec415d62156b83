"""Curated metrics: SQL models over the accepted rows, their generated contract, a dashboard.

`models()` returns the model declarations (typed records, dependency order) for other steps,
e.g. a catalog registering the curated tables and their column lineage.
"""

from .declare import CURATED, RAW, Input, Model, ModelError, OutputColumn, models

__all__ = ["CURATED", "RAW", "Input", "Model", "ModelError", "OutputColumn", "models"]
