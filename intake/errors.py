"""The intake exception hierarchy. Every error has a stable ``code`` and a Chinese message.

``str(err)`` is the English message; ``api/errors.py`` maps each class to an HTTP status.
Extra, machine-readable details go in ``err.extra`` (copied into the problem+json body).
"""

from __future__ import annotations

from typing import Any

from standards.errors import CodedError


class IntakeError(CodedError):
    """Base class of every error raised by intake."""

    code: str = "intake_error"
    message_zh: str = "办件处理失败"


class CatalogError(IntakeError):
    """A matter or calendar definition is invalid."""

    code = "catalog_invalid"
    message_zh = "事项配置文件有误"


class UnknownMatterError(IntakeError):
    """No matter with this id exists in the catalog."""

    code = "matter_not_found"
    message_zh = "事项不存在"


class CaseNotFoundError(IntakeError):
    """No case with this id exists."""

    code = "case_not_found"
    message_zh = "办件不存在"


class OwnerNotFoundError(IntakeError):
    """No owner this caller may see: no case of theirs at the caller's centre, or not the applicant's own."""

    code = "owner_not_found"
    message_zh = "无此申请人的记录"


class IllegalTransitionError(IntakeError):
    """The case cannot move from its current state to the requested one."""

    code = "illegal_transition"
    message_zh = "办件当前状态不允许此操作"


class UnknownMaterialError(IntakeError):
    """The matter has no material with this id."""

    code = "material_not_found"
    message_zh = "该事项无此材料"


class WrongDocumentTypeError(IntakeError):
    """The document's type is not accepted for this material."""

    code = "wrong_document_type"
    message_zh = "材料类型不符合要求"


class UnknownFieldError(IntakeError):
    """The matter's form has no field with this name."""

    code = "field_not_found"
    message_zh = "表单无此字段"


class InvalidInputError(IntakeError):
    """A value given by the user is not valid."""

    code = "invalid_input"
    message_zh = "输入有误"


class DecisionRefusedError(IntakeError):
    """The materials do not allow this decision (e.g. accepting with a main material missing)."""

    code = "decision_refused"
    message_zh = "材料情况不允许此操作"


class MetricsImportError(IntakeError):
    """Rows of a historical case export are invalid."""

    code = "metrics_import_invalid"
    message_zh = "办件数据导入有误"


class ForbiddenError(IntakeError):
    """The caller's role or scopes do not allow this."""

    code = "forbidden"
    message_zh = "无权执行此操作"


class PurposeRequiredError(IntakeError):
    """Systems of other agencies must state the case and the purpose of every read."""

    code = "purpose_required"
    message_zh = "外部系统调取材料须注明办件编号（X-Case-Ref）和用途（X-Purpose）"


class NoticeNotFoundError(IntakeError):
    """No notice with this id exists for the case."""

    code = "notice_not_found"
    message_zh = "告知书不存在"


class OcrJobNotFoundError(IntakeError):
    """No OCR job with this id (or for this document) exists."""

    code = "ocr_job_not_found"
    message_zh = "识别任务不存在"


class OcrFailedError(IntakeError):
    """The document's latest OCR job failed; ``code`` is the job's own error code."""

    code = "ocr_failed"
    message_zh = "文字识别失败"

    def __init__(self, message: str = "", *, code: str | None = None, **extra: Any) -> None:
        super().__init__(message or "OCR failed", **extra)
        if code:
            self.code = code


class SequenceUnavailableError(IntakeError):
    """A licence number could not be allocated (the database stayed busy)."""

    code = "licence_sequence_busy"
    message_zh = "证照编号分配繁忙，请稍后重试"
class CaseChecksOpenError(IntakeError):
    """Blocking findings (checks, conflicts, empty required fields) are open: decide after fixing them."""

    code = "case_checks_open"
    message_zh = "办件尚有未解决的核验问题，不能作出此决定"


class UnreadableHeaderError(IntakeError):
    """A free-text header (X-Purpose, X-Case-Ref) is not UTF-8 text: the audit log could not show it."""

    code = "unreadable_header"
    message_zh = "请求头须为 UTF-8 文本（原文、百分号编码或 RFC 8187 格式）"
