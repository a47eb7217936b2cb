"""Documents as the domain sees them: who may upload, fetch and list what, and for which purpose.

The archive stores and audits; this module decides. A ``system`` key (another agency) must state
the case and the purpose of every read and sees only the document types in its scopes; a document
outside them answers exactly like an unknown one, so IDs cannot be probed.
"""

from __future__ import annotations

from typing import BinaryIO, Callable, Iterator

from sqlalchemy.orm import Session

from archive import (
    CHECKS_KIND, Actor, Archive, DocumentNotFoundError, DocumentRecord, IngestResult, checks_summary,
)
from archive.errors import InvalidMetadataError
from intake.authenticity import SignatureCheck, validate_signatures
from intake.errors import ForbiddenError, InvalidInputError
from intake.permissions import Action, allowed, needs_purpose
from intake.reads import Caller, OwnerReads, ReadContext
from ocr import classify_owner_code


StoredHook = Callable[[DocumentRecord, bool], None]
TransactionHook = Callable[[Session, str], None]


class DocumentService:
    def __init__(self, archive: Archive, on_stored: list[StoredHook] | None = None,
                 signature_check: SignatureCheck | None = None) -> None:
        self.archive = archive
        self.reads = OwnerReads(archive)
        self.on_stored: list[StoredHook] = list(on_stored or [])
        self.signature_check = signature_check  # 真实性: validates signed PDFs at intake
        self.in_transaction: list[TransactionHook] = []
        """Run in the new catalog row's transaction (the OCR job row: committed with it, or not at all)."""

    def upload(
        self, data: BinaryIO | bytes, *, caller: Caller, owner_code: str, doc_type: str,
        owner_code_type: str | None = None, filename: str | None = None, case_ref: str | None = None,
        idempotency_key: str | None = None,
    ) -> IngestResult:
        _require(caller, Action.DOCUMENT_UPLOAD)
        if not OwnerReads.in_scope(caller, doc_type):
            raise ForbiddenError(f"this key may not submit documents of type {doc_type}")
        code = (owner_code or "").strip().upper()
        kind = owner_code_type or classify_owner_code(code)
        if kind is None:
            raise InvalidMetadataError(
                "owner_code is neither a 统一社会信用代码 nor a 身份证号", field="owner_code",
                message_zh="申请人代码既不是统一社会信用代码，也不是身份证号",
            )
        result = self.archive.ingest(
            data, owner_code=code, owner_code_type=kind, doc_type=doc_type, actor=caller.actor,
            filename=filename, case_ref=case_ref, idempotency_key=idempotency_key,
            in_transaction=self._in_transaction if self.in_transaction else None,
        )
        if not OwnerReads.in_scope(caller, result.record.doc_type):  # never answer with what it may not read
            raise ForbiddenError(f"this key may not submit documents of type {doc_type}")
        if result.created and self.signature_check is not None:
            validate_signatures(self.archive, result.record, caller.actor, self.signature_check, result.checks)
        for hook in self.on_stored:
            hook(result.record, result.created)
        return result

    def _in_transaction(self, session: Session, doc_id: str) -> None:
        for hook in self.in_transaction:
            hook(session, doc_id)

    def metadata(self, doc_id: str, *, caller: Caller, context: ReadContext) -> DocumentRecord:
        self._authorise_read(doc_id, caller, context, "read_metadata")
        return self.archive.get(doc_id, actor=caller.actor, case_ref=context.case_ref,
                                purpose=context.purpose, request_hash=context.request_hash)

    def open(
        self, doc_id: str, *, caller: Caller, context: ReadContext,
    ) -> tuple[DocumentRecord, Iterator[bytes]]:
        self._authorise_read(doc_id, caller, context, "read_content")
        return self.archive.open(doc_id, actor=caller.actor, case_ref=context.case_ref,
                                 purpose=context.purpose, request_hash=context.request_hash)

    async def read_async(
        self, doc_id: str, *, caller: Caller, context: ReadContext, max_bytes: int,
    ) -> tuple[DocumentRecord, bytes | None]:
        """``open`` for a coroutine, the bytes in one piece (``Archive.read_async``): the same read rule
        and audit rows; ``None`` for the bytes of a document over ``max_bytes`` (nothing read or logged
        yet: ``open`` streams it)."""
        _require(caller, Action.DOCUMENT_READ)
        if needs_purpose(caller.role):
            self.reads.demand_purpose(caller, context)
            record, _ = await self.archive.fetch_row_async(doc_id)
            if record is None or not OwnerReads.in_scope(caller, record.doc_type):
                await self.archive.audit_async(record, doc_id, actor=caller.actor, action="read_content",
                                               result="denied", case_ref=context.case_ref,
                                               purpose=context.purpose, request_hash=context.request_hash)
                raise DocumentNotFoundError(f"document {doc_id} not found")
        return await self.archive.read_async(doc_id, actor=caller.actor, max_bytes=max_bytes,
                                             case_ref=context.case_ref, purpose=context.purpose,
                                             request_hash=context.request_hash)

    def checks(self, doc_id: str, *, caller: Caller, context: ReadContext) -> dict:
        """The document's 四性检测 report (as stored at intake, plus the last re-check)."""
        record = self.metadata(doc_id, caller=caller, context=context)
        report = self.archive.get_derived(record.id, CHECKS_KIND)
        if report is None:
            return {"version": 1, "ok": None, "note": "stored before intake checks existed; run onceonly archive check"}
        return report

    def checks_summary(self, record: DocumentRecord) -> dict | None:
        """A few words of the 四性检测 report for a record the caller was already allowed to read."""
        return checks_summary(self.archive.get_derived(record.id, CHECKS_KIND))

    def list(
        self, owner_code: str, *, caller: Caller, context: ReadContext, doc_type: str | None = None,
        limit: int = 50, offset: int = 0,
    ) -> list[DocumentRecord]:
        _require(caller, Action.DOCUMENT_READ)
        self.reads.demand_purpose(caller, context)
        code = owner_code.strip().upper()
        scopes: tuple[str, ...] | None = None
        if needs_purpose(caller.role):
            if doc_type is not None and doc_type not in caller.scopes:
                raise ForbiddenError(f"this key may not see documents of type {doc_type}")
            scopes = caller.scopes
        records = self.archive.list(code, doc_type, doc_types=scopes, limit=limit, offset=offset)
        self.reads.record(caller, context, action="list", owner_code=code, kind=doc_type)
        return records

    def search(
        self, *, caller: Caller, context: ReadContext, owner_code: str | None = None, doc_type: str | None = None,
        text: str | None = None, limit: int = 50, offset: int = 0,
    ) -> list[DocumentRecord]:
        """Documents by owner, type and the text read from them (OCR), newest first.

        Every owner whose documents are answered (and the owner asked about) gets an access-log row.
        A ``system`` key states case and purpose, names the owner and sees only the types in its scopes.
        """
        _require(caller, Action.DOCUMENT_READ)
        self.reads.demand_purpose(caller, context)
        code = (owner_code or "").strip().upper() or None
        words = (text or "").strip() or None
        if code is None and words is None:
            raise InvalidInputError("give owner_code or text to search for", field="text",
                                    message_zh="请输入申请人代码或要查找的文字")
        scopes: tuple[str, ...] | None = None
        if needs_purpose(caller.role):
            if code is None:
                raise InvalidInputError("a system key searches one owner's documents: give owner_code",
                                        field="owner_code", message_zh="系统密钥只能检索一个申请人的文件，请提供申请人代码")
            if doc_type is not None and doc_type not in caller.scopes:
                raise ForbiddenError(f"this key may not see documents of type {doc_type}")
            scopes = caller.scopes
        records = self.archive.search(owner_code=code, doc_type=doc_type, doc_types=scopes, text=words,
                                      limit=limit, offset=offset)
        for owner in dict.fromkeys(([code] if code else []) + [r.owner_code for r in records]):
            self.reads.record(caller, context, action="search", owner_code=owner, kind=doc_type)
        return records

    def _authorise_read(self, doc_id: str, caller: Caller, context: ReadContext, action: str) -> None:
        _require(caller, Action.DOCUMENT_READ)
        if not needs_purpose(caller.role):
            return
        self.reads.demand_purpose(caller, context)
        record = self.archive.lookup(doc_id)
        if record is None or not OwnerReads.in_scope(caller, record.doc_type):
            self.archive.record_access(doc_id, actor=caller.actor, case_ref=context.case_ref,
                                       purpose=context.purpose, action=action, result="denied",
                                       request_hash=context.request_hash)
            raise DocumentNotFoundError(f"document {doc_id} not found")


def _require(caller: Caller, action: Action) -> None:
    if not allowed(caller.role, action):
        raise ForbiddenError(f"role {caller.role} may not do this")
