from sekisho.detect import Detector
from sekisho.extract import TablePart, TextPart


def _table(rows: list[list[object]], origin: str = "") -> TablePart:
    return TablePart(rows=rows, header_row=0, origin=origin)


def test_a_row_with_an_identifier_is_one_person(detector: Detector) -> None:
    rows = [
        ["個人番号", "電話"],
        ["123456789018", "090-1234-5678"],
        ["", "090-8765-4321"],  # a phone alone: someone's, or an office's
    ]
    assert detector.detect([_table(rows)]).records == 1


def test_a_facility_list_describes_nobody(detector: Detector) -> None:
    rows = [
        ["施設名等", "設置場所", "所在地", "電話番号", "開設日", "NO"],
        ["東大成保育園", "事務室", "さいたま市北区東大成町2-103", "048-123-4567", "1998-04-01", 1],
        ["大宮聖苑", "１階ホール", "さいたま市見沼区染谷2-350-1", "048-123-4568", "2001-10-01", 2],
        [
            "辻南小児童クラブ",
            "クラブ室内",
            "さいたま市南区辻8-7-32",
            "048-123-4569",
            "2010-04-01",
            3,
        ],
        ["国木田独歩旧宅", "玄関", "山口県柳井市柳井津", "0820-22-1111", "1985-07-01", 4],
    ]
    detection = detector.detect([_table(rows)])
    assert detection.records == 0
    found = {f.entity for f in detection.findings}
    assert "PERSON_NAME" not in found and "DATE_OF_BIRTH" not in found
    assert {"ADDRESS", "PHONE_NUMBER"} <= found  # reported: found, but nobody's


def test_same_my_number_on_two_sheets_is_one_person(detector: Detector) -> None:
    visible = _table([["個人番号"], ["123456789018"]], "sheet 一覧")
    hidden = _table([["個人番号", "電話"], ["123456789018", "090-1111-2222"]], "sheet 元 (hidden)")
    detection = detector.detect([visible, hidden])
    assert len(detection.findings) == 3
    assert detection.records == 1


def test_shared_home_phone_does_not_merge_two_people(detector: Detector) -> None:
    rows = [
        ["個人番号", "電話"],
        ["123456789018", "03-1234-5678"],
        ["234567890121", "03-1234-5678"],
    ]
    detection = detector.detect([_table(rows)])
    assert len([f for f in detection.findings if f.entity == "JP_MY_NUMBER"]) == 2
    assert detection.records == 2


def test_text_counts_the_largest_set_of_one_identifier_type(detector: Detector) -> None:
    text = "山田様 携帯090-1234-5678 メール yamada@example.jp\n佐藤様 携帯090-2222-3333"
    assert detector.detect([TextPart(text)]).records == 2


def test_text_repeating_a_table_value_adds_nobody(detector: Detector) -> None:
    table = _table([["氏名", "電話"], ["山田 太郎", "090-1234-5678"]])
    text = TextPart("山田太郎様のご連絡は090-1234-5678まで")
    assert detector.detect([table, text]).records == 1


def test_nothing_found_is_nobody(detector: Detector) -> None:
    assert detector.detect([TextPart("会議は 2022-05-20 10:00 から")]).records == 0


def _text_records(detector: Detector, text: str) -> tuple[int, list[str]]:
    detection = detector.detect([TextPart(text)])
    return detection.records, sorted(f.entity for f in detection.findings)


def test_an_inquiries_block_is_an_office_not_a_person(detector: Detector) -> None:
    newsletter = (
        "敬老会を開催します。\n\n問い合わせ先\n高齢福祉課 高齢者係\n"
        "東京都千代田区千代田1-1\n電話 03-1234-5678\n"
    )
    records, entities = _text_records(detector, newsletter)
    assert records == 0
    assert entities == ["ADDRESS", "PHONE_NUMBER"]  # reported, but describe no one


def test_an_office_line_describes_no_one(detector: Detector) -> None:
    line = "株式会社サンプル 東京都千代田区千代田1-1 TEL 03-1234-5678 FAX 03-1234-5679"
    assert _text_records(detector, line)[0] == 0


def test_a_residents_contact_details_still_count(detector: Detector) -> None:
    form = "氏名：山田 太郎\n住所：東京都千代田区千代田1-1 ハイツ201号室\n携帯 090-1234-5678\n"
    assert _text_records(detector, form)[0] == 1
    # a blank line ends the inquiries block: what follows is someone else's
    after = "問い合わせ先 市民課\n\n携帯 090-1234-5678 までご連絡ください（山田）\n"
    assert _text_records(detector, after)[0] == 1
