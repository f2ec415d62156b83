"""Catalog registration: OpenMetadata payloads, workflow YAMLs, push, lineage graph and page.

Nothing here imports the OpenMetadata SDK at package import: `payloads`, `workflows` and `push`
import it themselves (it costs about 10 s), so only the catalog step pays for it.
"""
