import pytest

from sekisho.detect import Detector
from sekisho.detect.romaji import is_japanese_romaji, is_romaji_name
from tests.conftest import column_entities, entities_in

JAPANESE = "Sato Satoh Itou Suzuki Takahashi Shin'ichi Homma Namba Hattori Ohno Kondo Ryo Kyoko"
ENGLISH = "United States Dear Loondear Manchester Madrid Smith Mary Paris London Arsenal Chelsea"


@pytest.mark.parametrize("word", JAPANESE.split())
def test_japanese_names_are_japanese_syllables(word: str) -> None:
    assert is_japanese_romaji(word)


@pytest.mark.parametrize("word", ENGLISH.split())
def test_english_words_are_not(word: str) -> None:
    assert not is_japanese_romaji(word)


def test_every_part_of_a_name_must_be_romaji() -> None:
    assert is_romaji_name("YAMADA, Taro")
    assert not is_romaji_name("Yamada Smith")
    assert not is_romaji_name("")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Name: Taro Yamada", True),
        ("Dear Hanako Sato,", True),
        ("Name: United States", False),  # a label, but not Japanese syllables
        ("These systems. Dear Loondear team", False),  # "ms." inside "systems."
        ("Manchester United v Real Madrid", False),
    ],
)
def test_romaji_names_in_text(detector: Detector, text: str, found: bool) -> None:
    assert ("PERSON_NAME" in entities_in(detector, text)) is found


def test_context_words_in_latin_are_whole_words(detector: Detector) -> None:
    # "jan" is a card number's negative word: inside "Janet" it says nothing.
    assert "CREDIT_CARD" in entities_in(detector, "Janet's card 4111 1111 1111 1111")
    assert "CREDIT_CARD" not in entities_in(detector, "JAN 4111 1111 1111 1111")


def test_a_headerless_column_of_english_words_is_not_names(detector: Detector) -> None:
    clubs = ["Manchester United", "Real Madrid", "Aston Villa", "Inter Milan", "Celtic Glasgow"]
    assert "PERSON_NAME" not in column_entities(detector, None, clubs)
    people = ["Taro Yamada", "Hanako Sato", "Ichiro Suzuki", "Jiro Tanaka", "Yuki Ito"]
    assert column_entities(detector, "Name", people).get("PERSON_NAME") == 5
