"""The certgen exception hierarchy. Every error has a stable ``code`` and bilingual messages."""

from __future__ import annotations


class CertgenError(Exception):
    """Base class of every error raised by certgen."""

    code: str = "certgen_error"
    message_zh: str = "证照生成失败"

    def __init__(self, message: str = "", *, message_zh: str | None = None) -> None:
        super().__init__(message or self.__class__.__doc__ or self.code)
        if message_zh is not None:
            self.message_zh = message_zh

    @property
    def message(self) -> str:
        return str(self)


class FontUnavailableError(CertgenError):
    """No embeddable CJK font is installed."""

    code = "font_unavailable"
    message_zh = "缺少可嵌入的中文字体"
