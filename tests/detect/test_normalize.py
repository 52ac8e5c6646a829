import pytest

from sekisho.detect.normalize import fold, normalize


@pytest.mark.parametrize(
    ("original", "expected"),
    [
        ("１２３４－５６７８", "1234-5678"),
        ("1234ー5678", "1234-5678"),  # prolonged sound mark between digits
        ("1234−5678‐9012–3456", "1234-5678-9012-3456"),
        ("コーヒー", "コーヒー"),  # a vowel mark in a word stays
        ("ﾔﾏﾀﾞ ﾀﾛｳ", "ヤマダ タロウ"),  # half-width kana with voicing mark
        ("ＴＥＬ：０３", "TEL:03"),
        ("abc", "abc"),
    ],
)
def test_normalized_text(original: str, expected: str) -> None:
    assert normalize(original).text == expected


def test_offsets_map_back_to_the_written_characters() -> None:
    original = "番号：１２３４　ﾀﾞﾐｰ"
    norm = normalize(original)
    start = norm.text.index("1234")
    s, e = norm.original_span(start, start + 4)
    assert original[s:e] == "１２３４"
    k = norm.text.index("ダ")
    s, e = norm.original_span(k, k + 1)
    assert original[s:e] == "ﾀﾞ"  # two characters written, one read


def test_expansion_maps_every_output_char_to_its_source() -> None:
    original = "㍻3年"  # one character becomes 平成
    norm = normalize(original)
    assert norm.text == "平成3年"
    assert norm.original_span(0, 2) == (0, 1)
    assert norm.original_span(2, 3) == (1, 2)


def test_identity_needs_no_map() -> None:
    assert normalize("plain ascii 123").offsets is None


def test_fold_is_case_and_width_insensitive() -> None:
    assert fold("ＭＹ　Ｎｕｍｂｅｒ") == fold("my number")
