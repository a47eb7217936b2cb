"""Finding documents by owner, type and the text read from them, as one bounded SQL query.

A document's searchable text is stored with it as a derived record of kind ``TEXT_KIND`` whose JSON
is exactly ``{"text": "..."}``; the search is a case-insensitive ``LIKE`` anchored inside that one
string value, so a word that is only a JSON key (``text``) never matches. The same query runs on
SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone

from sqlalchemy import and_, select
from sqlalchemy.orm import Session, sessionmaker

from archive.catalog.models import DerivedRow, DocumentRow
from archive.errors import DocumentNotFoundError
from standards.like import LIKE_ESCAPE, like_contains

__all__ = ["TEXT_KIND", "put_text", "search"]

TEXT_KIND = "text"
"""The derived record holding a document's searchable text (e.g. its OCR lines)."""
_HEAD, _TAIL = '{"text": "', '"}'


def put_text(sessions: sessionmaker[Session], doc_id: str, text: str) -> None:
    """Store (or replace) the searchable text of a document."""
    payload = json.dumps({"text": text}, ensure_ascii=False)
    now = datetime.now(timezone.utc)
    with sessions.begin() as session:
        if session.get(DocumentRow, doc_id) is None:
            raise DocumentNotFoundError(f"document {doc_id} not found")
        row = session.get(DerivedRow, (doc_id, TEXT_KIND))
        if row is None:
            session.add(DerivedRow(document_id=doc_id, kind=TEXT_KIND, data=payload, updated_at=now))
        else:
            row.data, row.updated_at = payload, now


def _pattern(words: str) -> str:
    """The LIKE pattern for ``words`` inside the stored string: JSON-escaped as it was stored."""
    escaped = json.dumps(words, ensure_ascii=False)[1:-1]
    return _HEAD + like_contains(escaped) + _TAIL


def search(
    sessions: sessionmaker[Session], *, owner_code: str | None = None, doc_type: str | None = None,
    doc_types: tuple[str, ...] | None = None, text: str | None = None, limit: int = 50, offset: int = 0,
) -> list[DocumentRow]:
    """Documents matching every given filter, newest first; ``doc_types`` limits the types (scopes)."""
    query = select(DocumentRow)
    if owner_code:
        query = query.where(DocumentRow.owner_code == owner_code.strip().upper())
    if doc_type:
        query = query.where(DocumentRow.doc_type == doc_type)
    if doc_types is not None:
        query = query.where(DocumentRow.doc_type.in_(doc_types))
    if text and text.strip():
        query = query.join(DerivedRow, and_(DerivedRow.document_id == DocumentRow.id, DerivedRow.kind == TEXT_KIND))
        query = query.where(DerivedRow.data.ilike(_pattern(text.strip()), escape=LIKE_ESCAPE))
    query = query.order_by(DocumentRow.created_at.desc(), DocumentRow.id).limit(limit).offset(offset)
    with sessions() as session:
        return list(session.scalars(query))
