"""Delivery: the clerk's delivery choice, the courier's dispatch list and scans, hand-over downloads.

Couriers only ever get masked recipients; the unmasked data is for clerks and admins.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field

from api.deps import Delivery, Principal, request_hash, require, require_case
from api.schemas import (
    AUTH, DeliveryOut, DispatchOut, HandoverOut, ParcelListOut, ScanOut, binary, order_json, problems, responses, text,
)
from intake import Action, DeliveryService, Parcel, Recipient, masked_for
from intake.delivery import ParcelNotFoundError

router = APIRouter(tags=["delivery"])

CLERKS = Depends(require(Action.DELIVERY_MANAGE))
CASE_CLERKS = Depends(require_case(Action.DELIVERY_MANAGE))  # and the case in the clerk's centre (404)
COURIERS = Depends(require(Action.PARCEL_READ))
SCANNERS = Depends(require(Action.PARCEL_SCAN))
ZPL_MEDIA_TYPE = "application/zpl"


class RecipientIn(BaseModel):
    name: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=40)
    address: str | None = Field(default=None, max_length=300)


class DeliveryIn(BaseModel):
    method: Literal["pickup", "download", "courier"]
    recipient: RecipientIn | None = None
    contents: list[str] | None = Field(default=None, max_length=10)
    dispatch_date: dt.date | None = None
    document_ids: list[str] | None = Field(default=None, max_length=20)


class ScanIn(BaseModel):
    event: Literal["picked_up", "delivered", "returned"]
    at: dt.datetime | None = None
    note: str | None = Field(default=None, max_length=500)


# -- the clerk --------------------------------------------------------------------------------------
@router.post("/api/v1/cases/{case_id}/delivery", response_model=DeliveryOut, responses=problems(*AUTH, 404, 409))
def set_delivery(
    case_id: str, body: DeliveryIn, request: Request,
    *, delivery: Delivery, principal: Principal = CASE_CLERKS,
) -> dict[str, Any]:
    given = body.recipient
    recipient = Recipient(given.name or "", given.phone or "", given.address or "") if given else None
    order = delivery.set_delivery(
        case_id, body.method, actor=principal.actor, recipient=recipient,
        contents=tuple(body.contents) if body.contents else None, dispatch_date=body.dispatch_date,
        document_ids=body.document_ids,
    )
    return order_json(order, str(request.base_url))


@router.get("/api/v1/cases/{case_id}/delivery", response_model=DeliveryOut, responses=problems(*AUTH, 404))
def get_delivery(
    case_id: str, request: Request,
    *, delivery: Delivery, principal: Principal = CASE_CLERKS,
) -> dict[str, Any]:
    order = delivery.get(case_id)
    if order is None:
        raise ParcelNotFoundError(f"case {case_id} has no delivery yet", message_zh="该办件尚未选择送达方式")
    return order_json(order, str(request.base_url))


@router.get("/api/v1/parcels/returned", response_model=ParcelListOut, responses=problems(*AUTH))
def returned_parcels(
    *, delivery: Delivery, principal: Principal = CLERKS,
) -> dict[str, Any]:
    """The clerk's queue: parcels that came back undelivered and await a new delivery choice."""
    return {"items": [p.as_dict(masked=False) for p in delivery.clerk_queue()]}


# -- the courier -------------------------------------------------------------------------------------
def _wants(format_: str | None, accept: str) -> str:
    if format_:
        return format_
    accept = accept.lower()
    if "application/pdf" in accept:
        return "pdf"
    if "zpl" in accept:
        return "zpl"
    return "json"


def _labels(service: DeliveryService, parcels: list[Parcel], kind: str, size: str | None, name: str) -> Response:
    if kind == "pdf":
        return Response(service.labels_pdf(parcels, size), media_type="application/pdf",
                        headers={"Content-Disposition": f'inline; filename="{name}.pdf"'})
    return Response(service.labels_zpl(parcels, size).encode("utf-8"), media_type=ZPL_MEDIA_TYPE,
                    headers={"Content-Disposition": f'attachment; filename="{name}.zpl"'})


@router.get("/api/v1/dispatch", response_model=DispatchOut, responses={
    200: {"model": DispatchOut, "description": "the day's parcels as JSON, or every label in one PDF or ZPL file",
          "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}},
                      ZPL_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}}},
    **problems(*AUTH, 404)})
def dispatch_list(
    request: Request,
    date: Annotated[dt.date | None, Query(description="dispatch day (local); default today")] = None,
    format: Annotated[Literal["json", "pdf", "zpl"] | None, Query()] = None,
    size: Annotated[Literal["100x150", "76x130"] | None, Query()] = None,
    *, delivery: Delivery, principal: Principal = COURIERS,
) -> Any:
    """The day's parcels: JSON (masked for couriers), or every label in one PDF or ZPL file."""
    day = date or delivery.today()
    parcels = delivery.dispatch_list(day)
    kind = _wants(format, request.headers.get("accept", ""))
    if kind == "json":
        return {"date": day.isoformat(), "items": [p.as_dict(masked=masked_for(principal.role)) for p in parcels]}
    if not parcels:
        raise ParcelNotFoundError(f"no parcels to dispatch on {day}", message_zh=f"{day} 没有待发运的快件")
    return _labels(delivery, parcels, kind, size, f"dispatch-{day}")


@router.get("/api/v1/parcels", response_model=ParcelListOut, responses=problems(*AUTH))
def list_parcels(
    date: dt.date | None = None,
    state: Annotated[Literal["ready", "picked_up", "delivered", "returned"] | None, Query()] = None,
    *, delivery: Delivery, principal: Principal = COURIERS,
) -> dict[str, Any]:
    parcels = delivery.parcels(day=date, state=state)
    return {"items": [p.as_dict(masked=masked_for(principal.role)) for p in parcels]}


@router.get("/api/v1/parcels/{waybill}/label", response_class=Response,
            responses=responses(binary("application/pdf", ZPL_MEDIA_TYPE, description="labels: one PDF or one ZPL file"), *AUTH, 404))
def parcel_label(
    waybill: str, request: Request,
    format: Annotated[Literal["pdf", "zpl"] | None, Query()] = None,
    size: Annotated[Literal["100x150", "76x130"] | None, Query()] = None,
    *, delivery: Delivery, principal: Principal = COURIERS,
) -> Response:
    parcel = delivery.parcel(waybill)
    kind = _wants(format, request.headers.get("accept", ""))
    return _labels(delivery, [parcel], "zpl" if kind == "zpl" else "pdf", size, parcel.waybill)


@router.post("/api/v1/parcels/{waybill}/scan", response_model=ScanOut, responses=problems(*AUTH, 404, 409))
def scan_parcel(
    waybill: str, body: ScanIn,
    *, delivery: Delivery, principal: Principal = SCANNERS,
) -> dict[str, Any]:
    result = delivery.scan(waybill, body.event, actor=principal.actor, at=body.at, note=body.note)
    return {"event": result.event, "changed": result.changed, "parcel": result.parcel.as_dict(masked=True)}


# -- the applicant -----------------------------------------------------------------------------------
# The token travels in the URL *fragment* (``/api/v1/handover#<token>``), which browsers never send to
# the server: it stays out of request logs, proxies and Referer headers. The page's form posts it.
_PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><meta name="referrer" content="no-referrer">
<title>证照下载 Licence download</title></head><body style="font-family:sans-serif;max-width:32em;margin:2em auto">
<h1>证照下载</h1><p>请输入统一社会信用代码或身份证号码的后 6 位。<br>
Enter the last 6 characters of your credit code or ID card number.</p>
<form method="post" action="/api/v1/handover/download"><input type="hidden" name="token" id="token">
<input name="owner_suffix" maxlength="6" minlength="6" required autocomplete="off"
style="font-size:1.4em;letter-spacing:.2em;width:7em"> <button type="submit">下载 Download</button></form>
<script>document.getElementById("token").value = decodeURIComponent(location.hash.slice(1));</script>
</body></html>"""

TokenField = Annotated[str, Form(min_length=1, max_length=128)]
SuffixField = Annotated[str, Form(max_length=32)]


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.get("/api/v1/handover", response_class=HTMLResponse,
            responses=responses(text("text/html", "the applicant's download page")))
def handover_page() -> HTMLResponse:
    """The applicant's page: reads the token from the URL fragment and asks for the code suffix."""
    return HTMLResponse(_PAGE, headers={"Cache-Control": "no-store"})


@router.post("/api/v1/handover", response_model=HandoverOut, responses=problems(404, 409, 429))
def handover_documents(
    request: Request, token: TokenField, owner_suffix: SuffixField,
    *, delivery: Delivery,
) -> dict[str, Any]:
    """What the link holds (after the suffix check): document IDs, names, downloads left."""
    access = delivery.handover.open(token, owner_suffix, client=_client(request))
    return {
        "case_id": access.case_id, "expires_at": access.expires_at.isoformat(),
        "downloads_left": access.downloads_left,
        "documents": [{"id": d.id, "filename": d.filename, "size": d.size, "media_type": d.media_type}
                      for d in access.documents],
    }


@router.post("/api/v1/handover/download", response_class=Response, responses=responses(
    binary("application/pdf", "image/jpeg", "image/png", "image/tiff", "image/heic", description="the document"),
    404, 409, 429))
def handover_download(
    request: Request, token: TokenField, owner_suffix: SuffixField,
    document_id: Annotated[str | None, Form(max_length=64)] = None,
    *, delivery: Delivery,
) -> Response:
    """The document itself (each download counted and written to the archive's access log)."""
    record, data = delivery.handover.download(
        token, owner_suffix, client=_client(request), document_id=document_id or None,
        request_hash=request_hash(request),
    )
    filename = f"{record.id}.pdf" if record.media_type == "application/pdf" else record.id
    return Response(data, media_type=record.media_type, headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
    })
