"""The bottom package's check characters against the published vectors (DOMAIN.md §1)."""

from __future__ import annotations

import pytest

from standards.checkdigits import (
    id_card_check_char, id_card_ok, mod37_36_check, org_code_check_char, s10_check_digit, uscc_check_char, uscc_ok,
)

VALID_USCC = ["91350100M000100Y43", "9135052155323005XL", "91430111MA4L41YT1U", "91350200776049653A",
              "91440101MA5CJQ4N59", "11330105002500287C", "11100000000013338W", "91610800064834709T"]


@pytest.mark.parametrize("code", VALID_USCC)
def test_published_credit_codes_pass_gb_32100_and_their_organisation_code_gb_11714(code: str) -> None:
    assert uscc_check_char(code[:17]) == code[17] and uscc_ok(code)
    assert org_code_check_char(code[8:16]) == code[16]


def test_a_wrong_check_character_or_a_foreign_character_fails() -> None:
    assert not uscc_ok("91350100M000100Y4Z")
    assert not uscc_ok("91350100M000100Y4")  # too short
    assert not uscc_ok("9135010OM000100Y43")  # O is not in the charset
    with pytest.raises(ValueError):
        uscc_check_char("9135010OM000100Y4")


@pytest.mark.parametrize("number", ["11010519491231002X", "440524188001010014", "440882198503293017"])
def test_published_id_numbers_pass_gb_11643(number: str) -> None:
    assert id_card_check_char(number[:17]) == number[17] and id_card_ok(number)


def test_a_wrong_id_check_fails() -> None:
    assert not id_card_ok("110105194912310021")
    assert not id_card_ok("11010519491231002")


@pytest.mark.parametrize("identifier", [
    "1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.002.0",
    "1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U",
])
def test_published_licence_identifiers_pass_mod_37_36(identifier: str) -> None:
    body = identifier.removeprefix("1.2.156.3005.2.").rsplit(".", 1)[0].replace(".", "")
    assert mod37_36_check(body) == identifier[-1]


def test_mod_37_36_refuses_characters_outside_its_alphabet() -> None:
    with pytest.raises(ValueError):
        mod37_36_check("ABC-1")


@pytest.mark.parametrize(("number", "valid"), [("RB123456785GB", True), ("AA473124829GB", True),
                                               ("RB123456786US", False)])
def test_upu_s10_item_numbers(number: str, valid: bool) -> None:
    assert (s10_check_digit(number[2:10]) == number[10]) is valid
