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
