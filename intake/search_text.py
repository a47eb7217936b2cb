"""The searchable text of documents read before text search existed: derived from their stored OCR
results (``onceonly archive reindex-text``), the same text the OCR worker now stores with each result."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from archive import TEXT_KIND, Archive
from intake.jobs.runner import DERIVED_KIND

__all__ = ["backfill_text", "text_of"]


def text_of(stored: Mapping[str, Any]) -> str:
    """The reading-order text of a stored OCR result: its pages' lines, one per line of text."""
    pages = [p for p in stored.get("pages") or () if isinstance(p, Mapping)]
    return "\n".join("\n".join(str(line.get("text") or "") for line in page.get("lines") or ()
                               if isinstance(line, Mapping)) for page in pages)


def backfill_text(archive: Archive, *, batch: int = 500) -> int:
    """Store the searchable text of every document that has an OCR result but no text; returns how
    many were filled. Safe to run again (and while the service runs): documents with text are skipped."""
    filled, after = 0, ""
    while ids := archive.lacking(DERIVED_KIND, TEXT_KIND, after=after, limit=batch):
        for doc_id, stored in archive.get_derived_many(ids, DERIVED_KIND).items():
            archive.put_text(doc_id, text_of(stored))
            filled += 1
        after = ids[-1]
    return filled
