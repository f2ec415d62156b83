"""Checks of data against the contract's rules (SQL generators; engines run them elsewhere)."""
