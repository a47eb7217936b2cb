"""Errors of signing and verification (all ``CertgenError``: code + Chinese message)."""

from __future__ import annotations

from certgen.errors import CertgenError


class KeyLoadError(CertgenError):
    """The signing key or its certificate cannot be loaded."""

    code = "signing_key_unavailable"
    message_zh = "签名密钥无法加载"


class SigningFailedError(CertgenError):
    """The PDF could not be signed (nothing was written)."""

    code = "signing_failed"
    message_zh = "电子签章失败，未生成文件"


class TimestampUnavailableError(SigningFailedError):
    """The time-stamping authority did not answer; the licence was not issued."""

    code = "timestamp_unavailable"
    message_zh = "时间戳服务不可用，未生成文件"


class NotAPdfError(CertgenError):
    """The uploaded file is not a readable PDF."""

    code = "not_a_pdf"
    message_zh = "上传的文件不是有效的PDF"


class EncryptedPdfError(NotAPdfError):
    """The PDF is encrypted; its signatures cannot be checked without the password."""

    code = "encrypted"
    message_zh = "PDF文件已加密，无法核验，请上传未加密的证照文件"
