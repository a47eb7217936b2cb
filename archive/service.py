"""The e-archive facade: ingest once, fetch verified, audit every read, sweep for integrity."""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import secrets
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from typing import BinaryIO, Callable, Iterable, Iterator

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from archive.audit import AccessLog
from archive.checks import CHECKS_KIND, CheckLimits, run_checks
from archive.fetch import AsyncFetch
from archive.fetch_cache import CACHE_SECONDS, FetchCache
from archive.catalog.models import DerivedRow, DocumentRow, IdempotencyRow
from archive.catalog.transactions import read_engine
from archive.errors import DocumentFailedCheckError, DocumentNotFoundError, IdempotencyConflictError, IntegrityCheckError
from archive.ingest import SpooledUpload, check_metadata, clean_filename, receive
from archive.keys import ApiKeys
from archive.reads import CatalogReads, plausible_id as _plausible_id, record_of as _record
from archive.search import put_text, search
from archive.store.api import ObjectStore, object_key
from archive.types import Actor, DocumentRecord, IngestResult

log = logging.getLogger("onceonly.archive")

CHECK_WORKERS = max(2, os.cpu_count() or 2)
"""Intake checks running at once (CPU-bound: more would only queue on the cores, holding memory)."""
DEFAULT_MEDIA_TYPES = ("application/pdf", "image/jpeg", "image/png", "image/tiff", "image/heic", "application/ofd")


def new_document_id() -> str:
    """128 random bits, base32 without padding: opaque, URL-safe, unguessable."""
    return base64.b32encode(secrets.token_bytes(16)).decode("ascii").rstrip("=").lower()


class Archive(CatalogReads, AsyncFetch):
    def __init__(
        self, store: ObjectStore, engine: Engine, *, retention_days: int = 3650,
        max_upload_bytes: int = 50 * 1024 * 1024, allowed_media_types: tuple[str, ...] = DEFAULT_MEDIA_TYPES,
        checks: CheckLimits | None = None, fetch_cache_seconds: float = CACHE_SECONDS,
    ) -> None:
        """``checks``: run the 四性检测 on every new upload before it is stored (None: off).
        ``fetch_cache_seconds``: how long a fetch by ID may use what the catalog said (``archive.fetch_cache``;
        0: ask every time) — a failed re-check stops a document being served within this bound."""
        self.store = store
        self.engine = engine
        self.retention_days = retention_days
        self.max_upload_bytes = max_upload_bytes
        self.allowed_media_types = allowed_media_types
        self.checks = checks
        self._checker_pool: ThreadPoolExecutor | None = None
        self._checker_lock = threading.Lock()
        self.sessions: sessionmaker[Session] = sessionmaker(engine, expire_on_commit=False)
        self.reads = read_engine(engine)
        self.access = AccessLog(self.sessions)
        self.keys = ApiKeys(self.sessions)
        self.fetch_cache = FetchCache(fetch_cache_seconds)

    # -- ingest ---------------------------------------------------------------------------------
    def ingest(
        self, data: BinaryIO | bytes, *, owner_code: str, owner_code_type: str, doc_type: str, actor: Actor,
        filename: str | None = None, case_ref: str | None = None, idempotency_key: str | None = None,
        retention_days: int | None = None, worm: bool = False,
        in_transaction: Callable[[Session, str], None] | None = None,
    ) -> IngestResult:
        """Store the bytes once (content-addressed) and catalogue them for this owner.

        The catalog row is written only after the store confirmed the object, so an outage leaves
        no row pointing at nothing; a retry with the same idempotency key returns the same document.
        With checks on, a file that cannot be opened, shown or trusted raises ``DocumentUnusableError``
        before anything is stored; the report is written with the row (derived file ``checks``).
        ``in_transaction(session, doc_id)`` writes the caller's rows (a job) in the catalog row's own
        transaction: both are committed, or neither.
        """
        owner_code = (owner_code or "").strip().upper()
        check_metadata(owner_code, owner_code_type, doc_type, case_ref)
        upload = receive(data, max_bytes=self.max_upload_bytes, allowed_media_types=self.allowed_media_types)
        scope = actor.key_id or actor.name
        try:
            existing = self._existing(owner_code, doc_type, upload.sha256, scope, idempotency_key)
            if existing is not None:
                return IngestResult(existing, created=False)
            now = datetime.now(timezone.utc)
            retain_until = now + timedelta(days=retention_days or self.retention_days)
            report = self._check_and_store(upload, filename, retain_until, {
                "owner_code": owner_code, "doc_type": doc_type, "source": scope, "case_ref": case_ref})
            row = DocumentRow(
                id=new_document_id(), sha256=upload.sha256, size=upload.size, media_type=upload.media_type,
                filename=clean_filename(filename), owner_code=owner_code, owner_code_type=owner_code_type,
                doc_type=doc_type, case_ref=case_ref, created_at=now, retention_until=retain_until,
                worm=worm, created_by=scope[:64],
            )
            try:
                with self.sessions.begin() as session:
                    session.add(row)
                    session.flush()
                    if report is not None:
                        session.add(DerivedRow(document_id=row.id, kind=CHECKS_KIND, updated_at=now,
                                               data=json.dumps(report, ensure_ascii=False)))
                    self._remember_key(session, scope, idempotency_key, upload.sha256, row.id)
                    if in_transaction is not None:
                        in_transaction(session, row.id)
            except IntegrityError:
                # a concurrent upload of the same content for the same owner won the race
                existing = self._existing(owner_code, doc_type, upload.sha256, scope, idempotency_key)
                if existing is None:
                    raise
                return IngestResult(existing, created=False)
            log.info("document stored", extra={"document_id": row.id, "sha256": row.sha256, "size": row.size})
            return IngestResult(_record(row), created=True, checks=report)
        finally:
            upload.close()

    def _check_and_store(
        self, upload: SpooledUpload, filename: str | None, retain_until: datetime, metadata: dict,
    ) -> dict | None:
        """Put the upload into the store; with checks on, only once they accepted it.

        The checks (CPU; libjpeg's and pdfium's decoding runs outside the GIL) run on their own pool while
        this thread stages the object — the work that does not depend on the verdict: locally a fsynced
        temporary file and retention record; on S3 nothing (under object lock a sent object could not be
        taken back). Only an accepted upload is committed (renamed into place / put); a refused one is
        aborted, so no object or temporary file remains. See docs/intake-checks.md.
        """
        key = object_key(upload.sha256)
        if self.checks is None:
            self.store.put(key, upload.rewind(), upload.size, upload.sha256, content_type=upload.media_type,
                           retain_until=retain_until)
            return None
        data = upload.rewind().read()  # the checks' copy; the store reads the spool itself
        verdict = self._checker().submit(run_checks, data, upload.media_type, sha256=upload.sha256,
                                         filename=filename, metadata=metadata, limits=self.checks)
        try:
            staged = self.store.stage(key, upload.rewind(), upload.size, upload.sha256,
                                      content_type=upload.media_type, retain_until=retain_until)
        except BaseException:
            verdict.result()  # a refusal is the answer even when the store failed too (a retry gets it again)
            raise
        try:
            report = verdict.result()
            staged.commit()
        except BaseException:
            staged.abort()  # what a failed commit had not yet renamed goes too
            raise
        return report

    def _checker(self) -> ThreadPoolExecutor:
        with self._checker_lock:
            if self._checker_pool is None:
                self._checker_pool = ThreadPoolExecutor(max_workers=CHECK_WORKERS, thread_name_prefix="intake-checks")
            return self._checker_pool

    def _existing(
        self, owner_code: str, doc_type: str, sha256: str, scope: str, idempotency_key: str | None,
    ) -> DocumentRecord | None:
        """The record these bytes already have for this owner and type (dedupe is per owner, type and
        content), or the one this idempotency key named; remembers the key. Concurrent requests that
        race to remember the same key retry: the loser then finds the winner's row."""
        for attempt in range(3):
            try:
                return self._existing_once(owner_code, doc_type, sha256, scope, idempotency_key)
            except IntegrityError:
                if attempt == 2:
                    raise
        return None

    def _existing_once(
        self, owner_code: str, doc_type: str, sha256: str, scope: str, idempotency_key: str | None,
    ) -> DocumentRecord | None:
        with self.sessions.begin() as session:
            if idempotency_key:
                known = session.get(IdempotencyRow, (scope[:64], idempotency_key[:128]))
                if known is not None:
                    record = _record(session.get(DocumentRow, known.document_id))
                    if known.sha256 != sha256 or (record.owner_code, record.doc_type) != (owner_code, doc_type):
                        raise IdempotencyConflictError("idempotency key already used for a different upload")
                    return record
            row = session.scalar(select(DocumentRow).where(
                DocumentRow.owner_code == owner_code, DocumentRow.doc_type == doc_type,
                DocumentRow.sha256 == sha256))
            if row is None:
                return None
            self._remember_key(session, scope, idempotency_key, sha256, row.id)
            return _record(row)

    @staticmethod
    def _remember_key(session: Session, scope: str, key: str | None, sha256: str, document_id: str) -> None:
        if key and session.get(IdempotencyRow, (scope[:64], key[:128])) is None:
            session.add(IdempotencyRow(
                scope=scope[:64], key=key[:128], sha256=sha256, document_id=document_id,
                created_at=datetime.now(timezone.utc),
            ))

    # -- reading --------------------------------------------------------------------------------
    def lookup(self, doc_id: str) -> DocumentRecord | None:
        """Catalog metadata without an audit entry: for authorisation decisions only."""
        with self.sessions() as session:
            row = session.get(DocumentRow, doc_id) if _plausible_id(doc_id) else None
            return _record(row) if row else None

    def lookup_many(self, doc_ids: Iterable[str]) -> dict[str, DocumentRecord]:
        """``lookup`` for many documents in one query (unknown ids are left out)."""
        wanted = [d for d in dict.fromkeys(doc_ids) if _plausible_id(d)]
        if not wanted:
            return {}
        with self.sessions() as session:
            return {row.id: _record(row) for row in session.scalars(select(DocumentRow).where(DocumentRow.id.in_(wanted)))}

    def get(
        self, doc_id: str, *, actor: Actor, case_ref: str | None = None, purpose: str | None = None,
        request_hash: str | None = None,
    ) -> DocumentRecord:
        record = self.lookup(doc_id)
        self._audit(record, doc_id, actor, "read_metadata", "ok" if record else "not_found",
                    case_ref, purpose, request_hash)
        if record is None:
            raise DocumentNotFoundError(f"document {doc_id} not found")
        return record

    def open(
        self, doc_id: str, *, actor: Actor, case_ref: str | None = None, purpose: str | None = None,
        request_hash: str | None = None, action: str = "read_content",
    ) -> tuple[DocumentRecord, Iterator[bytes]]:
        """The record and a chunk iterator that verifies size and SHA-256 as the bytes stream.

        A mismatch raises ``IntegrityCheckError`` at the end of the stream and is audited as such.
        """
        record, failed = self.fetch_row(doc_id)
        if record is None:
            self._audit(None, doc_id, actor, action, "not_found", case_ref, purpose, request_hash)
            raise DocumentNotFoundError(f"document {doc_id} not found")
        if failed:
            self._audit(record, doc_id, actor, action, "failed_check", case_ref, purpose, request_hash)
            raise DocumentFailedCheckError(f"document {doc_id} failed its last archive re-check; not served",
                                           document=doc_id)
        chunks = self.store.open(object_key(record.sha256))
        return record, self._verified(record, chunks, actor, action, case_ref, purpose, request_hash)

    def _verified(
        self, record: DocumentRecord, chunks: Iterator[bytes], actor: Actor, action: str,
        case_ref: str | None, purpose: str | None, request_hash: str | None,
    ) -> Iterator[bytes]:
        digest, size, result = hashlib.sha256(), 0, "aborted"
        try:
            for chunk in chunks:
                digest.update(chunk)
                size += len(chunk)
                if size > record.size:
                    break
                yield chunk
            if size != record.size or digest.hexdigest() != record.sha256:
                result = "integrity_error"
                log.error("integrity error", extra={"document_id": record.id, "sha256": record.sha256})
                raise IntegrityCheckError(f"document {record.id}: stored bytes do not match their SHA-256")
            result = "ok"
        finally:
            if result != "ok":  # missing, altered or cut short: the next fetch asks the catalog again
                self.fetch_cache.forget(record.id)
            self._audit(record, record.id, actor, action, result, case_ref, purpose, request_hash)

    def read(
        self, doc_id: str, *, actor: Actor, case_ref: str | None = None, purpose: str | None = None,
        request_hash: str | None = None, action: str = "read_content",
    ) -> bytes:
        _, chunks = self.open(doc_id, actor=actor, case_ref=case_ref, purpose=purpose,
                              request_hash=request_hash, action=action)
        return b"".join(chunks)

    def list(
        self, owner_code: str, doc_type: str | None = None, *, doc_types: tuple[str, ...] | None = None,
        limit: int = 50, offset: int = 0,
    ) -> list[DocumentRecord]:
        query = select(DocumentRow).where(DocumentRow.owner_code == owner_code.strip().upper())
        if doc_type:
            query = query.where(DocumentRow.doc_type == doc_type)
        if doc_types is not None:
            query = query.where(DocumentRow.doc_type.in_(doc_types))
        query = query.order_by(DocumentRow.created_at.desc(), DocumentRow.id).limit(limit).offset(offset)
        with self.sessions() as session:
            return [_record(r) for r in session.scalars(query)]

    def search(
        self, *, owner_code: str | None = None, doc_type: str | None = None, doc_types: tuple[str, ...] | None = None,
        text: str | None = None, limit: int = 50, offset: int = 0,
    ) -> list[DocumentRecord]:
        """Documents by owner, type and stored text (``put_text``), newest first (``archive.search``)."""
        rows = search(self.sessions, owner_code=owner_code, doc_type=doc_type, doc_types=doc_types, text=text,
                      limit=limit, offset=offset)
        return [_record(r) for r in rows]

    def put_text(self, doc_id: str, text: str) -> None:
        """Store the searchable text of a document (what ``search(text=...)`` looks in)."""
        put_text(self.sessions, doc_id, text)

    def record_access(
        self, doc_id: str, *, actor: Actor, case_ref: str | None, purpose: str | None,
        action: str = "reuse", result: str = "ok", request_hash: str | None = None,
    ) -> None:
        self._audit(self.lookup(doc_id), doc_id, actor, action, result, case_ref, purpose, request_hash)

    def _audit(
        self, record: DocumentRecord | None, doc_id: str, actor: Actor, action: str, result: str,
        case_ref: str | None, purpose: str | None, request_hash: str | None,
    ) -> None:
        self.access.record(
            actor=actor, action=action, result=result,
            document_id=record.id if record else (doc_id[:32] if doc_id else None),
            owner_code=record.owner_code if record else None,
            doc_type=record.doc_type if record else None,
            case_ref=case_ref, purpose=purpose, request_hash=request_hash,
        )
