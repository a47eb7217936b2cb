"""The one place where domain and library errors become HTTP responses (RFC 9457 problem+json)."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

import archive.errors as ae
import certgen.errors as ce
import intake.delivery.errors as de
import intake.errors as ie
import intake.licences.errors as li
import ocr.errors as oe
from standards.errors import CodedError

log = logging.getLogger("onceonly.api")

PROBLEM_JSON = "application/problem+json"

# exception class -> HTTP status. Most specific classes first does not matter: the MRO is walked.
STATUS_BY_ERROR: dict[type[Exception], int] = {
    # archive
    ae.EmptyUploadError: 422,
    ae.DocumentUnusableError: 422,
    ae.DocumentFailedCheckError: 409,
    ae.UploadTooLargeError: 413,
    ae.UnsupportedMediaTypeError: 415,
    ae.InvalidMetadataError: 422,
    ae.IdempotencyConflictError: 409,
    ae.DocumentNotFoundError: 404,
    ae.IntegrityCheckError: 500,
    ae.StoreUnavailableError: 503,
    ae.ObjectConflictError: 409,
    ae.RetentionError: 409,
    ae.ObjectMissingError: 500,
    ae.AuthenticationError: 401,
    ae.ArchiveError: 500,
    # intake
    ie.ForbiddenError: 403,
    ie.PurposeRequiredError: 400,
    ie.UnreadableHeaderError: 400,
    ie.CatalogError: 500,
    ie.UnknownMatterError: 404,
    ie.CaseNotFoundError: 404,
    ie.OwnerNotFoundError: 404,
    ie.IllegalTransitionError: 409,
    ie.UnknownMaterialError: 404,
    ie.WrongDocumentTypeError: 422,
    ie.UnknownFieldError: 404,
    ie.InvalidInputError: 422,
    ie.DecisionRefusedError: 409,
    ie.CaseChecksOpenError: 409,
    ie.MetricsImportError: 422,
    ie.NoticeNotFoundError: 404,
    ie.OcrJobNotFoundError: 404,
    ie.OcrFailedError: 422,
    ie.SequenceUnavailableError: 503,
    ie.IntakeError: 400,
    # ocr
    oe.UnsupportedInputError: 415,
    oe.ImageTooLargeError: 413,
    oe.TooManyPagesError: 413,
    oe.EngineUnavailableError: 503,
    oe.EngineFailedError: 500,
    oe.TemplateError: 500,
    oe.OcrError: 422,
    # certgen
    ce.CertgenError: 500,
    # delivery: labels, waybills, parcels, hand-over links
    ce.LabelDataError: 422,
    ce.LabelSizeError: 422,
    ce.WaybillError: 422,
    ce.WaybillSerialExhaustedError: 503,
    de.ParcelNotFoundError: 404,
    de.ParcelStateError: 409,
    de.SenderNotConfiguredError: 409,
    de.DeliveryStateError: 409,
    de.HandoverNotFoundError: 404,
    de.HandoverRateLimitedError: 429,
    # licences: templates, data, identifiers, signing, PKI, registry
    ce.LicenceDataError: 422,
    ce.UnknownTemplateError: 404,
    ce.InvalidIdentifierError: 422,
    ce.InvalidNumberFormatError: 422,
    ce.NotAPdfError: 422,
    ce.KeyLoadError: 503,
    ce.NotAnOfdError: 422,
    ce.SealKeyError: 503,
    ce.SigningFailedError: 503,
    ce.PkiError: 503,
    li.LicenceNotFoundError: 404,
    li.LicenceStateError: 409,
    li.UnknownAuthorityError: 422,
}

_TITLES = {
    400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 409: "Conflict",
    413: "Content Too Large", 415: "Unsupported Media Type", 422: "Unprocessable Content",
    429: "Too Many Requests", 500: "Internal Server Error", 503: "Service Unavailable",
}


def status_for(exc: Exception) -> int:
    for cls in type(exc).__mro__:
        if cls in STATUS_BY_ERROR:
            return STATUS_BY_ERROR[cls]
    return 500


def problem(
    status: int, code: str, message_en: str, message_zh: str, *, instance: str | None = None,
    headers: dict[str, str] | None = None, **extra: Any,
) -> JSONResponse:
    body = {
        "type": f"https://onceonly.invalid/problems/{code}", "title": _TITLES.get(status, "Error"),
        "status": status, "detail": f"{message_zh} / {message_en}", "code": code,
        "message_zh": message_zh, "message_en": message_en,
    }
    if instance:
        body["instance"] = instance
    body.update({k: v for k, v in extra.items() if k not in body})
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


async def domain_error(request: Request, exc: CodedError) -> JSONResponse:
    status = status_for(exc)
    extra = dict(exc.extra)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    if status in (429, 503) and "retry_after" in extra:
        headers = {"Retry-After": str(extra["retry_after"])}
    if status >= 500:
        log.error("request failed", extra={"path": request.url.path, "code": exc.code},
                  exc_info=status == 500 and not isinstance(exc, ae.IntegrityCheckError))
    return problem(status, exc.code, str(exc), exc.message_zh,
                   instance=request.url.path, headers=headers, **_jsonable(extra))


async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = [{"loc": [str(p) for p in e.get("loc", ())], "msg": e.get("msg", "")} for e in exc.errors()]
    return problem(422, "validation_error", "the request is missing or has malformed fields",
                   "请求缺少必填项或格式有误", instance=request.url.path, errors=errors)


async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    if exc.status_code == 400:
        # only the framework raises a bare 400: a body that is not JSON / not a well-formed form.
        # That is malformed input, answered as documented on every route (422)
        return problem(422, "malformed_body", f"the request body cannot be parsed: {exc.detail}",
                       "请求体格式有误", instance=request.url.path)
    zh = {404: "未找到", 405: "不支持该请求方法", 401: "未认证", 403: "无权访问", 429: "请求过于频繁"}
    return problem(exc.status_code, f"http_{exc.status_code}", str(exc.detail),
                   zh.get(exc.status_code, "请求失败"), instance=request.url.path,
                   headers=getattr(exc, "headers", None))


async def unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error", extra={"path": request.url.path})
    return problem(500, "internal_error", "an unexpected error occurred; nothing was changed",
                   "系统内部错误，未做任何更改", instance=request.url.path)


def _jsonable(extra: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in extra.items():
        out[key] = value if isinstance(value, (str, int, float, bool, list, dict, type(None))) else str(value)
    return out


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(CodedError, domain_error)  # the base of every package's errors
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, unexpected_error)
