"""Every certgen exception, in one hierarchy. Each has a stable ``code`` and a Chinese message.

``str(err)`` is the English message; machine-readable details passed as keywords are kept in
``err.extra`` (``api/errors.py`` copies them into the problem+json body), like every other package.
"""

from __future__ import annotations

from standards.errors import CodedError


class CertgenError(CodedError):
    """Base class of every error raised by certgen."""

    code: str = "certgen_error"
    message_zh: str = "证照生成失败"


class FontUnavailableError(CertgenError):
    """No embeddable CJK font is installed."""

    code = "font_unavailable"
    message_zh = "缺少可嵌入的中文字体"


# -- licences: templates, data, identifiers, numbers -----------------------------------------------
class TemplateError(CertgenError):
    """A licence template file is invalid."""

    code = "licence_template_invalid"
    message_zh = "证照模板配置有误"


class UnknownTemplateError(CertgenError):
    """No licence template with this id exists."""

    code = "licence_type_not_found"
    message_zh = "证照类型不存在"


class LicenceDataError(CertgenError):
    """The licence data does not satisfy the template (missing or malformed fields)."""

    code = "licence_data_invalid"
    message_zh = "证照数据不完整或格式错误"

    def __init__(self, message: str = "", *, problems: dict[str, str] | None = None,
                 message_zh: str | None = None) -> None:
        self.problems = dict(problems or {})
        super().__init__(message, message_zh=message_zh, problems=self.problems)


class InvalidIdentifierError(CertgenError):
    """The licence identifier is malformed or its check character is wrong."""

    code = "invalid_licence_identifier"
    message_zh = "证照标识格式或校验位错误"


class InvalidNumberFormatError(CertgenError):
    """A licence number cannot be formed from the given parts."""

    code = "invalid_licence_number"
    message_zh = "证照编号格式错误"


class NoticeDataError(CertgenError):
    """The notice data is incomplete (a required item of the notice is missing)."""

    code = "notice_data_invalid"
    message_zh = "告知书内容不完整"


class SealImageError(CertgenError):
    """The configured seal image cannot be read."""

    code = "seal_image_invalid"
    message_zh = "印章图片无法读取"


# -- signing, verification, PKI -----------------------------------------------------------------
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


class PkiError(CertgenError):
    """The PKI directory is missing, incomplete or unreadable."""

    code = "pki_unavailable"
    message_zh = "数字证书体系未初始化或文件损坏"


# -- courier labels and waybills ----------------------------------------------------------------
class LabelError(CertgenError):
    """The courier label cannot be rendered."""

    code = "label_error"
    message_zh = "快递面单生成失败"


class LabelDataError(LabelError):
    """The label data is incomplete or invalid."""

    code = "label_data_invalid"
    message_zh = "面单数据不完整或无效"


class LabelLayoutError(LabelError):
    """A label layout template is invalid."""

    code = "label_layout_invalid"
    message_zh = "面单版式模板无效"


class LabelSizeError(LabelError):
    """No label layout exists for the requested size."""

    code = "label_size_unknown"
    message_zh = "不支持的面单尺寸"


class WaybillError(CertgenError):
    """The waybill number is not valid."""

    code = "waybill_invalid"
    message_zh = "运单号无效"


class WaybillFormatError(WaybillError):
    """The waybill number does not have the carrier's format."""

    code = "waybill_format"
    message_zh = "运单号格式不正确"


class WaybillCheckDigitError(WaybillError):
    """The waybill number's check digit is wrong."""

    code = "waybill_check_digit"
    message_zh = "运单号校验位错误"


class WaybillSerialExhaustedError(WaybillError):
    """Every serial number of this waybill scheme has been used."""

    code = "waybill_serial_exhausted"
    message_zh = "运单号段已用尽"


# -- OFD (GB/T 33190) and the SM2 seal (GB/T 38540) ------------------------------------------------
class OfdError(CertgenError):
    """The OFD package could not be written."""

    code = "ofd_failed"
    message_zh = "OFD文件生成失败"


class NotAnOfdError(CertgenError):
    """The uploaded file is not a readable OFD package."""

    code = "not_an_ofd"
    message_zh = "上传的文件不是有效的OFD文件"


class SealKeyError(CertgenError):
    """The SM2 seal key or certificate cannot be loaded."""

    code = "sm2_seal_unavailable"
    message_zh = "SM2电子印章密钥或证书无法加载"
