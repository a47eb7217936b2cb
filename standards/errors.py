"""The one shape of every error the packages raise (each package has its own base class on it)."""

from __future__ import annotations

from typing import Any

__all__ = ["CodedError"]


class CodedError(Exception):
    """An error with a stable ``code``, a Chinese message for the clerk, the English one as
    ``str(err)``, and machine-readable details in ``extra`` (from keyword arguments)."""

    code: str = "error"
    message_zh: str = "操作失败"

    def __init__(self, message: str = "", *, message_zh: str | None = None, **extra: Any) -> None:
        super().__init__(message or (self.__class__.__doc__ or self.code).strip())
        if message_zh is not None:
            self.message_zh = message_zh
        self.extra: dict[str, Any] = dict(extra)

    @property
    def message(self) -> str:
        return str(self)
