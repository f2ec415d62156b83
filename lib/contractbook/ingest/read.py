"""Ingest reads through contractbook.reading (the one reader); this keeps the error's old name."""

from __future__ import annotations

from contractbook.reading.files import ReadError as IngestError

__all__ = ["IngestError"]
