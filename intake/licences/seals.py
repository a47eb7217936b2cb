"""The licence authorities' e-seals on other documents the agency issues (notices)."""

from __future__ import annotations

from collections.abc import Sequence

from certgen import sign_pdf
from certgen.notices import SealSpot
from intake.licences.service import LicenceService
from intake.notices import NoticeSigner

__all__ = ["notice_signer"]


def notice_signer(licences: LicenceService) -> NoticeSigner:
    """Sign notices like licences: with the seal of the authority named like the matter's department,
    else the first configured one. The signer is looked up when a notice is signed, not before."""

    def sign(pdf: bytes, spots: Sequence[SealSpot], department: str = "") -> bytes:
        authority = licences.config.authority_named(department)
        signer = licences.signer_for(authority.code)
        for index, spot in enumerate(spots, start=1):
            box = (spot.x, spot.y, spot.x + spot.width, spot.y + spot.height)
            pdf = sign_pdf(pdf, signer, field_name=f"Seal{index}", seal_box=box, page=spot.page - 1,
                           reason="告知书电子印章")
        return pdf

    return sign
