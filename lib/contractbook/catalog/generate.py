"""Generator: the catalog files of one contract (payloads without test results, workflows)."""

from __future__ import annotations

import warnings

from contractbook.contract import Contract


def files(contract: Contract, destination: str = "duckdb") -> dict[str, str]:
    """Relative path -> text of every payload document and workflow YAML of contract alone."""
    with warnings.catch_warnings():  # the SDK's own pydantic warnings (its models' field names)
        warnings.filterwarnings(
            "ignore", message=r"Field name .* shadows an attribute", category=UserWarning
        )
        from .files import texts
        from .payloads import build

        return texts(build([contract], destination), contract)
