"""JSON Schema (draft 2020-12) per table, derived from the contract; and a sample check of CSVs."""

from .generate import DIALECT_URI, generate, render
from .sample import Violation, check_sample

__all__ = ["DIALECT_URI", "Violation", "check_sample", "generate", "render"]
