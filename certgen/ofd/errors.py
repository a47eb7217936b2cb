"""Errors of OFD writing, sealing and reading (all ``CertgenError``: code + Chinese message)."""

from __future__ import annotations

from certgen.errors import CertgenError


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
