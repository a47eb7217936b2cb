"""Check characters of Chinese identifiers: USCC, organisation code, resident ID card number.

The check-character algorithms live in ``standards.checkdigits`` (shared with ``certgen``):

* 统一社会信用代码 (GB 32100-2015): 18 characters over ``0123456789ABCDEFGHJKLMNPQRTUWXY``;
  weight of position i is 3^i mod 31; check = charset[(31 - sum mod 31) mod 31].
* 组织机构代码 (GB 11714): 8 characters 0-9/A-Z (A = 10) weighted 3 7 9 10 5 8 4 2;
  C9 = 11 - (sum mod 11), 10 -> ``X``, 11 -> ``0``.
* 居民身份证号码 (GB 11643-1999): 17 digits, weight 2^(17-i) mod 11, check =
  ``10X98765432``[sum mod 11]; digits 7-14 are the birth date, digit 17 odd means male.

Every check returns an :class:`IdentifierCheck`; nothing here raises on bad input. A failed check
never rejects outright: some registered codes fail it, so the caller flags it for the clerk.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Literal

from ocr.normalise import normalise_id_number, normalise_uscc
from standards.checkdigits import USCC_CHARSET, id_card_check_char, org_code_check_char, uscc_check_char

__all__ = [
    "IdentifierCheck",
    "USCC_CHARSET",
    "id_card_check_char",
    "org_code_check_char",
    "uscc_check_char",
    "check_as_read",
    "check_id_card",
    "check_org_code",
    "check_uscc",
    "classify_owner_code",
    "mask_id_card",
    "normalise_code",
]

_ORG_BODY = re.compile(r"^[0-9A-Z]{8}$")

#: Meaning of the first two characters of a USCC (registration department + category).
USCC_CATEGORIES: dict[str, str] = {
    "11": "government_body",  # 机关
    "12": "public_institution",  # 事业单位
    "13": "central_staffing_other",
    "19": "central_staffing_other",
    "51": "social_organisation",  # 社会团体
    "52": "private_non_enterprise",  # 民办非企业单位
    "53": "foundation",  # 基金会
    "59": "civil_affairs_other",
    "91": "enterprise",  # 企业
    "92": "individual_business",  # 个体工商户
    "93": "farmers_cooperative",  # 农民专业合作社
}

Kind = Literal["uscc", "org_code", "id_card"]


@dataclass(frozen=True)
class IdentifierCheck:
    """The outcome of checking one identifier.

    ``value`` is the normalised form (half-width, upper-case, no spaces or hyphens). ``valid`` is
    True only when the format *and* the check character are right. ``reason`` is a stable
    snake_case code when not valid: ``empty``, ``bad_length``, ``bad_characters``,
    ``check_mismatch``, ``bad_birth_date``, ``bad_region``, ``legacy_15_digit``.
    """

    kind: Kind
    value: str
    valid: bool
    reason: str | None = None
    expected_check: str | None = None
    #: ID card only: birth date and sex read from the number (when the digits allow it).
    birth_date: _dt.date | None = None
    sex: Literal["male", "female"] | None = None
    #: USCC only: category from the first two characters (see ``USCC_CATEGORIES``).
    category: str | None = None
    #: USCC only: whether the embedded organisation code (positions 9-17) passes GB 11714.
    org_code_valid: bool | None = None
    details: dict[str, object] = field(default_factory=dict, compare=False, hash=False)

    def to_dict(self) -> dict[str, object]:
        """A JSON-friendly view (dates as ISO strings)."""
        return {
            "kind": self.kind,
            "value": self.value,
            "valid": self.valid,
            "reason": self.reason,
            "expected_check": self.expected_check,
            "birth_date": self.birth_date.isoformat() if self.birth_date else None,
            "sex": self.sex,
            "category": self.category,
            "org_code_valid": self.org_code_valid,
        }


def normalise_code(text: str) -> str:
    """Half-width, upper-case, without whitespace, hyphens or dots (``９１ 3501-0x`` -> ``9135010X``)."""
    folded = unicodedata.normalize("NFKC", text or "")
    return re.sub(r"[\s\-‐‑–—_.·]", "", folded).upper()


def check_uscc(code: str) -> IdentifierCheck:
    """Check a 统一社会信用代码 (format, charset and check character)."""
    value = normalise_code(code)
    if not value:
        return IdentifierCheck("uscc", value, False, "empty")
    if len(value) != 18:
        return IdentifierCheck("uscc", value, False, "bad_length")
    category = USCC_CATEGORIES.get(value[:2])
    if any(c not in USCC_CHARSET for c in value[:17]):
        return IdentifierCheck("uscc", value, False, "bad_characters", category=category)
    org = check_org_code(value[8:17])
    expected = uscc_check_char(value[:17])  # a last character outside the charset is a mismatch
    ok = expected == value[17]
    return IdentifierCheck(
        "uscc",
        value,
        ok,
        None if ok else "check_mismatch",
        expected_check=expected,
        category=category,
        org_code_valid=org.valid,
    )


def check_org_code(code: str) -> IdentifierCheck:
    """Check a 9-character 组织机构代码 (GB 11714); ``12345678-9`` style hyphens are accepted."""
    value = normalise_code(code)
    if not value:
        return IdentifierCheck("org_code", value, False, "empty")
    if len(value) != 9:
        return IdentifierCheck("org_code", value, False, "bad_length")
    if not _ORG_BODY.match(value[:8]) or not re.match(r"[0-9X]$", value[8]):
        return IdentifierCheck("org_code", value, False, "bad_characters")
    expected = org_code_check_char(value[:8])
    ok = expected == value[8]
    return IdentifierCheck(
        "org_code", value, ok, None if ok else "check_mismatch", expected_check=expected
    )


def _birth_date(digits8: str) -> _dt.date | None:
    try:
        born = _dt.date(int(digits8[:4]), int(digits8[4:6]), int(digits8[6:8]))
    except ValueError:
        return None
    if born.year < 1850 or born > _dt.date.today():
        return None
    return born


def check_id_card(number: str) -> IdentifierCheck:
    """Check a 居民身份证号码 (18 characters); report birth date and sex when readable.

    A 15-digit first-generation number is recognised but never ``valid`` (it has no check
    character and such cards expired in 2013): reason ``legacy_15_digit``.
    """
    value = normalise_code(number)
    if not value:
        return IdentifierCheck("id_card", value, False, "empty")
    if len(value) == 15 and value.isdigit():
        born = _birth_date("19" + value[6:12])
        sex = None if born is None else ("male" if int(value[14]) % 2 else "female")
        return IdentifierCheck("id_card", value, False, "legacy_15_digit", birth_date=born, sex=sex)
    if len(value) != 18:
        return IdentifierCheck("id_card", value, False, "bad_length")
    if not value[:17].isdigit() or not re.match(r"[0-9X]$", value[17]):
        return IdentifierCheck("id_card", value, False, "bad_characters")
    born = _birth_date(value[6:14])
    sex: Literal["male", "female"] = "male" if int(value[16]) % 2 else "female"
    expected = id_card_check_char(value[:17])
    reason: str | None = None
    if value[0] not in "12345678":
        reason = "bad_region"
    elif born is None:
        reason = "bad_birth_date"
    elif expected != value[17]:
        reason = "check_mismatch"
    return IdentifierCheck(
        "id_card",
        value,
        reason is None,
        reason,
        expected_check=expected,
        birth_date=born,
        sex=sex,
    )


def classify_owner_code(code: str) -> Literal["uscc", "id_card"] | None:
    """Which kind of owner code this looks like, by format (a failed check still classifies).

    18 digits (the last may be ``X``) with a plausible birth date are an ID card number, unless only
    the USCC check passes; other 18-character strings over the USCC charset are a USCC. Anything
    else is ``None``.
    """
    value = normalise_code(code)
    if len(value) != 18:
        return None
    looks_id = value[:17].isdigit() and value[17] in "0123456789X"
    looks_uscc = all(c in USCC_CHARSET for c in value)
    if looks_id and looks_uscc:
        id_ok = check_id_card(value)
        if id_ok.valid:
            return "id_card"
        if check_uscc(value).valid:
            return "uscc"
        return "id_card" if id_ok.birth_date is not None else "uscc"
    if looks_id:
        return "id_card"
    if looks_uscc:
        return "uscc"
    return None


def check_as_read(kind: Literal["uscc", "id_card"], raw: str) -> IdentifierCheck:
    """An identifier as OCR read it: only characters impossible in the code are mapped (O→0 in a
    USCC), it is never repaired to pass, then its check character is verified."""
    if kind == "uscc":
        return check_uscc(normalise_uscc(raw))
    return check_id_card(normalise_id_number(raw))


MaskStyle = Literal["licence", "public", "birth"]


def mask_id_card(number: str, style: MaskStyle = "public") -> str:
    """Mask an ID card number for display.

    * ``licence``: digits 11-14 (birth month and day) as ``****``, as printed on licences of
      individual businesses: ``440524188001010014`` -> ``4405241880****0014``.
    * ``birth``: the whole birth date (digits 7-14) masked: ``440524********0014``.
    * ``public`` (default): only the first 3 and last 4 characters shown: ``440***********0014``.

    Input of any other length is masked except its last 4 characters (never echoed in full).
    """
    value = normalise_code(number)
    n = len(value)
    if n != 18:
        keep = 4 if n > 6 else 0
        return "*" * (n - keep) + value[n - keep :]
    if style == "licence":
        return value[:10] + "****" + value[14:]
    if style == "birth":
        return value[:6] + "*" * 8 + value[14:]
    if style == "public":
        return value[:3] + "*" * 11 + value[14:]
    raise ValueError(f"unknown mask style: {style!r}")
