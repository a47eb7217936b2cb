"""Public verification: upload a licence PDF (API or the page ``/verify``), or open the page its QR code
points to. No login needed; errors on the pages are Chinese pages, never raw JSON."""

from __future__ import annotations

import html
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from starlette.concurrency import run_in_threadpool

from api.container import Container
from api.deps import get_container
from api.verify_html import error_page, result_page, upload_page
from archive import UploadTooLargeError
from archive.errors import ArchiveError
from certgen.errors import CertgenError
from certgen.identifiers import InvalidIdentifierError
from certgen.signing import NotAPdfError, VerificationReport
from intake.errors import IntakeError
from intake.licences import LicenceCheck, LicenceService, check_licence_pdf, public_status
from intake.licences.errors import LicenceNotFoundError
from intake.licences.pki_admin import crl_der

router = APIRouter(tags=["verify"])

_VERDICT_ZH = {
    "valid": "有效", "expired": "已过期", "revoked": "已吊销/撤销", "superseded": "已被新证照替代",
    "modified": "签名后被修改", "invalid": "签名无效", "unknown": "非本系统签发", "unsigned": "未签名",
}


def _service(container: Container = Depends(get_container)) -> LicenceService:
    return container.licences


def report_json(report: VerificationReport) -> dict[str, Any]:
    return {
        "sha256": report.sha256, "size": report.size, "signed": report.signed, "ok": report.ok,
        "signatures": [{
            "field": s.field_name, "signer": s.signer, "signer_cert_sha256": s.signer_cert_sha256,
            "intact": s.intact, "valid": s.valid, "trusted": s.trusted, "revoked": s.revoked,
            "coverage": s.coverage, "modification": s.modification, "modified": s.modified,
            "signing_time": s.signing_time.isoformat() if s.signing_time else None,
            "timestamp": None if s.timestamp is None else {
                "time": s.timestamp.time.isoformat(), "intact": s.timestamp.intact, "valid": s.timestamp.valid,
                "trusted": s.timestamp.trusted, "tsa": s.timestamp.tsa},
            "pades_level": s.pades_level, "problems": list(s.problems), "ok": s.ok,
        } for s in report.signatures],
    }


def check_json(check: LicenceCheck) -> dict[str, Any]:
    lic = check.licence
    return {
        "verdict": check.verdict, "verdict_zh": _VERDICT_ZH.get(check.verdict, check.verdict),
        "genuine": check.genuine, "registry_status": check.status,
        "claimed_identifier": check.claimed_identifier,
        "licence": None if lic is None else {
            "identifier": lic.identifier, "number": lic.number, "name": lic.name, "holder_name": lic.holder_name,
            "authority": lic.authority_name, "issue_date": lic.issue_date.isoformat(),
            "valid_until": lic.valid_until.isoformat() if lic.valid_until else None,
            "status_reason": lic.status_reason, "superseded_by": lic.superseded_by, "sha256": lic.sha256,
        },
        "report": report_json(check.report),
    }


async def _check_upload(request: Request, service: LicenceService, container: Container) -> LicenceCheck:
    limit = container.settings.max_upload_bytes
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
    if not data.lstrip()[:5].startswith(b"%PDF-"):
        raise NotAPdfError("the upload is not a PDF")
    return await run_in_threadpool(check_licence_pdf, service, data)


@router.post("/api/v1/verify")
async def verify_upload(request: Request, service: Annotated[LicenceService, Depends(_service)],
                        container: Annotated[Container, Depends(get_container)]) -> dict[str, Any]:
    """Body: the PDF itself (``application/pdf``) or a multipart form with a ``file`` field."""
    return check_json(await _check_upload(request, service, container))


@router.get("/api/v1/verify/{identifier}")
def verify_identifier(identifier: str, service: Annotated[LicenceService, Depends(_service)]) -> dict[str, Any]:
    lic, status = public_status(service, identifier)
    return {"identifier": lic.identifier, "status": status, "status_zh": _VERDICT_ZH.get(status, status),
            "number": lic.number, "name": lic.name, "holder_name": lic.holder_name,
            "authority": lic.authority_name, "issue_date": lic.issue_date.isoformat(),
            "valid_until": lic.valid_until.isoformat() if lic.valid_until else None,
            "status_reason": lic.status_reason, "superseded_by": lic.superseded_by, "sha256": lic.sha256}


@router.get("/verify", response_class=HTMLResponse)
def verify_form() -> HTMLResponse:
    """The public page: upload a licence PDF to check it."""
    return HTMLResponse(upload_page())


@router.post("/verify", response_class=HTMLResponse)
async def verify_form_upload(request: Request, service: Annotated[LicenceService, Depends(_service)],
                             container: Annotated[Container, Depends(get_container)]) -> HTMLResponse:
    """The upload form's answer, as a page (the same check as ``POST /api/v1/verify``)."""
    try:
        check = check_json(await _check_upload(request, service, container))
    except (IntakeError, CertgenError, ArchiveError) as err:
        status = 413 if err.__class__.__name__ == "UploadTooLargeError" else 422
        return HTMLResponse(error_page(getattr(err, "message_zh", "核验失败"), str(err), err.code), status_code=status)
    lic = check["licence"] or {}
    rows = [("证照名称 Licence", lic.get("name") or "—"), ("证照编号 Number", lic.get("number") or "—"),
            ("持证主体 Holder", lic.get("holder_name") or "—"), ("发证机关 Issuer", lic.get("authority") or "—"),
            ("证照标识 Identifier", lic.get("identifier") or check["claimed_identifier"] or "—"),
            ("文件 SHA-256", check["report"]["sha256"])]
    return HTMLResponse(result_page("证照核验结果", check["verdict"], check["verdict_zh"], rows))


@router.get("/verify/{identifier}", response_class=HTMLResponse)
def verify_page(identifier: str, service: Annotated[LicenceService, Depends(_service)]) -> HTMLResponse:
    """The page a licence's QR code opens: status, issuer, dates and the hash of the issued file.

    An unknown or malformed identifier gets a Chinese error page (404 / 422), never raw JSON."""
    try:
        lic, status = public_status(service, identifier)
    except (InvalidIdentifierError, LicenceNotFoundError) as err:
        code = 404 if isinstance(err, LicenceNotFoundError) else 422
        zh = "未找到该电子证照，可能不是本系统签发" if code == 404 else "证照标识格式有误，请核对"
        return HTMLResponse(error_page(zh, str(err), getattr(err, "code", "invalid")), status_code=code)
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
    return HTMLResponse(result_page(f"证照核验 {lic.number}", status, _VERDICT_ZH.get(status, status), rows, superseded))


@router.get("/pki/{name}.crl")
def crl(name: str, service: Annotated[LicenceService, Depends(_service)]) -> Response:
    """The dev PKI's CRLs, at the distribution points written into its certificates."""
    return Response(crl_der(service.config, name), media_type="application/pkix-crl")
