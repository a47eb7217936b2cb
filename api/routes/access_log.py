"""Who read an owner's documents, when and why: staff see their centre's owners' whole log, an
admin every owner's, an applicant their own "who used my documents" (``intake.access_views``)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from api.deps import ArchiveDep, Principal, Reach, get_principal
from api.headers import Context
from api.paging import Page
from api.schemas import AUTH, AccessLogOut, problems
from intake import access_log_for

router = APIRouter(prefix="/api/v1/access-log", tags=["documents"])


@router.get("", response_model=AccessLogOut, responses=problems(*AUTH, 400, 404))
def access_log(
    owner_code: str, page: Page, context: Context,
    *, archive: ArchiveDep, reach: Reach, principal: Principal = Depends(get_principal),
) -> dict[str, Any]:
    entries = access_log_for(archive, reach, owner_code, caller=principal.caller, context=context,
                             limit=page.limit, offset=page.offset)
    return {"owner_code": owner_code.strip().upper(), "items": [
        {"at": e.at.isoformat(), "who": e.actor_name, "role": e.actor_role, "key_id": e.key_id,
         "document_id": e.document_id, "doc_type": e.doc_type, "case_ref": e.case_ref,
         "purpose": e.purpose, "action": e.action, "result": e.result, "request_hash": e.request_hash}
        for e in entries
    ]}
