"""The access log as each caller may see it: staff of a centre, operations, and the applicant.

* A clerk or approver (``CENTRE_BOUND``) sees the log of an owner with a case they reach (their
  centre's, or a 全城通办 one their centre may take); any other owner answers 404
  ``owner_not_found`` — the same as an owner nobody knows.
* An ``admin`` sees every owner's log, whole.
* An ``applicant`` sees their own — the citizen's "who used my documents": reads of their
  documents and licences by an agency's system or a centre's staff (who, case, purpose, time),
  successful ones only, never the service's own reads (OCR workers, operations, the applicant's own
  downloads, reading the log itself), and without key ids or request fingerprints.

Reading a log is itself logged.
"""

from __future__ import annotations

from dataclasses import replace

from archive import AccessEntry, Archive
from intake.cases.centres import CaseReach
from intake.errors import ForbiddenError, OwnerNotFoundError
from intake.permissions import Action, allowed, owner_bound
from intake.reads import Caller, OwnerReads, ReadContext

__all__ = ["USES_SHOWN_TO_OWNER", "USERS_SHOWN_TO_OWNER", "access_log_for"]

USES_SHOWN_TO_OWNER: frozenset[str] = frozenset({
    "read_metadata", "read_content", "list", "search", "read_ocr", "reuse", "read_job", "read_licence",
    "list_licences",
})
"""Access-log actions that are a use of the owner's documents or licences."""

USERS_SHOWN_TO_OWNER: frozenset[str] = frozenset({"system", "clerk", "approver"})
"""Who counts as "someone who used my documents": another agency's system, a centre's staff."""


def access_log_for(
    archive: Archive, reach: CaseReach, owner_code: str, *, caller: Caller, context: ReadContext,
    limit: int = 200, offset: int = 0,
) -> list[AccessEntry]:
    if not allowed(caller.role, Action.ACCESS_LOG_READ):
        raise ForbiddenError(f"role {caller.role} may not do this")
    reads = OwnerReads(archive)
    code = owner_code.strip().upper()
    if not OwnerReads.owns(caller, code) or not reach.sees_owner(caller, code):
        reads.record(caller, context, action="read_access_log", owner_code=None, result="denied")
        raise OwnerNotFoundError(f"no records of owner {code} for this caller",
                                 message_zh=f"无申请人 {code} 的记录")
    if owner_bound(caller.role):
        entries = [
            replace(entry, key_id=None, request_hash=None)
            for entry in archive.access.for_owner(code, limit=limit, offset=offset, roles=USERS_SHOWN_TO_OWNER,
                                                  actions=USES_SHOWN_TO_OWNER, results=("ok",), keyed=True)
        ]
    else:
        entries = archive.access.for_owner(code, limit=limit, offset=offset)
    reads.record(caller, context, action="read_access_log", owner_code=code)
    return entries
