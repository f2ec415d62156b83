"""contractbook: one ODCS data contract drives the whole pipeline."""

__version__ = "0.1.0"
