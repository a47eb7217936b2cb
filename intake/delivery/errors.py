"""Errors of the delivery workflow (all ``IntakeError``s; ``api/errors.py`` maps them)."""

from __future__ import annotations

from intake.errors import IntakeError


class DeliveryError(IntakeError):
    """The delivery step failed."""

    code = "delivery_error"
    message_zh = "送达处理失败"


class ParcelNotFoundError(DeliveryError):
    """No parcel with this waybill number exists."""

    code = "parcel_not_found"
    message_zh = "运单不存在"


class ParcelStateError(DeliveryError):
    """The parcel cannot take this scan in its current state."""

    code = "parcel_state_conflict"
    message_zh = "运单当前状态不允许此扫描"


class DeliveryStateError(DeliveryError):
    """The case is not in a state that allows this delivery step."""

    code = "delivery_state_conflict"
    message_zh = "办件当前状态不允许此送达操作"


class HandoverNotFoundError(DeliveryError):
    """The link is unknown, expired or used up, or the owner-code suffix is wrong."""

    code = "handover_not_found"
    message_zh = "链接无效、已过期或验证信息不正确"


class HandoverRateLimitedError(DeliveryError):
    """Too many failed attempts; try again later."""

    code = "handover_rate_limited"
    message_zh = "尝试次数过多，请稍后再试"


class SenderNotConfiguredError(DeliveryError):
    """No sender address is known for the case's department: no label is printed."""

    code = "sender_not_configured"
    message_zh = "未配置寄件人地址"
