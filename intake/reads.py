"""Every read of an owner's data goes through one rule: scope, case, purpose, audit row.

A ``system`` key (another agency's system) must state the case (``X-Case-Ref``) and the purpose
(``X-Purpose``) of every read, and sees only what its scopes name; anything outside them answers
exactly like something unknown, so identifiers cannot be probed. Every read by anyone — a document,
a listing, a licence, a job, OCR fields read into a form, the access log itself — leaves a row in
the archive's access log naming the owner it concerns. An ``applicant`` key stands for one owner
and reads only that owner's data; anyone else's answers like something unknown.
"""

from __future__ import annotations

from dataclasses import dataclass

from archive import Actor, Archive
from intake.errors import PurposeRequiredError
from intake.permissions import needs_purpose, owner_bound

__all__ = ["Caller", "ReadContext", "OwnerReads"]


@dataclass(frozen=True)
class Caller:
    """The authenticated caller, as the domain needs it."""

    actor: Actor
    scopes: tuple[str, ...] = ()
    centre: str | None = None
    """The service centre of a clerk's or approver's key (``intake.cases.centres``)."""
    owner_code: str | None = None
    """The owner an ``applicant`` key stands for."""

    @property
    def role(self) -> str:
        return self.actor.role


@dataclass(frozen=True)
class ReadContext:
    case_ref: str | None = None
    purpose: str | None = None
    request_hash: str | None = None


class OwnerReads:
    """Decides and records reads of owners' data; the archive stores the rows."""

    def __init__(self, archive: Archive) -> None:
        self.archive = archive

    @staticmethod
    def demand_purpose(caller: Caller, context: ReadContext) -> None:
        """A role that must say why (``intake.permissions.PURPOSE_REQUIRED``) states case and purpose."""
        if needs_purpose(caller.role) and not (context.case_ref and context.purpose):
            raise PurposeRequiredError("X-Case-Ref and X-Purpose headers are required for system keys")

    @staticmethod
    def in_scope(caller: Caller, kind: str) -> bool:
        """Whether the caller may see data of this kind (document type or licence template)."""
        return not needs_purpose(caller.role) or kind in caller.scopes

    @staticmethod
    def owns(caller: Caller, owner_code: str | None) -> bool:
        """Whether the caller may see this owner's data: an owner-bound key (``applicant``) only its own."""
        return not owner_bound(caller.role) or (owner_code is not None and owner_code == caller.owner_code)

    def record(
        self, caller: Caller, context: ReadContext, *, action: str, owner_code: str | None,
        kind: str | None = None, document_id: str | None = None, result: str = "ok",
    ) -> None:
        self.archive.access.record(
            actor=caller.actor, action=action, result=result, document_id=document_id,
            owner_code=owner_code, doc_type=kind, case_ref=context.case_ref, purpose=context.purpose,
            request_hash=context.request_hash,
        )

