"""Page images of a document for the desk: ``GET /api/v1/documents/{id}/pages/{n}?width=160|1000``.

The first request reads the original (audited like any read) and caches the PNG as derived data.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from dataclasses import replace

from api.deps import ArchiveDep, Documents, Principal, get_principal
from api.headers import Context
from api.page_images import DERIVED_KIND, WIDTHS, cache_key, decode, encode, page_count, render_page
from api.schemas import AUTH, binary, responses
from intake import needs_purpose
from intake.errors import InvalidInputError

router = APIRouter(prefix="/api/v1/documents", tags=["documents"])


@router.get("/{doc_id}/pages/{page}", response_class=Response,
            responses=responses(binary("image/png", description="the page as PNG"), *AUTH, 400, 404))
def page_image(
    doc_id: str, page: int, archive: ArchiveDep, documents: Documents, context: Context,
    width: Annotated[int, Query(ge=1, le=4000, description="160 (thumbnail) or 1000 (preview); others snap to one")] = 160,
    principal: Principal = Depends(get_principal),
) -> Response:
    width = min(WIDTHS, key=lambda w: abs(w - width))
    if context.purpose is None and not needs_purpose(principal.role):  # staff at the desk: the preview is why
        context = replace(context, purpose="窗口预览原件 (desk preview)")
    record = documents.metadata(doc_id, caller=principal.caller, context=context)
    cached = archive.get_derived(record.id, DERIVED_KIND) or {}
    key = cache_key(page, width)
    if key not in cached:
        _, chunks = documents.open(record.id, caller=principal.caller, context=context)
        data = b"".join(chunks)
        try:
            png = render_page(data, record.media_type, page, width)
        except IndexError:
            raise InvalidInputError(f"the document has no page {page}", message_zh=f"文件没有第 {page} 页",
                                    field="page") from None
        cached = dict(cached, pages=page_count(data, record.media_type))
        cached[key] = encode(png)
        archive.put_derived(record.id, DERIVED_KIND, cached)
    headers = {"Cache-Control": "private, max-age=3600", "X-Page-Count": str(cached.get("pages", 1))}
    return Response(decode(cached[key]), media_type="image/png", headers=headers)
