import random

import pytest

from sekisho.detect.checkdigits import (
    corporate_check_digit,
    is_valid_corporate_number,
    is_valid_my_number,
    luhn_valid,
    my_number_check_digit,
)
from tests.factories import corporate_number, my_number


@pytest.mark.parametrize(
    ("base", "check"),
    [
        ("12345678901", 8),  # Σ = 212, 212 mod 11 = 3, 11 - 3 = 8
        ("00000000000", 0),  # remainder 0 → 0
        ("00000000006", 0),  # 6×2 = 12, remainder 1 → 0
        ("00000000005", 1),  # 5×2 = 10, remainder 10 → 11 - 10 = 1
    ],
)
def test_my_number_check_digit_examples(base: str, check: int) -> None:
    assert my_number_check_digit(base) == check


def test_my_number_generated_numbers_round_trip() -> None:
    rng = random.Random(3)
    for _ in range(500):
        assert is_valid_my_number(my_number(rng))
        assert not is_valid_my_number(my_number(rng, valid=False))


@pytest.mark.parametrize("bad", ["12345678901", "1234567890188", "12345678901a"])
def test_my_number_rejects_wrong_shapes(bad: str) -> None:
    assert not is_valid_my_number(bad)


def test_corporate_number_known_example() -> None:
    # 国税庁's own corporate number: 7000012050002.
    assert corporate_check_digit("000012050002") == 7
    assert is_valid_corporate_number("7000012050002")
    assert not is_valid_corporate_number("6000012050002")


def test_corporate_number_generated_round_trip() -> None:
    rng = random.Random(5)
    for _ in range(500):
        assert is_valid_corporate_number(corporate_number(rng))
        assert not is_valid_corporate_number(corporate_number(rng, valid=False))


@pytest.mark.parametrize(
    ("digits", "valid"),
    [("4111111111111111", True), ("4111111111111112", False), ("79927398713", True), ("0", False)],
)
def test_luhn(digits: str, valid: bool) -> None:
    assert luhn_valid(digits) is valid
