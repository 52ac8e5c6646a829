import random

import pytest

from sekisho.detect import Detector
from sekisho.extract import TablePart
from tests.conftest import entities_in
from tests.factories import corporate_number

VALID = "7000012050002"  # 国税庁
WIDE = VALID.translate(str.maketrans("0123456789", "０１２３４５６７８９"))


@pytest.mark.parametrize(
    ("text", "found"),
    [
        (f"法人番号 {VALID}", True),
        (f"登録番号 T{VALID}", True),
        (f"適格請求書発行事業者 T{VALID}", True),
        (f"法人番号：{WIDE}", True),
        (f"法人番号 6{VALID[1:]}", False),  # check digit fails
        (VALID, False),  # bare 13 digits could be a JAN barcode
        (f"JANコード {VALID}", False),
    ],
)
def test_corporate_number_in_text(detector: Detector, text: str, found: bool) -> None:
    assert ("JP_CORPORATE_NUMBER" in entities_in(detector, text)) is found


def test_corporate_numbers_are_never_people(detector: Detector) -> None:
    rng = random.Random(2)
    rows = [["法人番号"], *[[corporate_number(rng)] for _ in range(30)]]
    detection = detector.detect([TablePart(rows=rows, header_row=0)])
    assert len(detection.findings) == 30
    assert detection.records == 0
