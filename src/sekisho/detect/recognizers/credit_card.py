"""CREDIT_CARD: payment card numbers (PAN) of the major networks."""

from __future__ import annotations

import re

from sekisho.detect.checkdigits import luhn_valid
from sekisho.detect.entities import CREDIT_CARD
from sekisho.detect.mask import mask_digits
from sekisho.detect.recognizer import NUM_END, NUM_START, Pattern, Recognizer

# (prefix range low, high, prefix length, allowed lengths) from ISO/IEC 7812 IIN tables.
_NETWORKS: tuple[tuple[int, int, int, frozenset[int]], ...] = (
    # Visa: 16 and 19 digits. Its 13-digit numbers were withdrawn long ago, and every
    # Japanese JAN barcode (45…/49…, 13 digits) would fit them.
    (4, 4, 1, frozenset({16, 19})),
    (51, 55, 2, frozenset({16})),  # Mastercard
    (2221, 2720, 4, frozenset({16})),  # Mastercard 2-series
    (34, 34, 2, frozenset({15})),  # American Express
    (37, 37, 2, frozenset({15})),
    (3528, 3589, 4, frozenset({16, 17, 18, 19})),  # JCB
    (300, 305, 3, frozenset({14, 16, 17, 18, 19})),  # Diners Club
    (36, 36, 2, frozenset({14, 16, 17, 18, 19})),
    (38, 39, 2, frozenset({16, 17, 18, 19})),
    (6011, 6011, 4, frozenset({16, 17, 18, 19})),  # Discover
    (644, 649, 3, frozenset({16, 17, 18, 19})),
    (65, 65, 2, frozenset({16, 17, 18, 19})),
    (62, 62, 2, frozenset({16, 17, 18, 19})),  # UnionPay
)


def card_network_matches(digits: str) -> bool:
    """Whether the length and leading digits fit a known card network."""
    for low, high, width, lengths in _NETWORKS:
        if len(digits) in lengths and low <= int(digits[:width]) <= high:
            return True
    return False


class CreditCardRecognizer(Recognizer):
    """13–19 digits, grouped as cards print them (4-4-4-4, Amex 4-6-5, Diners 4-6-4) or
    plain beside a card word, that fit a card network's prefix and length and pass the Luhn
    check (ISO/IEC 7812-1)."""

    name = "CreditCardRecognizer"
    entity = CREDIT_CARD
    patterns = (
        Pattern(
            "4-4-4-4",
            re.compile(
                NUM_START + r"(?P<value>[0-9]{4}([- ])[0-9]{4}\2[0-9]{4}\2[0-9]{1,7})" + NUM_END
            ),
            0.5,
        ),
        Pattern(
            "4-6-5",
            re.compile(NUM_START + r"(?P<value>[0-9]{4}([- ])[0-9]{6}\2[0-9]{4,5})" + NUM_END),
            0.5,
        ),
        # Ungrouped, one random number in ten passes Luhn: only a context word (カード, card,
        # 有効期限) or a column headed for cards makes it a card.
        Pattern("13-19 digits", re.compile(NUM_START + r"(?P<value>[0-9]{13,19})" + NUM_END), 0.1),
    )
    context_words = (
        "カード",
        "クレジット",
        "card",
        "visa",
        "mastercard",
        "jcb",
        "amex",
        "有効期限",
    )
    negative_words = (
        "注文",
        "伝票",
        "商品",
        "order",
        "jan",
        "tracking",
        "追跡",
        "お問い合わせ番号",
    )
    header_words = ("カード番号", "クレジット", "card")
    validation_name = "Luhn"

    def validate(self, value: str) -> bool | None:
        digits = self.canonical(value)
        return 13 <= len(digits) <= 19 and card_network_matches(digits) and luhn_valid(digits)

    def mask(self, value: str) -> str:
        return mask_digits(value, head=4, tail=2)
