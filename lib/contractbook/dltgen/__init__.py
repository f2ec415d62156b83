"""Generate a readable, standalone dlt pipeline (and destination settings) from a contract."""

from .generate import GENERATOR, files

__all__ = ["GENERATOR", "files"]
