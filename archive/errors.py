"""The archive exception hierarchy. Each error has a stable ``code`` and a Chinese message."""

from __future__ import annotations

from standards.errors import CodedError


class ArchiveError(CodedError):
    """Base class of every error raised by the archive."""

    code: str = "archive_error"
    message_zh: str = "电子档案操作失败"


class EmptyUploadError(ArchiveError):
    """The uploaded file is empty."""

    code = "empty_upload"
    message_zh = "上传的文件为空"


class UploadTooLargeError(ArchiveError):
    """The uploaded file exceeds the size limit."""

    code = "upload_too_large"
    message_zh = "上传的文件超过大小限制"


class UnsupportedMediaTypeError(ArchiveError):
    """The file content is not an allowed type (PDF, JPEG, PNG, TIFF, HEIC)."""

    code = "unsupported_media_type"
    message_zh = "文件内容不是允许的类型（PDF、JPEG、PNG、TIFF、HEIC）"


class InvalidMetadataError(ArchiveError):
    """A metadata value is missing or malformed."""

    code = "invalid_metadata"
    message_zh = "文件元数据缺失或格式错误"


class IdempotencyConflictError(ArchiveError):
    """The idempotency key was already used for different content."""

    code = "idempotency_conflict"
    message_zh = "幂等键已用于不同的文件内容"


class DocumentNotFoundError(ArchiveError):
    """No such document (or it is not visible to the caller)."""

    code = "document_not_found"
    message_zh = "未找到该文档"


class IntegrityCheckError(ArchiveError):
    """The stored bytes do not match their recorded SHA-256."""

    code = "integrity_error"
    message_zh = "档案完整性校验失败：存储的内容与登记的哈希值不一致"


class StoreUnavailableError(ArchiveError):
    """The object store cannot be reached; nothing was recorded."""

    code = "store_unavailable"
    message_zh = "档案存储暂时不可用，请稍后重试"


class ObjectConflictError(ArchiveError):
    """An object already exists under that key with different bytes; it was not overwritten."""

    code = "object_conflict"
    message_zh = "存储中已有不同内容的同名对象，拒绝覆盖"


class RetentionError(ArchiveError):
    """The object is under retention and cannot be deleted or changed."""

    code = "retention_active"
    message_zh = "该档案在保管期内，不能删除或修改"


class ObjectMissingError(ArchiveError):
    """The catalog names an object the store does not have."""

    code = "object_missing"
    message_zh = "档案存储中缺少该对象"


class AuthenticationError(ArchiveError):
    """The API key is missing, unknown, revoked or expired."""

    code = "unauthenticated"
    message_zh = "API 密钥无效、已撤销或已过期"


class DocumentUnusableError(ArchiveError):
    """The file cannot be opened, shown or trusted (damaged, incomplete, a bomb, a polyglot); nothing was stored."""

    code = "document_unusable"
    message_zh = "文件已损坏或不完整，请重新扫描"


class DocumentFailedCheckError(ArchiveError):
    """The stored document failed its last re-check (damaged in storage); it is not served as good."""

    code = "document_failed_check"
    message_zh = "该文件未通过档案复检（存储内容可能已损坏），暂停提供，请联系档案管理员"
