"""The number recognizers read only the windows around runs of digits: on prose with
numbers scattered through it, every one of them proposes exactly what it proposes over the
whole text."""

from __future__ import annotations

import random

import pytest
from faker import Faker

from sekisho.detect.normalize import normalize
from sekisho.detect.registry import default_registry
from sekisho.detect.scoring import DIGIT_MARGIN, digit_windows, windowed
from tests.factories import corporate_number, fixed_number, mobile_number, my_number, visa_number

NUMBER_RECOGNIZERS = [r for r in default_registry() if r.needs == "digit"]


def _snippets(rng: random.Random) -> list[str]:
    return [
        f"個人番号：{my_number(rng)}",
        f"マイナンバー {my_number(rng)[:4]}-{my_number(rng)[4:8]}-{my_number(rng)[8:]}",
        f"法人番号 {corporate_number(rng)}",
        f"電話 {mobile_number(rng)}",
        f"TEL:{fixed_number(rng)}",
        f"カード番号 {visa_number(rng)}",
        "昭和45年3月2日生まれ",
        "生年月日 S45.3.2",
        "令和元年5月1日",
        "〒100-0001 東京都千代田区千代田1-1",
        "普通預金 口座番号 1234567",
        "被保険者番号 0123456789",
        "旅券番号 TK1234567",
        "在留カード番号 AB12345678CD",
        "免許証番号 第123456789012号",
        "基礎年金番号 1234-567890",
        "保険者番号 06132013 記号 12 番号 345",
        "住民票コード 12345678901",
        "2024/04/01 に提出",
        "78歳",
    ]


def _text(seed: int) -> str:
    rng = random.Random(seed)
    fake = Faker("ja_JP")
    fake.seed_instance(seed)
    pieces = []
    for snippet in rng.sample(_snippets(rng), rng.randint(1, 6)):
        gap = rng.choice([0, 5, 40, DIGIT_MARGIN, 2 * DIGIT_MARGIN, 300, 2000])
        pieces.append(fake.text(max_nb_chars=max(5, gap))[:gap] if gap else "")
        pieces.append(snippet)
    pieces.append(fake.text(max_nb_chars=400))
    return normalize("".join(pieces)).text


def _shape(candidates) -> list[tuple]:  # type: ignore[no-untyped-def]
    """The candidates by place (windows list them window by window, the whole text pattern
    by pattern; ``resolve_overlaps`` orders by score and place, and two candidates at one
    place are in one window, in the pattern order)."""
    shaped = [(c.start, c.end, c.value, c.pattern.name, c.context) for c in candidates]
    return sorted(shaped, key=lambda c: c[0])


@pytest.mark.parametrize("seed", range(80))
def test_windows_find_what_the_whole_text_holds(seed: int) -> None:
    text = _text(seed)
    windows = digit_windows(text)
    assert windows  # every text has a number
    for recognizer in NUMBER_RECOGNIZERS:
        assert _shape(windowed(recognizer, text, windows)) == _shape(recognizer.candidates(text)), (
            type(recognizer).__name__
        )


def test_windows_are_partial_on_prose_and_whole_on_tables() -> None:
    prose = "あ" * 1000 + "電話 03-1234-5678" + "い" * 1000
    (only,) = digit_windows(prose)
    assert only[0] == 1000 - DIGIT_MARGIN + 3 and only[1] - only[0] < 200
    assert prose[only[0] : only[1]].count("い") == DIGIT_MARGIN
    table = "\n".join(f"{i},山田,090-0000-{i:04d}" for i in range(100))
    assert digit_windows(table) == [(0, len(table))]
    assert digit_windows("数字のない文") == []
    close = "1" + "あ" * (2 * DIGIT_MARGIN - 1) + "2" + "う" * 5000
    assert len(digit_windows(close)) == 1  # runs closer than two margins share a window


def test_most_generated_texts_take_the_window_path() -> None:
    partial = 0
    for seed in range(80):
        text = _text(seed)
        partial += digit_windows(text) != [(0, len(text))]
    assert partial >= 40
