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


def _reference_mask(value: str, head: int, tail: int) -> str:
    """The rule stated plainly: every digit but the first head and last tail is hidden."""
    places = [i for i, ch in enumerate(value) if ch in "0123456789"]
    if len(places) <= head + tail:
        head, tail = 0, 0
    hidden = set(places[head : len(places) - tail])
    return "".join("*" if i in hidden else ch for i, ch in enumerate(value))


def test_ascii_fast_path_agrees_with_the_rule_on_random_values() -> None:
    import random

    rng = random.Random(11)
    alphabet = "0123456789-- ()+x"
    for _ in range(3000):
        value = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 20)))
        head, tail = rng.randrange(0, 5), rng.randrange(0, 5)
        assert mask_digits(value, head=head, tail=tail) == _reference_mask(value, head, tail), (
            value,
            head,
            tail,
        )
