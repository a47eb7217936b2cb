"""GB/T 36904 licence identifiers (ISO 7064 MOD 37,36) and licence number formats."""

from __future__ import annotations

import pytest

from certgen.identifiers import (
    InvalidIdentifierError, InvalidNumberFormatError, NumberFormat, food_business_number, is_valid_identifier,
    luhn_check_digit, make_identifier, mod37_36_check, parse_identifier, register_check_digit,
)

PUBLISHED = [
    "1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.002.0",
    "1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U",
]


@pytest.mark.parametrize("identifier", PUBLISHED)
def test_published_identifiers_check_out(identifier: str) -> None:
    parsed = parse_identifier(identifier)
    assert str(parsed) == identifier
    assert make_identifier(parsed.type_code, parsed.issuer_code, parsed.serial, parsed.version) == identifier


@pytest.mark.parametrize("identifier", [
    "1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.002.1",  # wrong check
    "1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.2.0",  # version not 3 digits
    "1.2.156.3005.3.11100000000013338W009.11330105002500287C.2025052201.002.0",  # wrong root
    "1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.002",  # no check
    "1.2.156.3005.2.1110000000001333-W009.11330105002500287C.2025052201.002.0",  # bad character
])
def test_malformed_identifiers_are_refused(identifier: str) -> None:
    assert not is_valid_identifier(identifier)
    with pytest.raises(InvalidIdentifierError):
        parse_identifier(identifier)


def test_every_single_character_change_is_detected() -> None:
    body = "11100000000013338W00911330105002500287C2025052201002"
    check = mod37_36_check(body)
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    for i, char in enumerate(body):
        for other in alphabet:
            if other != char:
                assert mod37_36_check(body[:i] + other + body[i + 1:]) != check


def test_adjacent_transpositions_are_detected() -> None:
    body = "11100000000013338W00911330105002500287C2025052201002"
    check = mod37_36_check(body)
    for i in range(len(body) - 1):
        if body[i] != body[i + 1]:
            swapped = body[:i] + body[i + 1] + body[i] + body[i + 2:]
            assert mod37_36_check(swapped) != check


def test_food_business_number_is_jy_plus_14_digits_with_pluggable_check() -> None:
    number = food_business_number("2", "330302", 15)
    assert number.startswith("JY2330302000015") and len(number) == 16 and number[2:].isdigit()
    assert number[-1] == luhn_check_digit("2330302000015")
    register_check_digit("always7", lambda digits: "7")
    assert food_business_number("2", "330302", 15, check="always7").endswith("7")
    with pytest.raises(InvalidNumberFormatError):
        food_business_number("22", "330302", 1)


def test_number_format_refuses_sequences_that_do_not_fit() -> None:
    fmt = NumberFormat("{province_abbr}DA{area}{seq}", 5)
    assert fmt.format({"province_abbr": "琼", "area": "8980"}, 1) == "琼DA898000001"
    with pytest.raises(InvalidNumberFormatError):
        fmt.format({"province_abbr": "琼", "area": "8980"}, 100000)
    with pytest.raises(InvalidNumberFormatError):
        fmt.format({"province_abbr": "琼"}, 1)
