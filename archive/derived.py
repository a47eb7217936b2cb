"""Derived data of archived documents (OCR results, 四性检测 reports, searchable text): JSON rows
beside the catalog, never the original bytes; a mixin of :class:`archive.service.Archive`."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any, Iterable

from sqlalchemy import ColumnElement, Engine, Row, String, any_, bindparam, exists, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session, aliased, sessionmaker

from archive.catalog.models import DerivedRow, DocumentRow
from archive.checks import CHECKS_KIND
from archive.errors import DocumentNotFoundError
from archive.fetch_cache import FetchCache


class DerivedData:
    """Reads and writes of derived rows; the class using it provides ``sessions`` and ``reads``."""

    sessions: sessionmaker[Session]
    fetch_cache: FetchCache
    reads: Engine
    """The engine for reads only (``archive.catalog.read_engine``)."""

    def put_derived(self, doc_id: str, kind: str, data: dict) -> None:
        with self.sessions.begin() as session:
            if session.get(DocumentRow, doc_id) is None:
                raise DocumentNotFoundError(f"document {doc_id} not found")
            row = session.get(DerivedRow, (doc_id, kind))
            payload = json.dumps(data, ensure_ascii=False)
            now = datetime.now(timezone.utc)
            if row is None:
                session.add(DerivedRow(document_id=doc_id, kind=kind, data=payload, updated_at=now))
            else:
                row.data, row.updated_at = payload, now
        if kind == CHECKS_KIND:
            self.fetch_cache.forget(doc_id)  # a new verdict counts at once in this process

    def failed_recheck(self, doc_id: str) -> bool:
        """True when the last re-check (``onceonly archive check``) found this document no longer good."""
        return _failed(self.get_derived(doc_id, CHECKS_KIND))

    def failed_rechecks(self, doc_ids: Iterable[str]) -> set[str]:
        """Of ``doc_ids``, those whose last re-check failed (:meth:`failed_recheck` in one query).

        Only reports that carry a ``recheck`` entry are read and parsed: documents never re-checked
        cost nothing but the index lookup."""
        wanted = list(dict.fromkeys(doc_ids))
        if not wanted:
            return set()
        rows = self._read(select(DerivedRow.document_id, DerivedRow.data).where(
            DerivedRow.kind == CHECKS_KIND, self._member(DerivedRow.document_id, wanted),
            DerivedRow.data.contains('"recheck"')))
        return {doc_id for doc_id, data in rows if _failed(json.loads(data))}

    def get_derived(self, doc_id: str, kind: str) -> dict | None:
        with self.sessions() as session:
            row = session.get(DerivedRow, (doc_id, kind))
            return json.loads(row.data) if row else None

    def get_derived_many(self, doc_ids: Iterable[str], kind: str) -> dict[str, dict]:
        """``get_derived`` for many documents in one query (ids without data are left out)."""
        wanted = list(dict.fromkeys(doc_ids))
        if not wanted:
            return {}
        rows = self._read(select(DerivedRow.document_id, DerivedRow.data).where(
            DerivedRow.kind == kind, self._member(DerivedRow.document_id, wanted)))
        return {document_id: json.loads(data) for document_id, data in rows}

    def _read(self, query: Any, params: dict[str, Any] | None = None) -> list[Row[Any]]:
        """One read-only statement on a bare connection, autocommit on PostgreSQL: one round trip (no
        BEGIN, no ROLLBACK), which is most of a small read's cost there."""
        with self.reads.connect() as connection:
            return list(connection.execute(query, params or {}))

    def _member(self, column: ColumnElement[str], values: list[str]) -> ColumnElement[bool]:
        """``column IN values``; on PostgreSQL ``= ANY(array)``: one parameter, so the statement's text
        (and its prepared plan) is the same however many values, and nothing is rendered per value."""
        engine: Engine = self.sessions.kw["bind"]
        if engine.dialect.name == "postgresql":
            return column == any_(bindparam(None, values, type_=ARRAY(String), unique=True))
        return column.in_(values)

    def lacking(self, have: str, missing: str, *, after: str = "", limit: int = 500) -> list[str]:
        """Ids of documents with derived data ``have`` and none of kind ``missing``, in id order
        after ``after`` (keyset paging, for backfills over a large archive)."""
        other = aliased(DerivedRow)
        query = (select(DerivedRow.document_id).where(DerivedRow.kind == have, DerivedRow.document_id > after)
                 .where(~exists().where(other.document_id == DerivedRow.document_id, other.kind == missing))
                 .order_by(DerivedRow.document_id).limit(limit))
        with self.sessions() as session:
            return list(session.scalars(query))


def _failed(report: dict | None) -> bool:
    return bool(report) and (report.get("recheck") or {}).get("ok") is False  # type: ignore[union-attr]
