"""The ocr exception hierarchy. Every error has a stable ``code`` and a Chinese message."""

from __future__ import annotations

from standards.errors import CodedError


class OcrError(CodedError):
    """Base class of every error raised by the ocr package."""

    code: str = "ocr_error"
    message_zh: str = "文字识别失败"


class EmptyInputError(OcrError):
    """The file is empty."""

    code = "ocr_empty_input"
    message_zh = "文件为空"


class UnsupportedInputError(OcrError):
    """The file is not a PDF, JPEG, PNG, TIFF or HEIC image."""

    code = "ocr_unsupported_input"
    message_zh = "文件不是可识别的 PDF、JPEG、PNG、TIFF 或 HEIC 图像"


class CorruptInputError(OcrError):
    """The file is damaged or truncated and cannot be read."""

    code = "ocr_corrupt_input"
    message_zh = "文件已损坏或不完整，无法读取"


class EncryptedPdfError(OcrError):
    """The PDF is encrypted (password protected)."""

    code = "ocr_encrypted_pdf"
    message_zh = "PDF 文件已加密，无法读取"


class TooManyPagesError(OcrError):
    """The document has more pages than allowed."""

    code = "ocr_too_many_pages"
    message_zh = "文件页数超过上限"


class ImageTooLargeError(OcrError):
    """An image or page is larger than the pixel limit (possible decompression bomb)."""

    code = "ocr_image_too_large"
    message_zh = "图像像素数超过上限（疑似解压炸弹）"


class EngineUnavailableError(OcrError):
    """The requested OCR engine is unknown or not installed."""

    code = "ocr_engine_unavailable"
    message_zh = "所需的识别引擎不存在或未安装"


class EngineFailedError(OcrError):
    """The OCR engine failed on a page."""

    code = "ocr_engine_failed"
    message_zh = "识别引擎处理页面时出错"


class TemplateError(OcrError):
    """A document-type template (YAML) is invalid."""

    code = "ocr_template_invalid"
    message_zh = "文档类型模板（YAML）无效"
