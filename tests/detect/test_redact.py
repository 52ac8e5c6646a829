"""Subjects and file names masked before an approver sees them in the queue."""

from __future__ import annotations

from sekisho.detect.analyzer import Detector
from sekisho.detect.redact import redact


def test_personal_values_in_a_subject_are_masked_in_place() -> None:
    text = redact(Detector(), "【至急】山田 太郎様 携帯 090-1234-5678 の件")
    assert "090-1234-5678" not in text and "太郎" not in text
    assert text.startswith("【至急】") and text.endswith("の件")
    assert text == "【至急】山田 **様 携帯 ***-****-**78 の件"  # each value's own mask


def test_a_subject_without_personal_data_is_unchanged() -> None:
    assert redact(Detector(), "会議のお知らせ（11月26日）") == "会議のお知らせ（11月26日）"


def test_a_phone_number_alone_in_a_subject_is_masked() -> None:
    assert redact(Detector(), "090-3141-5926 の件") == "***-****-**26 の件"


def test_a_valid_my_number_in_a_file_name_is_masked_without_a_label() -> None:
    """A check-digit-valid number needs context to be *reported*, not to be masked."""
    assert redact(Detector(), "名簿_123456789018.xlsx") == "名簿_**********18.xlsx"
    assert redact(Detector(), "名簿_20261201.xlsx") == "名簿_20261201.xlsx"  # a date stamp


def test_invisible_characters_do_not_keep_a_value_from_being_masked() -> None:
    assert "5926" not in redact(Detector(), "0\u200b9\u200b0-3141-5926 の件")
