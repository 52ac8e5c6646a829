import random

import pytest

from sekisho.detect import Detector
from sekisho.detect.recognizers.credit_card import card_network_matches
from tests.conftest import entities_in
from tests.factories import visa_number


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("4111 1111 1111 1111", True),
        ("カード番号 4111-1111-1111-1111", True),
        ("Mastercard 5555555555554444", True),
        ("JCB 3530111333300000", True),
        ("クレジットカード：3530111333300000", True),
        ("5555555555554444", False),  # ungrouped, no card word: one number in ten passes Luhn
        ("Invoice 4111111111111111 paid", False),
        ("3782 822463 10005", True),  # Amex 4-6-5
        ("4111 1111 1111 1112", False),  # Luhn fails
        ("1234567812345670", False),  # Luhn passes, no network starts with 1
        ("注文番号 4111111111111111", False),  # an order number
        ("4111-1111 1111-1111", False),  # mixed separators are not one number
    ],
)
def test_card_in_text(detector: Detector, text: str, found: bool) -> None:
    assert ("CREDIT_CARD" in entities_in(detector, text)) is found


def test_generated_visa_numbers_are_found(detector: Detector) -> None:
    rng = random.Random(9)
    for _ in range(50):
        assert entities_in(detector, f"カード {visa_number(rng)}") == ["CREDIT_CARD"]


@pytest.mark.parametrize(
    ("digits", "ok"),
    [
        ("4" * 16, True),
        ("34" + "0" * 13, True),
        ("34" + "0" * 14, False),
        ("2720" + "0" * 12, True),
    ],
)
def test_network_prefix_and_length(digits: str, ok: bool) -> None:
    assert card_network_matches(digits) is ok


def test_a_jan_barcode_is_no_visa_card(detector: Detector) -> None:
    # 49… and 45… JAN codes are 13 digits: Visa's withdrawn 13-digit length would fit them
    assert entities_in(detector, "card 4901234567894") == []
    assert not card_network_matches("4901234567894")
