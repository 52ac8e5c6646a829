import pytest

from sekisho.detect import Detector
from tests.conftest import entities_in


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("taro@example.jp", True),
        ("連絡先：hanako.suzuki+care@city.example.lg.jp まで", True),
        ("メールはtaro_y@example.co.jpまで", True),  # glued to kana on both sides
        ("ＴＡＲＯ＠ＥＸＡＭＰＬＥ．ＪＰ", True),  # full width
        ("taro@localhost", False),
        ("@example.jp", False),
        ("taro@", False),
        ("a@b.c", False),  # one-letter top-level label
    ],
)
def test_email_in_text(detector: Detector, text: str, found: bool) -> None:
    assert ("EMAIL_ADDRESS" in entities_in(detector, text)) is found


def test_email_excerpt_hides_the_person(detector: Detector) -> None:
    from sekisho.extract import TextPart

    (finding,) = detector.text(TextPart("hanako.suzuki@example.jp"))
    assert finding.excerpt == "h***@example.jp"


@pytest.mark.parametrize(
    "text",
    [
        "Message-ID: <20201010.abc123@mail.example.com>",
        "In-Reply-To: <x1.y2@host.example.jp>",
        "References: <a1@b.example.jp>\n <c.d2@e.example.jp>",  # folded onto a second line
        '<img src="cid:image001.png@01D2A3B4.example.com">',
    ],
)
def test_message_and_content_ids_are_not_mailboxes(detector: Detector, text: str) -> None:
    assert "EMAIL_ADDRESS" not in entities_in(detector, text)


def test_a_mailbox_after_an_id_header_is_still_one(detector: Detector) -> None:
    text = "Message-ID: <1.2@mail.example.com>\nReply-To: taro.yamada@example.jp"
    assert entities_in(detector, text) == ["EMAIL_ADDRESS"]
