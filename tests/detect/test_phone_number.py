import pytest

from sekisho.detect import Detector
from tests.conftest import entities_in


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("090-1234-5678", True),
        ("080 1234 5678", True),
        ("０７０－１２３４－５６７８", True),
        ("050-1234-5678", True),  # IP phone
        ("03-1234-5678", True),
        ("(03)1234-5678", True),
        ("0982-12-3456", True),
        ("04992-2-1234", True),  # 5-digit area code
        ("+81-90-1234-5678", True),
        ("+81 3 1234 5678", True),
        ("09012345678", True),  # bare mobile
        ("電話 0312345678", True),  # bare fixed with a label
        ("0312345678", False),  # bare fixed without a label
        ("0120-123-456", False),  # free dial: a business
        ("0800-123-4567", False),
        ("0570-123-456", False),  # navi dial
        ("090-1234-567", False),  # too short
        ("03-1234-56789", False),
        ("2022-05-20", False),  # a date
        ("TEL 00-1234-5678", False),  # 00 is not an area code
        ("1234-5678", False),
    ],
)
def test_phone_number_in_text(detector: Detector, text: str, found: bool) -> None:
    assert ("PHONE_NUMBER" in entities_in(detector, text)) is found


def test_phone_glued_to_japanese_text(detector: Detector) -> None:
    assert entities_in(detector, "携帯は090-1234-5678までお願いします") == ["PHONE_NUMBER"]


def test_same_number_written_two_ways_is_one_person(detector: Detector) -> None:
    from sekisho.extract import TextPart

    detection = detector.detect([TextPart("山田太郎様 090-1234-5678 または +81-90-1234-5678")])
    phones = [f for f in detection.findings if f.entity == "PHONE_NUMBER"]
    assert len(phones) == 2 and phones[0].key == phones[1].key
    assert detection.records == 1


def test_a_phone_alone_in_a_table_row_is_found_but_describes_nobody(detector: Detector) -> None:
    from sekisho.extract import TablePart

    rows = [["施設名", "電話番号"], ["東大成保育園", "048-123-4567"]]
    detection = detector.detect([TablePart(rows=rows, header_row=0, origin="")])
    assert [f.entity for f in detection.findings] == ["PHONE_NUMBER"]
    assert detection.records == 0
