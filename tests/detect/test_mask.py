import pytest

from sekisho.detect.mask import mask_digits, mask_email, mask_text


@pytest.mark.parametrize(
    ("value", "head", "tail", "masked"),
    [
        ("1234 5678 9018", 0, 2, "**** **** **18"),
        ("1234 5678 9018", 4, 2, "1234 **** **18"),
        ("090-1234-5678", 0, 2, "***-****-**78"),
        ("12", 0, 2, "**"),  # too short to reveal anything
        ("０９０−１２３４−５６７８", 0, 2, "***−****−**７８"),  # not yet normalised
        ("電話 090 ①②", 0, 2, "電話 *** ①②"),  # what str.isdigit calls a digit
    ],
)
def test_mask_digits(value: str, head: int, tail: int, masked: str) -> None:
    assert mask_digits(value, head=head, tail=tail) == masked


def test_mask_email_keeps_the_domain_only() -> None:
    assert mask_email("taro.yamada@city.example.lg.jp") == "t***@city.example.lg.jp"


def test_mask_text_keeps_the_first_character_and_spaces() -> None:
    assert mask_text("鈴木 一郎", keep=2) == "鈴木 **"
