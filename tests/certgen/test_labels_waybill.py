"""Waybill numbers: S10 check digits (UPU vectors) and configurable carrier numbering."""

from __future__ import annotations

import pytest

from certgen.waybill import (
    DigitsScheme,
    S10Scheme,
    WaybillCheckDigitError,
    WaybillFormatError,
    WaybillSerialExhaustedError,
    parse_scheme,
    s10_check_digit,
)


@pytest.mark.parametrize("number", ["RB123456785GB", "AA473124829GB", "EA000000014CN", " ea 123456785 cn "])
def test_valid_s10_numbers(number):
    assert S10Scheme().validate(number) == number.replace(" ", "").upper()


def test_wrong_check_digit_is_its_own_error():
    with pytest.raises(WaybillCheckDigitError):
        S10Scheme().validate("RB123456786US")


@pytest.mark.parametrize("number", ["RB12345678GB", "R1123456785GB", "RB123456785G", "", "1234567890123"])
def test_malformed_s10_numbers(number):
    with pytest.raises(WaybillFormatError):
        S10Scheme().validate(number)


def test_check_digit_special_cases():
    # sum mod 11 == 1 -> 10 -> "0"; sum mod 11 == 0 -> 11 -> "5"
    assert s10_check_digit("00000000") == "5"
    assert s10_check_digit("00060000") == "0"  # 6*2 = 12, 12 mod 11 = 1 -> 10
    assert s10_check_digit("12345678") == "5"  # RB123456785GB
    assert s10_check_digit("47312482") == "9"  # AA473124829GB
    with pytest.raises(WaybillFormatError):
        s10_check_digit("1234567")


def test_formatted_numbers_validate_and_differ():
    scheme = parse_scheme("s10:EA:CN")
    numbers = [scheme.format(n) for n in range(1, 200)]
    assert len(set(numbers)) == len(numbers)
    assert all(scheme.validate(n) == n for n in numbers)
    assert numbers[0] == "EA000000014CN"
    with pytest.raises(WaybillSerialExhaustedError):
        scheme.format(100_000_000)


def test_digit_scheme_for_domestic_carriers():
    scheme = parse_scheme("digits:13:98")
    assert scheme == DigitsScheme(13, "98")
    assert scheme.format(42) == "9800000000042"
    assert scheme.validate("9800000000042") == "9800000000042"
    with pytest.raises(WaybillFormatError):
        scheme.validate("9900000000042")
    assert scheme.key != parse_scheme("s10:EA:CN").key


@pytest.mark.parametrize("spec", ["", "s10:E1:CN", "digits:x", "digits:4:12345", "ups"])
def test_bad_scheme_configuration(spec):
    with pytest.raises(WaybillFormatError):
        parse_scheme(spec)
