"""Great Expectations from the contract: pure suite generation, a DuckDB shim, checkpoint runners.

GX is imported only inside the functions that run checks (it costs seconds to import).
"""

from .suites import NotMapped, Suite, coverage, generate, render, table_suite
from .targets import TARGETS

__all__ = ["TARGETS", "NotMapped", "Suite", "coverage", "generate", "render", "table_suite"]
