"""Check characters of the identifiers the service reads and issues (DOMAIN.md §1).

Pure functions over already well-formed input: each takes the body without its check character
and returns the check character; they raise ``ValueError`` for a character outside the standard's
alphabet. Callers (``ocr``, ``certgen``) decide what a mismatch means and raise their own errors.
"""

from __future__ import annotations

import re

__all__ = [
    "USCC_CHARSET", "id_card_check_char", "id_card_ok", "luhn_check_digit", "mod37_36_check",
    "org_code_check_char", "s10_check_digit", "uscc_check_char", "uscc_ok",
]

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
"""GB 32100: the 31 characters of a 统一社会信用代码 (no I, O, S, V, Z)."""
_USCC_VALUE = {c: i for i, c in enumerate(USCC_CHARSET)}
_USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ID_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
_ID_CHECK = "10X98765432"
_S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)
_MOD36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ID_CARD = re.compile(r"^\d{17}[\dX]$")


def _value(table: dict[str, int], char: str, standard: str) -> int:
    try:
        return table[char]
    except KeyError:
        raise ValueError(f"character {char!r} is not allowed by {standard}") from None


def uscc_check_char(body17: str) -> str:
    """GB 32100 check character of the first 17 characters of a USCC (weights 3^i mod 31)."""
    total = sum(_value(_USCC_VALUE, c, "GB 32100") * w for c, w in zip(body17, _USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def uscc_ok(code: str) -> bool:
    """An 18-character USCC in the GB 32100 charset whose check character matches."""
    return (len(code) == 18 and all(c in _USCC_VALUE for c in code)
            and uscc_check_char(code[:17]) == code[17])


def org_code_check_char(body8: str) -> str:
    """GB 11714 check character of the 8-character body of an organisation code."""
    total = sum(int(c, 36) * w for c, w in zip(body8, _ORG_WEIGHTS, strict=True))
    c9 = 11 - total % 11
    return "X" if c9 == 10 else "0" if c9 == 11 else str(c9)


def id_card_check_char(body17: str) -> str:
    """GB 11643 check character of the first 17 digits of a resident ID number."""
    total = sum(int(c) * w for c, w in zip(body17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def id_card_ok(code: str) -> bool:
    """17 digits and a GB 11643 check character that matches."""
    return bool(_ID_CARD.match(code)) and id_card_check_char(code[:17]) == code[17]


def mod37_36_check(text: str) -> str:
    """ISO 7064 MOD 37,36 check character of ``text`` (``0-9A-Z``; GB/T 36904 证照标识)."""
    product = 36
    for char in text.upper():
        value = _MOD36.find(char)
        if value < 0:
            raise ValueError(f"character {char!r} is not in 0-9A-Z")
        total = (product + value) % 36 or 36
        product = (total * 2) % 37
    return _MOD36[(37 - product) % 36]


def s10_check_digit(serial8: str) -> str:
    """UPU S10 check digit of an 8-digit serial (weights 8 6 4 2 3 5 9 7; 10 -> 0, 11 -> 5)."""
    total = sum(int(d) * w for d, w in zip(serial8, _S10_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "0", 11: "5"}.get(check, str(check))


def luhn_check_digit(digits: str) -> str:
    """Luhn (mod 10) check digit."""
    total = 0
    for i, char in enumerate(reversed(digits)):
        value = int(char)
        if i % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return str((10 - total % 10) % 10)
