import pytest

from sekisho.detect import Detector
from tests.conftest import entities_in, table_detection


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("振込先 0001-123-1234567", True),
        ("普通預金 1234567", True),
        ("口座番号：普通 7654321", True),
        ("ゆうちょ銀行 記号番号 12345-12345678", True),
        ("口座番号 1234567", True),
        ("1234567", False),
        ("郵便番号 1234567", False),
        ("金額 1234567円", False),
    ],
)
def test_bank_account_in_text(detector: Detector, text: str, found: bool) -> None:
    assert ("BANK_ACCOUNT" in entities_in(detector, text)) is found


def test_transfer_list(detector: Detector) -> None:
    rows = [
        ["氏名", "銀行名", "支店名", "種別", "口座番号", "口座名義"],
        ["山田 太郎", "みずほ銀行", "本店", "普通", "1234567", "ヤマダ タロウ"],
        ["佐藤 花子", "三井住友銀行", "新宿支店", "当座", 765432, "サトウ ハナコ"],
    ]
    detection = table_detection(detector, rows)
    assert detection.counts["BANK_ACCOUNT"] == 2
    assert detection.counts["PERSON_NAME"] == 4  # names and the kana account holders
    assert detection.records == 2


def test_digits_in_a_urls_path_are_no_account(detector: Detector) -> None:
    assert entities_in(detector, "振込先は https://example.jp/item/1234567 をご覧ください") == []
    # a value in the query string is data all the same
    assert entities_in(detector, "口座 https://bank.example.jp/a?acct=1234567") == ["BANK_ACCOUNT"]
