"""Masking of personal data printed on courier labels.

A privacy label (隐私面单) shows only what a courier must see: the family name and the first three
and last four digits of a mobile number — and the full address, which the courier must find.
:func:`mask_address` (down to the district) is for other places that must not show an address,
never for the label.
"""

from __future__ import annotations

import re

MASK = "*"

_PHONE_KEEP = re.compile(r"[0-9+]")
_ADDRESS = re.compile(
    r"^(?P<province>[^\d省市区]{2,7}(?:省|自治区|特别行政区))?"
    r"(?P<city>[^\d省市]{1,9}?(?:市|自治州|地区|盟))?"
    r"(?P<district>[^\d市区县旗路街号]{1,8}?(?:区|县|市|旗))?"
)


def mask_name(name: str) -> str:
    """Mask a recipient's name: ``王小明`` -> ``王**``; an organisation keeps its head and tail.

    Personal names (up to 4 characters) keep only the family-name character. Longer names are
    taken to be organisations: the first two and last two characters stay (``温州****公司``).
    """
    text = "".join(name.split())
    if len(text) <= 1:
        return text
    if len(text) <= 4:
        return text[0] + MASK * (len(text) - 1)
    return text[:2] + MASK * 4 + text[-2:]


def mask_phone(phone: str) -> str:
    """Mask a phone number: ``13155551907`` -> ``131****1907``; landlines keep area code and tail.

    Only digits survive (a leading ``+86``/``86`` country code is dropped); whatever the input,
    at most the first three and last four digits are printed.
    """
    digits = re.sub(r"\D", "", phone)
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if len(digits) < 7:
        return MASK * max(len(digits), 4)
    if digits.startswith("0"):  # landline: area code (3 or 4 digits) + number
        head = digits[:3] if digits[1] in "12" else digits[:4]  # 010, 02x are 3 digits
        return f"{head}-****{digits[-4:]}"
    return f"{digits[:3]}****{digits[-4:]}"


def address_district(address: str) -> str:
    """The province/city/district head of a Chinese address, or ``""`` when none is found."""
    text = "".join(address.split())
    match = _ADDRESS.match(text)
    if not match:
        return ""
    province, city, district = match.group("province"), match.group("city"), match.group("district")
    if not city and not province:
        return ""
    return "".join(part for part in (province, city, district) if part)


def mask_address(address: str) -> str:
    """Shorten an address to its district: ``浙江省温州市鹿城区五马街道解放街123号`` -> ``浙江省温州市鹿城区****``.

    When no administrative head can be recognised, at most the first four characters are kept,
    and never a digit (house numbers are the part that must not leak).
    """
    text = "".join(address.split())
    head = address_district(text)
    if not head:
        head = re.match(r"[^\d]{0,4}", text).group(0)  # type: ignore[union-attr]
    if len(head) >= len(text):
        return head
    return head + MASK * 4
