"""Imports that are slow for no benefit to contractbook, made fast."""

from __future__ import annotations

import sys


def jsonschema():
    """`jsonschema` without its optional `rfc3987_syntax` format checker (2 s of grammar building).

    contractbook never checks the `iri`/`uri-reference` formats that module serves. The block is
    lifted right after the import, so other code can still import `rfc3987_syntax` itself.
    """
    if "jsonschema" not in sys.modules and "rfc3987_syntax" not in sys.modules:
        # None makes `import rfc3987_syntax` raise ImportError (typeshed allows modules only)
        sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]
        try:
            import jsonschema as module
        finally:
            del sys.modules["rfc3987_syntax"]
        return module
    import jsonschema as module

    return module
