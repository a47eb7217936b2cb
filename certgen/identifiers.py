"""Licence identifiers (证照标识, GB/T 36904) and licence numbers in each licence's own format.

The identifier is ``1.2.156.3005.2.{type code}.{issuer USCC}.{serial}.{version:03d}.{check}``;
the check character is ISO 7064 MOD 37,36 (hybrid system, alphabet ``0-9A-Z``) computed over the
characters after the e-licence root, dots removed (verified against published identifiers).

Licence numbers (许可证编号) differ per licence; the formats are data-driven (``NumberFormat``) and
the check digit of 食品经营许可证 numbers is pluggable because no official algorithm was found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from certgen.errors import InvalidIdentifierError, InvalidNumberFormatError
from standards import checkdigits

ELICENCE_ROOT = "1.2.156.3005.2"
_PART = re.compile(r"^[0-9A-Z]+$")


def mod37_36_check(text: str) -> str:
    """ISO 7064 MOD 37,36 check character of ``text`` (characters ``0-9A-Z``)."""
    try:
        return checkdigits.mod37_36_check(text)
    except ValueError as exc:
        raise InvalidIdentifierError(str(exc)) from None


@dataclass(frozen=True)
class LicenceIdentifier:
    """A parsed GB/T 36904 licence identifier."""

    type_code: str
    issuer_code: str
    serial: str
    version: int

    @property
    def check(self) -> str:
        return mod37_36_check(f"{self.type_code}{self.issuer_code}{self.serial}{self.version:03d}")

    def __str__(self) -> str:
        return f"{ELICENCE_ROOT}.{self.type_code}.{self.issuer_code}.{self.serial}.{self.version:03d}.{self.check}"


def make_identifier(type_code: str, issuer_code: str, serial: str, version: int = 1) -> str:
    """Build the identifier string, validating each part."""
    for name, part in (("type_code", type_code), ("issuer_code", issuer_code), ("serial", serial)):
        if not part or not _PART.match(part):
            raise InvalidIdentifierError(f"{name} {part!r} must be non-empty 0-9A-Z")
    if not 0 < version < 1000:
        raise InvalidIdentifierError(f"version {version} must be 1..999")
    return str(LicenceIdentifier(type_code, issuer_code, serial, version))


def parse_identifier(text: str) -> LicenceIdentifier:
    """Parse and check an identifier; raises ``InvalidIdentifierError`` if anything is wrong."""
    value = text.strip().upper()
    prefix = ELICENCE_ROOT + "."
    if not value.startswith(prefix):
        raise InvalidIdentifierError(f"identifier must start with {prefix}")
    parts = value[len(prefix):].split(".")
    if len(parts) != 5 or not all(_PART.match(p) for p in parts):
        raise InvalidIdentifierError("identifier must have type.issuer.serial.version.check")
    type_code, issuer, serial, version, check = parts
    if len(version) != 3 or not version.isdigit() or version == "000":
        raise InvalidIdentifierError("version must be three digits 001..999")
    ident = LicenceIdentifier(type_code, issuer, serial, int(version))
    if len(check) != 1 or ident.check != check:
        raise InvalidIdentifierError(f"check character should be {ident.check}, not {check}")
    return ident


def is_valid_identifier(text: str) -> bool:
    try:
        parse_identifier(text)
    except InvalidIdentifierError:
        return False
    return True


# --- licence numbers -------------------------------------------------------------------------

CheckDigit = Callable[[str], str]
"""A check-digit rule: digits before the check -> one check character."""


def luhn_check_digit(digits: str) -> str:
    """Luhn (mod 10) check digit: the placeholder rule for JY numbers until an official one is known."""
    return checkdigits.luhn_check_digit(digits)


CHECK_DIGITS: dict[str, CheckDigit] = {"luhn": luhn_check_digit}
"""Registered check-digit rules by name; templates pick one with ``number.check``."""


def register_check_digit(name: str, rule: CheckDigit) -> None:
    CHECK_DIGITS[name] = rule


@dataclass(frozen=True)
class NumberFormat:
    """How a licence number is formed from its parts and a per-issuer sequence number.

    ``pattern`` is a ``str.format`` pattern over the template's number fields plus ``seq``
    (the sequence, zero-padded to ``seq_digits``) and ``year``. If ``check`` names a rule,
    its check character is appended to the digits produced by the pattern (``check_over``
    selects which: ``digits`` = all digits of the number so far).
    """

    pattern: str
    seq_digits: int
    check: str | None = None

    def format(self, parts: dict[str, str], seq: int) -> str:
        if seq < 1 or seq >= 10**self.seq_digits:
            raise InvalidNumberFormatError(f"sequence {seq} does not fit {self.seq_digits} digits")
        try:
            body = self.pattern.format(**parts, seq=f"{seq:0{self.seq_digits}d}")
        except (KeyError, IndexError, ValueError) as exc:
            raise InvalidNumberFormatError(f"number part missing: {exc}") from exc
        if self.check:
            rule = CHECK_DIGITS.get(self.check)
            if rule is None:
                raise InvalidNumberFormatError(f"unknown check-digit rule {self.check!r}")
            body += rule("".join(c for c in body if c.isdigit()))
        return body


def food_business_number(business_type: str, region6: str, seq: int, check: str = "luhn") -> str:
    """``JY`` + 1 business-type digit + 6-digit region + 6-digit sequence + 1 check digit."""
    if len(business_type) != 1 or not business_type.isdigit():
        raise InvalidNumberFormatError("food business type must be one digit")
    if len(region6) != 6 or not region6.isdigit():
        raise InvalidNumberFormatError("region code must be six digits")
    return NumberFormat("JY{business_type}{region}{seq}", 6, check).format(
        {"business_type": business_type, "region": region6}, seq
    )
