"""Guarded reads of licences and OCR jobs: the same rule as documents (``intake.reads``).

A ``system`` key states case and purpose, sees only the licence templates / document types in its
scopes (anything else answers like an unknown identifier), and every read leaves an access-log row
naming the owner (the licence holder, the document's owner). An ``applicant`` key reads only the
licences of the owner it stands for; anyone else's answer like unknown ones.
"""

from __future__ import annotations

from intake.errors import ForbiddenError, OcrJobNotFoundError
from intake.licences.errors import LicenceNotFoundError
from intake.licences.service import LicenceService
from intake.licences.types import IssuedLicence
from intake.ocr_jobs import JobView, OcrJobs
from intake.permissions import Action, allowed, needs_purpose, owner_bound
from intake.reads import Caller, OwnerReads, ReadContext

__all__ = ["licences_for", "licence_for", "licence_content_for", "job_for"]


def _require(caller: Caller, action: Action) -> None:
    if not allowed(caller.role, action):
        raise ForbiddenError(f"role {caller.role} may not do this")


def licences_for(
    service: LicenceService, *, caller: Caller, context: ReadContext, holder_code: str | None,
    case_id: str | None, limit: int, offset: int,
) -> list[IssuedLicence]:
    _require(caller, Action.LICENCE_READ)
    reads = OwnerReads(service.archive)
    reads.demand_purpose(caller, context)
    holder = holder_code.strip().upper() if holder_code else None
    templates: tuple[str, ...] | None = None
    if needs_purpose(caller.role):
        if holder is None:
            raise ForbiddenError("a system key lists one holder's licences (holder_code)")
        templates = caller.scopes
    if owner_bound(caller.role):  # an applicant lists their own licences; asking for another's finds none
        if holder is not None and holder != caller.owner_code:
            return []
        holder = caller.owner_code
    found = service.list(holder_code=holder, case_id=case_id, limit=limit, offset=offset, template_ids=templates)
    for owner in sorted({lic.holder_code for lic in found} | ({holder} if holder else set())):
        reads.record(caller, context, action="list_licences", owner_code=owner)
    return found


def licence_for(service: LicenceService, identifier: str, *, caller: Caller, context: ReadContext,
                action: str = "read_licence") -> IssuedLicence:
    _require(caller, Action.LICENCE_READ)
    reads = OwnerReads(service.archive)
    reads.demand_purpose(caller, context)
    try:
        licence = service.get(identifier)
    except LicenceNotFoundError:
        reads.record(caller, context, action=action, owner_code=None, result="not_found")
        raise
    if not OwnerReads.in_scope(caller, licence.template_id) or not OwnerReads.owns(caller, licence.holder_code):
        reads.record(caller, context, action=action, owner_code=None, result="denied")
        raise LicenceNotFoundError(f"no licence {identifier!r} was issued here", identifier=identifier)
    reads.record(caller, context, action=action, owner_code=licence.holder_code, kind=licence.template_id,
                 document_id=licence.document_id)
    return licence


def licence_content_for(service: LicenceService, identifier: str, *, caller: Caller,
                        context: ReadContext) -> tuple[IssuedLicence, bytes]:
    """The signed PDF as issued; the archive audits the byte read itself (with the stated purpose)."""
    _require(caller, Action.LICENCE_READ)
    OwnerReads.demand_purpose(caller, context)
    licence = service.get(identifier)
    if not OwnerReads.in_scope(caller, licence.template_id) or not OwnerReads.owns(caller, licence.holder_code):
        OwnerReads(service.archive).record(caller, context, action="read_content", owner_code=None,
                                           result="denied")
        raise LicenceNotFoundError(f"no licence {identifier!r} was issued here", identifier=identifier)
    data = service.archive.read(licence.document_id, actor=caller.actor,
                                case_ref=context.case_ref or licence.case_id,
                                purpose=context.purpose or "licence download", request_hash=context.request_hash)
    return licence, data


def job_for(jobs: OcrJobs, job_id: str, *, caller: Caller, context: ReadContext) -> JobView:
    _require(caller, Action.JOB_READ)
    reads = OwnerReads(jobs.archive)
    reads.demand_purpose(caller, context)
    job = jobs.get(job_id)
    record = jobs.archive.lookup(job.doc_id)
    if record is None or not OwnerReads.in_scope(caller, record.doc_type):
        reads.record(caller, context, action="read_job", owner_code=None, result="denied")
        raise OcrJobNotFoundError(f"OCR job {job_id} not found")
    reads.record(caller, context, action="read_job", owner_code=record.owner_code, kind=record.doc_type,
                 document_id=record.id)
    return job
