"""Waybill numbers: UPU S10 item numbers with their check digit, and configurable carrier schemes.

S10 (EMS): 2 letters + 8-digit serial + 1 check digit + 2-letter country, e.g. ``EA123456785CN``.
Weights 8 6 4 2 3 5 9 7 over the serial; c = 11 - (sum mod 11); 10 -> 0, 11 -> 5.

Domestic carriers often use plain digit numbers without a published check rule; ``DigitsScheme``
covers those. A scheme only formats and validates; *allocation* (never reusing a number) is the
delivery workflow's job, which keeps a counter per scheme in its database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from certgen.errors import (
    WaybillCheckDigitError, WaybillError, WaybillFormatError, WaybillSerialExhaustedError,
)
from standards import checkdigits

__all__ = [
    "DigitsScheme",
    "S10Scheme",
    "WaybillCheckDigitError",
    "WaybillError",
    "WaybillFormatError",
    "WaybillScheme",
    "WaybillSerialExhaustedError",
    "parse_scheme",
    "s10_check_digit",
]

_S10 = re.compile(r"^([A-Z]{2})(\d{8})(\d)([A-Z]{2})$")


def s10_check_digit(serial: str) -> str:
    """The S10 check digit of an 8-digit serial: ``s10_check_digit("12345678") == "5"``."""
    if not re.fullmatch(r"\d{8}", serial):
        raise WaybillFormatError(f"S10 serial must be 8 digits, got {serial!r}")
    return checkdigits.s10_check_digit(serial)


class WaybillScheme(Protocol):
    """A carrier's numbering: turns a serial into a number and checks numbers it is given."""

    @property
    def key(self) -> str:
        """Stable identifier of the scheme (the allocation counter is kept per key)."""
        ...

    @property
    def max_serial(self) -> int: ...

    def format(self, serial: int) -> str: ...

    def validate(self, number: str) -> str:
        """Return the normalised number or raise ``WaybillFormatError``/``WaybillCheckDigitError``."""
        ...


@dataclass(frozen=True)
class S10Scheme:
    """UPU S10 numbers with a fixed service indicator (``prefix``) and country code."""

    prefix: str = "EA"
    country: str = "CN"

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[A-Z]{2}", self.prefix) or not re.fullmatch(r"[A-Z]{2}", self.country):
            raise WaybillFormatError(
                f"S10 prefix and country must be two capital letters, got {self.prefix!r}/{self.country!r}"
            )

    @property
    def key(self) -> str:
        return f"s10:{self.prefix}:{self.country}"

    @property
    def max_serial(self) -> int:
        return 99_999_999

    def format(self, serial: int) -> str:
        if not 0 < serial <= self.max_serial:
            raise WaybillSerialExhaustedError(f"serial {serial} is outside 1..{self.max_serial}")
        digits = f"{serial:08d}"
        return f"{self.prefix}{digits}{s10_check_digit(digits)}{self.country}"

    def validate(self, number: str) -> str:
        text = number.strip().upper().replace(" ", "")
        match = _S10.fullmatch(text)
        if not match:
            raise WaybillFormatError(
                f"{number!r} is not an S10 number (2 letters, 9 digits, 2 letters)",
                message_zh="运单号格式不正确（应为 2 位字母 + 9 位数字 + 2 位字母）",
            )
        if s10_check_digit(match.group(2)) != match.group(3):
            raise WaybillCheckDigitError(f"{number!r} has a wrong S10 check digit")
        return text


@dataclass(frozen=True)
class DigitsScheme:
    """A carrier's plain numeric numbering: ``prefix`` followed by a zero-padded serial."""

    length: int = 13
    prefix: str = ""

    def __post_init__(self) -> None:
        if not self.prefix.isdigit() and self.prefix:
            raise WaybillFormatError(f"digit scheme prefix must be digits, got {self.prefix!r}")
        if not 6 <= self.length <= 30 or len(self.prefix) >= self.length:
            raise WaybillFormatError(f"digit scheme length {self.length} does not fit prefix {self.prefix!r}")

    @property
    def key(self) -> str:
        return f"digits:{self.length}:{self.prefix}"

    @property
    def max_serial(self) -> int:
        return 10 ** (self.length - len(self.prefix)) - 1

    def format(self, serial: int) -> str:
        if not 0 < serial <= self.max_serial:
            raise WaybillSerialExhaustedError(f"serial {serial} is outside 1..{self.max_serial}")
        return f"{self.prefix}{serial:0{self.length - len(self.prefix)}d}"

    def validate(self, number: str) -> str:
        text = number.strip().replace(" ", "")
        if len(text) != self.length or not text.isdigit() or not text.startswith(self.prefix):
            raise WaybillFormatError(
                f"{number!r} is not a {self.length}-digit number starting with {self.prefix!r}"
            )
        return text


def parse_scheme(spec: str) -> S10Scheme | DigitsScheme:
    """Build a scheme from its configuration string.

    ``s10:EA:CN`` (S10 with prefix EA and country CN) or ``digits:13:98`` (13 digits starting 98).
    """
    parts = spec.strip().split(":")
    kind = parts[0].lower()
    try:
        if kind == "s10" and len(parts) <= 3:
            return S10Scheme(*(p.upper() for p in parts[1:]))
        if kind == "digits" and 2 <= len(parts) <= 3:
            return DigitsScheme(int(parts[1]), parts[2] if len(parts) == 3 else "")
    except ValueError as exc:
        raise WaybillFormatError(f"bad waybill scheme {spec!r}: {exc}") from exc
    raise WaybillFormatError(f"bad waybill scheme {spec!r}; use 's10:EA:CN' or 'digits:13:98'")
