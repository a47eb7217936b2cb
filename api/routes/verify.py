"""Public verification: upload a licence PDF (API or the page ``/verify``), or open the page its QR code
points to. No login needed; errors on the pages are Chinese pages, never raw JSON."""

from __future__ import annotations

import html
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from api.deps import Licences, UploadLimit
from api.schemas import (
    VERDICT_ZH, CheckOut, PublicStatusOut, binary, check_json, problems, public_status_json, responses, text,
)
from api.verify_html import error_page, result_page, upload_page
from archive import UploadTooLargeError
from archive.errors import ArchiveError
from certgen.errors import CertgenError, InvalidIdentifierError, NotAPdfError
from intake import LicenceCheck, LicenceService, check_licence_pdf, crl_der, public_status
from intake.errors import IntakeError
from intake.licences.errors import LicenceNotFoundError

router = APIRouter(tags=["verify"])

_HTML = text("text/html", "a page in Chinese (and English)")
_HTML_ERROR = text("text/html", "an error page in Chinese (and English), for people")


async def _check_upload(request: Request, service: LicenceService, limit: int) -> LicenceCheck:
    """Body: the PDF or OFD itself, or a multipart form with a ``file`` field; checked off the event loop."""
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        form = await request.form()
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise NotAPdfError("multipart upload needs a 'file' field", message_zh="请上传名为 file 的PDF文件")
        data = await upload.read(limit + 1)
    else:
        buffer = bytearray()
        async for chunk in request.stream():
            buffer += chunk
            if len(buffer) > limit:
                break
        data = bytes(buffer)
    if len(data) > limit:
        raise UploadTooLargeError(f"the PDF is larger than {limit} bytes")
    if not data.lstrip()[:5].startswith(b"%PDF-") and data[:4] != b"PK\x03\x04":  # PDF or OFD (ZIP)
        raise NotAPdfError("the upload is not a PDF or OFD", message_zh="上传的文件不是PDF或OFD")
    return await run_in_threadpool(check_licence_pdf, service, data)


@router.post("/api/v1/verify", response_model=CheckOut, responses=problems(413, 503), openapi_extra={
    "requestBody": {"required": True, "content": {
        "application/pdf": {"schema": {"type": "string", "format": "binary"}},
        "application/ofd": {"schema": {"type": "string", "format": "binary"}},
        "multipart/form-data": {"schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}},
    }}})
async def verify_upload(request: Request, service: Licences, limit: UploadLimit) -> dict[str, Any]:
    """Body: the PDF or OFD itself (``application/pdf``, ``application/ofd``) or multipart with a ``file`` field."""
    return check_json(await _check_upload(request, service, limit))


@router.get("/api/v1/verify/{identifier}", response_model=PublicStatusOut, responses=problems(404))
def verify_identifier(identifier: str, service: Licences) -> dict[str, Any]:
    lic, status = public_status(service, identifier)
    return public_status_json(lic, status)


@router.get("/verify", response_class=HTMLResponse, responses=responses(_HTML))
def verify_form() -> HTMLResponse:
    """The public page: upload a licence PDF to check it."""
    return HTMLResponse(upload_page())


@router.post("/verify", response_class=HTMLResponse,
             responses={**responses(_HTML), 413: _HTML_ERROR, 422: _HTML_ERROR})
async def verify_form_upload(request: Request, service: Licences, limit: UploadLimit) -> HTMLResponse:
    """The upload form's answer, as a page (the same check as ``POST /api/v1/verify``); errors as pages."""
    try:
        check = check_json(await _check_upload(request, service, limit))
    except (IntakeError, CertgenError, ArchiveError) as err:
        status = 413 if isinstance(err, UploadTooLargeError) else 422
        return HTMLResponse(error_page(err.message_zh or "核验失败", str(err), err.code), status_code=status)
    lic = check["licence"] or {}
    rows = [("证照名称 Licence", lic.get("name") or "—"), ("证照编号 Number", lic.get("number") or "—"),
            ("持证主体 Holder", lic.get("holder_name") or "—"), ("发证机关 Issuer", lic.get("authority") or "—"),
            ("证照标识 Identifier", lic.get("identifier") or check["claimed_identifier"] or "—"),
            ("文件 SHA-256", check["report"]["sha256"])]
    return HTMLResponse(result_page("证照核验结果", check["verdict"], check["verdict_zh"], rows))


@router.get("/verify/{identifier}", response_class=HTMLResponse,
            responses={**responses(_HTML), 404: _HTML_ERROR, 422: _HTML_ERROR})
def verify_page(identifier: str, service: Licences) -> HTMLResponse:
    """The page a licence's QR code opens: status, issuer, dates and the hash of the issued file.

    An unknown or malformed identifier gets a Chinese error page (404 / 422), never raw JSON."""
    try:
        lic, status = public_status(service, identifier)
    except (InvalidIdentifierError, LicenceNotFoundError) as err:
        code = 404 if isinstance(err, LicenceNotFoundError) else 422
        zh = "未找到该电子证照，可能不是本系统签发" if code == 404 else "证照标识格式有误，请核对"
        return HTMLResponse(error_page(zh, str(err), err.code), status_code=code)
    e = html.escape
    rows = [
        ("证照名称 Licence", lic.name), ("证照编号 Number", lic.number), ("持证主体 Holder", lic.holder_name),
        ("发证机关 Issuer", lic.authority_name), ("发证日期 Issued", lic.issue_date.isoformat()),
        ("有效期至 Valid until", lic.valid_until.isoformat() if lic.valid_until else "长期 no expiry"),
        ("证照标识 Identifier", lic.identifier), ("文件 SHA-256", lic.sha256),
    ]
    if lic.status_reason:
        rows.append(("原因 Reason", lic.status_reason))
    superseded = ""
    if lic.superseded_by:
        link = f"/verify/{lic.superseded_by}"
        superseded = f'<p>替代证照 Replaced by: <a href="{e(link)}">{e(lic.superseded_by)}</a></p>'
    return HTMLResponse(result_page(f"证照核验 {lic.number}", status, VERDICT_ZH.get(status, status), rows, superseded))


@router.get("/pki/{name}.crl", response_class=Response,
            responses=responses(binary("application/pkix-crl", description="a DER CRL"), 404, 503))
def crl(name: str, service: Licences) -> Response:
    """The dev PKI's CRLs, at the distribution points written into its certificates."""
    return Response(crl_der(service.config, name), media_type="application/pkix-crl")
