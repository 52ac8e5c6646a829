"""BANK_ACCOUNT: Japanese bank accounts (金融機関コード, 支店番号, 口座番号)."""

from __future__ import annotations

import re

from sekisho.detect.entities import BANK_ACCOUNT
from sekisho.detect.recognizer import NUM_END, NUM_START, Pattern, Recognizer
from sekisho.detect.recognizers._digits import cell_digits


class BankAccountRecognizer(Recognizer):
    """A domestic account as written on transfer forms (全銀協 formats): bank code 4 digits,
    branch code 3, account number 7 ("0001-123-1234567"), or an account type with a 7-digit
    number ("普通 1234567"). Seven digits alone are anything, so a value needs 口座 context
    or a header (口座番号, Account No.); the 4-3-7 form with a kind word is strong itself.
    Japan Post Bank's 記号-番号 (5 + 8 digits, "12345-12345678") is read too.
    """

    name = "BankAccountRecognizer"
    entity = BANK_ACCOUNT
    patterns = (
        Pattern(
            "4-3-7",
            re.compile(NUM_START + r"(?P<value>[0-9]{4}[- ][0-9]{3}[- ][0-9]{7})" + NUM_END),
            0.4,
        ),
        Pattern(
            "type + 7 digits",
            re.compile(
                r"(?:普通|当座|貯蓄|総合)(?:預金)?\s*[:：]?\s*(?:口座)?\s*(?:番号)?\s*[:：]?\s*(?P<value>[0-9]{7})"
                + NUM_END
            ),
            0.5,
        ),
        Pattern(
            "ゆうちょ 5-8", re.compile(NUM_START + r"(?P<value>[0-9]{5}-[0-9]{8})" + NUM_END), 0.3
        ),
        Pattern("7 digits", re.compile(NUM_START + r"(?P<value>[0-9]{7})" + NUM_END), 0.2),
    )
    context_words = ("口座", "振込", "振替", "預金", "銀行", "支店", "ゆうちょ", "account", "bank")
    negative_words = ("郵便", "〒", "電話", "tel", "商品", "注文", "円")
    requires_context = True
    value_classifiable = False
    header_words = ("口座番号", "口座", "account no", "account number", "bank account")
    header_exclude = ("口座名義", "名義", "種別", "種目")
    column_score = 0.6
    column_shape = re.compile(r"[0-9]{7}")

    def cell_value(self, cell: object, text: str) -> str | None:
        digits = cell_digits(cell, text, 7)
        if digits is not None:
            return digits
        stripped = text.strip()
        for pattern in self.patterns[:3]:
            if pattern.regex.fullmatch(stripped):
                return stripped
        return None
