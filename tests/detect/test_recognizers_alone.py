"""Every recognizer alone (``Detector(Registry([OneRecognizer()]))``): its span, pattern
and scores, and the same span kept beside all the others — so that a break hidden by an
overlapping recognizer shows here."""

from __future__ import annotations

import pytest

from sekisho.detect import Detector, Registry
from sekisho.detect.recognizers import ALL_RECOGNIZERS
from sekisho.detect.scoring import CONTEXT_BOOST

# recognizer: (text with a label, the value, the pattern that proposes it)
SAMPLES: dict[str, tuple[str, str, str]] = {
    "JpMyNumberRecognizer": ("個人番号 123456789018", "123456789018", "12 digits"),
    "JpCorporateNumberRecognizer": ("法人番号 7000012050002", "7000012050002", "13 digits"),
    "JpCareInsuranceNumberRecognizer": ("被保険者番号 0012345678", "0012345678", "10 digits"),
    "JpHealthInsuranceNumberRecognizer": ("保険者番号 33120015", "33120015", "8 digits"),
    "JpPensionNumberRecognizer": ("基礎年金番号 1234-567890", "1234-567890", "4-6"),
    "JpResidentCodeRecognizer": ("住民票コード 12345678901", "12345678901", "11 digits"),
    "JpDriversLicenseRecognizer": ("運転免許証番号 301234567890", "301234567890", "12 digits"),
    "JpPassportRecognizer": ("旅券番号 TK1234567", "TK1234567", "2 letters + 7 digits"),
    "JpResidenceCardRecognizer": (
        "在留カード AB12345678CD",
        "AB12345678CD",
        "2 letters + 8 digits + 2 letters",
    ),
    "CreditCardRecognizer": ("カード番号 4111 1111 1111 1111", "4111 1111 1111 1111", "4-4-4-4"),
    "BankAccountRecognizer": ("口座 普通 1234567", "1234567", "type + 7 digits"),
    "PhoneNumberRecognizer": ("携帯 090-1234-5678", "090-1234-5678", "separated"),
    "EmailAddressRecognizer": (
        "メール taro.yamada@example.jp",
        "taro.yamada@example.jp",
        "addr-spec",
    ),
    "DateOfBirthRecognizer": ("生年月日 昭和25年1月2日", "昭和25年1月2日", "date"),
    "AddressRecognizer": (
        "住所 東京都千代田区千代田1-1",
        "東京都千代田区千代田1-1",
        "prefecture + municipality + number",
    ),
    "PersonNameRecognizer": ("氏名 山田 太郎", "山田 太郎", "family + given name"),
    "GenderRecognizer": ("性別：女", "女", "labelled"),
    "CareLevelRecognizer": ("要介護度 要介護3", "要介護3", "care level"),
    "HealthInfoRecognizer": ("病名 糖尿病", "糖尿病", "health term"),
}


def test_every_recognizer_has_a_sample() -> None:
    assert set(SAMPLES) == {cls.__name__ for cls in ALL_RECOGNIZERS}


@pytest.mark.parametrize("cls", ALL_RECOGNIZERS, ids=lambda c: c.__name__)
def test_alone(cls: type) -> None:
    text, value, pattern = SAMPLES[cls.__name__]
    recognizer = cls()
    (hit,) = Detector(Registry([recognizer])).hits(text, "")
    assert (hit.candidate.value, hit.candidate.pattern.name) == (value, pattern)
    assert text[hit.candidate.start : hit.candidate.end] == value
    # the score before context is the pattern's, plus the bonus when validation passed
    validated = hit.validation.endswith(" valid")
    assert hit.before == pytest.approx(
        hit.candidate.pattern.score + (recognizer.valid_bonus if validated else 0.0)
    )
    # a label found as context adds the boost, capped at 1 (性別：女 is labelled in its pattern)
    boost = CONTEXT_BOOST if hit.context else 0.0
    assert hit.after == pytest.approx(min(1.0, hit.before + boost))
    assert bool(hit.context) is (cls.__name__ != "GenderRecognizer")
    assert hit.after >= 0.5


@pytest.mark.parametrize("cls", ALL_RECOGNIZERS, ids=lambda c: c.__name__)
def test_kept_beside_all_the_others(cls: type) -> None:
    text, value, _ = SAMPLES[cls.__name__]
    hits = Detector().hits(text, "")
    assert [(h.recognizer.name, h.candidate.value) for h in hits] == [(cls.__name__, value)]
