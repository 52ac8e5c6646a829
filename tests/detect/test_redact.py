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
