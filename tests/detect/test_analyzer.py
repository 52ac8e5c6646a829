from sekisho.detect import Detector
from sekisho.detect.inputs import cell_text
from sekisho.extract import TablePart, TextPart


def test_text_findings_name_their_line(detector: Detector) -> None:
    text = "ご担当者様\n\n携帯 090-1234-5678\nメール taro@example.jp\n"
    findings = detector.text(TextPart(text, origin="body"))
    assert [(f.entity, f.location) for f in findings] == [
        ("PHONE_NUMBER", "body, line 3"),
        ("EMAIL_ADDRESS", "body, line 4"),
    ]


def test_context_does_not_leak_from_a_neighbouring_line(detector: Detector) -> None:
    # A product code on the next line must not drag the labelled My Number down.
    text = "番号123456789018です（個人番号）\n商品コード 123456789018"
    findings = detector.text(TextPart(text))
    assert [(f.entity, f.location) for f in findings] == [("JP_MY_NUMBER", "line 1")]


def test_label_in_the_cell_to_the_left(detector: Detector) -> None:
    form = TablePart(rows=[["申請書"], ["個人番号", "123456789018"], ["電話", "0312345678"]])
    findings = detector.detect([form]).findings
    assert [(f.entity, f.location) for f in findings] == [
        ("JP_MY_NUMBER", "B2"),
        ("PHONE_NUMBER", "B3"),
    ]


def test_overlapping_proposals_keep_the_best(detector: Detector) -> None:
    # 16 digits grouped 4-4-4-4: the card, not a My Number inside it.
    findings = detector.text(TextPart("カード 4111 1111 1111 1111 個人番号欄"))
    assert [f.entity for f in findings] == ["CREDIT_CARD"]


def test_header_row_is_not_scanned_as_data(detector: Detector) -> None:
    table = TablePart(
        rows=[["携帯 090-1111-2222"], ["090-1234-5678"], ["090-8765-4321"]], header_row=0
    )
    assert [f.location for f in detector.detect([table]).findings] == ["A2", "A3"]


def test_a_first_row_holding_a_record_is_not_a_header(detector: Detector) -> None:
    # The extractor guessed a header, but the row names no entity and holds a name.
    table = TablePart(
        rows=[["山田 太郎", "男"], ["佐藤 花子", "女"], ["鈴木 一郎", "男"]], header_row=0
    )
    detection = detector.detect([table])
    assert detection.records == 3
    assert detection.counts == {"GENDER": 3, "PERSON_NAME": 3}


def test_cell_text_of_typed_cells() -> None:
    from datetime import date, datetime

    assert cell_text(123456789018) == "123456789018"
    assert cell_text(123456789018.0) == "123456789018"
    assert cell_text(date(1940, 3, 2)) == "1940-03-02"
    assert cell_text(datetime(1940, 3, 2)) == "1940-03-02"
    assert cell_text(None) == "" and cell_text(True) == ""
