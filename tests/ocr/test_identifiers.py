"""Identifier checks: every vector of DOMAIN.md §1 plus our own edge cases."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from ocr import check_id_card, check_org_code, check_uscc, classify_owner_code, mask_id_card
from ocr.identifiers import USCC_CHARSET, id_card_check_char, uscc_check_char

VALID_USCC = [
    "91350100M000100Y43",
    "9135052155323005XL",
    "91430111MA4L41YT1U",
    "91350200776049653A",
    "91440101MA5CJQ4N59",
    "11330105002500287C",
    "11100000000013338W",
    "91610800064834709T",
]
VALID_ID = ["11010519491231002X", "440524188001010014", "440882198503293017"]


@pytest.mark.parametrize("code", VALID_USCC)
def test_domain_uscc_vectors_are_valid(code: str) -> None:
    result = check_uscc(code)
    assert result.valid and result.reason is None
    assert result.value == code and result.kind == "uscc"
    assert classify_owner_code(code) == "uscc"


def test_uscc_with_wrong_check_character_is_invalid_and_says_what_was_expected() -> None:
    result = check_uscc("91350100M000100Y4Z")
    assert not result.valid
    assert result.reason == "check_mismatch"
    assert result.expected_check == "3"


def test_registered_code_failing_the_check_is_flagged_not_an_exception() -> None:
    result = check_uscc("91350211M0000XUF46")
    assert not result.valid and result.reason == "check_mismatch"
    assert classify_owner_code("91350211M0000XUF46") == "uscc"  # still classified by format


def test_uscc_is_normalised_from_full_width_lower_case_and_spaces() -> None:
    result = check_uscc(" ９１３５０２００ 7760-49653a ")
    assert result.value == "91350200776049653A" and result.valid


@pytest.mark.parametrize(
    ("code", "reason"),
    [("", "empty"), ("9135020077604965", "bad_length"), ("91350200776049653AB", "bad_length"),
     ("9135020077604I653A", "bad_characters"), ("9135020O776049653A", "bad_characters")],
)
def test_uscc_format_errors(code: str, reason: str) -> None:
    result = check_uscc(code)
    assert not result.valid and result.reason == reason


def test_uscc_category_from_prefix() -> None:
    assert check_uscc("11100000000013338W").category == "government_body"
    assert check_uscc("91350200776049653A").category == "enterprise"
    body = "51330100" + "MJ8800001"
    code = body + uscc_check_char(body)
    result = check_uscc(code)
    assert result.valid and result.category == "social_organisation"


def test_every_single_character_substitution_of_a_uscc_is_caught() -> None:
    for code in VALID_USCC:
        for pos in range(18):
            for ch in USCC_CHARSET:
                if ch == code[pos]:
                    continue
                wrong = code[:pos] + ch + code[pos + 1 :]
                assert not check_uscc(wrong).valid, wrong


def test_adjacent_transpositions_of_id_numbers_are_caught() -> None:
    for number in VALID_ID:
        for pos in range(17):
            swapped = number[:pos] + number[pos + 1] + number[pos] + number[pos + 2 :]
            if swapped != number:
                assert not check_id_card(swapped).valid, swapped


def test_org_code_vectors_embedded_in_uscc() -> None:
    assert check_org_code("776049653").valid
    assert check_org_code("77604965-3").valid  # printed with a hyphen
    assert check_org_code("D2143569-X").valid
    bad = check_org_code("77604965-4")
    assert not bad.valid and bad.reason == "check_mismatch" and bad.expected_check == "3"
    assert check_org_code("7760496").reason == "bad_length"
    assert check_org_code("77604965Y").reason == "bad_characters"
    assert check_uscc("91350200776049653A").org_code_valid is True


@pytest.mark.parametrize(
    ("number", "born", "sex"),
    [("11010519491231002X", dt.date(1949, 12, 31), "female"),
     ("440524188001010014", dt.date(1880, 1, 1), "male"),
     ("440882198503293017", dt.date(1985, 3, 29), "male")],
)
def test_domain_id_card_vectors(number: str, born: dt.date, sex: str) -> None:
    result = check_id_card(number)
    assert result.valid and result.birth_date == born and result.sex == sex
    assert classify_owner_code(number) == "id_card"


def test_id_card_with_wrong_check_is_invalid_but_still_reads_birth_and_sex() -> None:
    result = check_id_card("110105194912310021")
    assert not result.valid and result.reason == "check_mismatch"
    assert result.expected_check == "X"
    assert result.birth_date == dt.date(1949, 12, 31) and result.sex == "female"
    assert classify_owner_code("110105194912310021") == "id_card"


def test_lower_case_x_is_accepted() -> None:
    assert check_id_card("11010519491231002x").valid


def test_impossible_birth_date_is_invalid_even_with_a_matching_check() -> None:
    body = "11010519490230002"  # 30 February
    result = check_id_card(body + id_card_check_char(body))
    assert not result.valid and result.reason == "bad_birth_date"
    future = f"110105{dt.date.today().year + 1}0101001"
    assert check_id_card(future + id_card_check_char(future)).reason == "bad_birth_date"


def test_bad_region_digit() -> None:
    body = "91010519491231002"
    assert check_id_card(body + id_card_check_char(body)).reason == "bad_region"


def test_legacy_15_digit_number_is_recognised_but_never_valid() -> None:
    result = check_id_card("110105491231002")
    assert not result.valid and result.reason == "legacy_15_digit"
    assert result.birth_date == dt.date(1949, 12, 31) and result.sex == "female"


@pytest.mark.parametrize("text", ["", "12345", "ABCDEFGHIJKLMNOPQR", "9135020077604965 3A!"])
def test_classify_rejects_other_formats(text: str) -> None:
    assert classify_owner_code(text) is None


def test_random_valid_numbers_round_trip() -> None:
    rng = random.Random(7)
    for _ in range(300):
        body = "".join(rng.choice(USCC_CHARSET) for _ in range(17))
        code = body + uscc_check_char(body)
        assert check_uscc(code).valid
        born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(20000))
        body_id = f"3303{rng.randrange(10, 99)}{born:%Y%m%d}{rng.randrange(1000):03d}"
        number = body_id + id_card_check_char(body_id)
        result = check_id_card(number)
        assert result.valid and result.birth_date == born
        assert classify_owner_code(number) == "id_card"


def test_masking_styles() -> None:
    assert mask_id_card("440524188001010014", "licence") == "4405241880****0014"
    assert mask_id_card("440524188001010014", "birth") == "440524********0014"
    assert mask_id_card("440524188001010014") == "440***********0014"
    assert mask_id_card("1234") == "****"
    assert mask_id_card("110105491231002") == "***********1002"
    with pytest.raises(ValueError):
        mask_id_card("440524188001010014", "nope")  # type: ignore[arg-type]


def test_result_serialises_to_plain_json_types() -> None:
    data = check_id_card("440882198503293017").to_dict()
    assert data["birth_date"] == "1985-03-29" and data["valid"] is True and data["sex"] == "male"
