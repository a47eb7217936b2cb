"""Errors of the label renderer (all are ``CertgenError``s)."""

from __future__ import annotations

from certgen.errors import CertgenError


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
