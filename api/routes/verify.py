"""Public verification: upload a licence PDF, or open the page its QR code points to. No login needed."""

from __future__ import annotations

import html
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import Licences, UploadLimit
from api.schemas import (
    VERDICT_ZH, CheckOut, PublicStatusOut, binary, check_json, problems, public_status_json, responses, text,
)
from certgen.signing import NotAPdfError
from intake import check_licence_pdf, crl_der, public_status

router = APIRouter(tags=["verify"])


@router.post("/api/v1/verify", response_model=CheckOut, responses=problems(413, 503), openapi_extra={
    "requestBody": {"required": True, "content": {
        "application/pdf": {"schema": {"type": "string", "format": "binary"}},
        "application/ofd": {"schema": {"type": "string", "format": "binary"}},
        "multipart/form-data": {"schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}},
    }}})
async def verify_upload(request: Request, service: Licences,
                        limit: UploadLimit) -> dict[str, Any]:
    """Body: the PDF or OFD itself (``application/pdf``, ``application/ofd``) or multipart with a ``file`` field."""
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
        from archive import UploadTooLargeError

        raise UploadTooLargeError(f"the PDF is larger than {limit} bytes")
    if not data.lstrip()[:5].startswith(b"%PDF-") and data[:4] != b"PK\x03\x04":  # PDF or OFD (ZIP)
        raise NotAPdfError("the upload is not a PDF or OFD", message_zh="上传的文件不是PDF或OFD")
    from starlette.concurrency import run_in_threadpool

    check = await run_in_threadpool(check_licence_pdf, service, data)
    return check_json(check)


@router.get("/api/v1/verify/{identifier}", response_model=PublicStatusOut, responses=problems(404))
def verify_identifier(identifier: str, service: Licences) -> dict[str, Any]:
    lic, status = public_status(service, identifier)
    return public_status_json(lic, status)


@router.get("/verify/{identifier}", response_class=HTMLResponse,
            responses=responses(text("text/html", "the verification page"), 404))
def verify_page(identifier: str, service: Licences) -> HTMLResponse:
    """The page a licence's QR code opens: status, issuer, dates and the hash of the issued file."""
    lic, status = public_status(service, identifier)
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
    colour = "#1a7f37" if status == "valid" else "#b42318"
    body = "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in rows)
    page = f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>证照核验 {e(lic.number)}</title>
<style>body{{font-family:sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}}
th{{text-align:left;padding-right:1rem;vertical-align:top}}td{{word-break:break-all}}
.status{{font-size:1.5rem;color:{colour}}}</style></head><body>
<h1>电子证照核验 Licence verification</h1>
<p class="status" data-status="{e(status)}">{e(VERDICT_ZH.get(status, status))} · {e(status)}</p>
{superseded}<table>{body}</table>
<p>上传PDF核验签名与文件完整性 / To check a PDF file itself, POST it to <code>/api/v1/verify</code>.</p>
</body></html>"""
    return HTMLResponse(page)


@router.get("/pki/{name}.crl", response_class=Response,
            responses=responses(binary("application/pkix-crl", description="a DER CRL"), 404, 503))
def crl(name: str, service: Licences) -> Response:
    """The dev PKI's CRLs, at the distribution points written into its certificates."""
    return Response(crl_der(service.config, name), media_type="application/pkix-crl")
