"""Errors of licence issuance and the registry (``IntakeError``: code + Chinese message)."""

from __future__ import annotations

from intake.errors import IntakeError


class LicenceNotFoundError(IntakeError):
    """No licence with this identifier has been issued."""

    code = "licence_not_found"
    message_zh = "未找到该证照"


class LicenceStateError(IntakeError):
    """The licence's status does not allow this (e.g. revoking a revoked licence)."""

    code = "licence_state_conflict"
    message_zh = "证照当前状态不允许此操作"


class CaseBeingIssuedError(LicenceStateError):
    """Another request is issuing this case's licence right now."""

    code = "licence_case_busy"
    message_zh = "该办件的证照正在签发中，请勿重复提交"


class UnknownAuthorityError(IntakeError):
    """No issuing authority with this code is configured."""

    code = "authority_not_found"
    message_zh = "未配置该发证机关"


class IssuanceFailedError(IntakeError):
    """The licence could not be issued; nothing was archived or recorded."""

    code = "licence_issuance_failed"
    message_zh = "证照签发失败，未生成证照"
