"""The body of ``GET /api/v1/me``: who the key belongs to and what its role may do (the desk adapts)."""

from __future__ import annotations

from api.schemas.common import Out


class MeOut(Out):
    key_id: str
    name: str
    role: str
    centre: str | None = None
    """The service centre of a clerk's or approver's key (they see that centre's cases)."""
    owner_code: str | None = None
    """The citizen or company an applicant key stands for."""
    actions: list[str]
    """``intake.permissions`` actions this role may take (``case.decide``, ``parcel.scan``, …)."""
