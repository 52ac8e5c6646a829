"""docx, pptx, odt and pdf: every place text can hide."""

from sekisho.extract import ProblemCode, TablePart, extract_bytes
from sekisho.scan import Scanner
from tests.extract.builders import docx_bytes, odf_bytes, pdf_bytes, pptx_bytes


def test_docx_every_story(scanner: Scanner) -> None:
    data = docx_bytes(
        ["本文です"],
        table=[["氏名", "電話番号"], ["山田 太郎", "090-1234-5678"]],
        header="ヘッダー 個人番号 123456789018",
        footer="携帯 080-1111-2222",
        comment="佐藤 花子様に確認",
        inserted="追記 携帯 070-3333-4444",
        deleted="削除 携帯 090-5555-6666",
    )
    report = scanner.scan_bytes(data, "通知.docx")
    places = {(f.entity, f.location) for f in report.findings}
    assert ("PHONE_NUMBER", "table 1, B2") in places  # a table stays a table
    assert ("PERSON_NAME", "table 1, A2") in places
    assert ("JP_MY_NUMBER", "header 1, line 1") in places
    assert ("PHONE_NUMBER", "footer 1, line 1") in places
    assert ("PERSON_NAME", "comments, line 1") in places
    assert ("PHONE_NUMBER", "body, line 2") in places  # tracked insertion
    assert ("PHONE_NUMBER", "body, line 3") in places  # tracked deletion still travels


def test_pptx_slides_tables_and_notes(scanner: Scanner) -> None:
    data = pptx_bytes(
        ["説明会 資料"],
        table=[["氏名"], ["山田 太郎"], ["佐藤 花子"]],
        notes="本人の携帯 090-1234-5678",
    )
    report = scanner.scan_bytes(data, "資料.pptx")
    places = {(f.entity, f.location) for f in report.findings}
    assert ("PERSON_NAME", "slide 1, table 1, A2") in places
    assert ("PHONE_NUMBER", "slide 1 notes, line 1") in places


def test_odt_and_ods(scanner: Scanner) -> None:
    odt = scanner.scan_bytes(
        odf_bytes("odt", ["対象者 山田 太郎様"], [["電話"], ["090-1234-5678"]]), "a.odt"
    )
    assert odt.entities == {"PERSON_NAME": 1, "PHONE_NUMBER": 1}
    ods = extract_bytes(odf_bytes("ods", [], [["氏名"], ["山田 太郎"]]), "a.ods")
    assert ods.kind == "ods"
    assert isinstance(ods.parts[0], TablePart)


def test_pdf_text_layer(scanner: Scanner) -> None:
    report = scanner.scan_bytes(pdf_bytes(["氏名 山田 太郎", "個人番号 123456789018"]), "a.pdf")
    assert report.entities == {"JP_MY_NUMBER": 1, "PERSON_NAME": 1}
    assert report.findings[0].location.startswith("page 1, line")


def test_pdf_without_text_layer_is_unscannable() -> None:
    extraction = extract_bytes(pdf_bytes([], text=False), "scan.pdf")
    assert [p.code for p in extraction.problems] == [ProblemCode.NO_TEXT]
    assert extraction.problems[0].reason.startswith("no text layer")


def test_a_scanned_page_among_text_pages_is_unscannable() -> None:
    extraction = extract_bytes(pdf_bytes(["氏名 山田 太郎"], pages="bs"), "mixed.pdf")
    assert [p.code for p in extraction.problems] == [ProblemCode.NO_TEXT]
    assert "page(s) 3:" in extraction.problems[0].detail  # the blank page 2 is not named
    assert [p.origin for p in extraction.parts] == ["page 1"]


def test_blank_pages_and_frames_are_nothing_to_read() -> None:
    extraction = extract_bytes(pdf_bytes(["お知らせ"], pages="br"), "a.pdf")
    assert extraction.problems == []
    assert extract_bytes(pdf_bytes([], pages="b"), "blank.pdf").problems == []


def test_encrypted_pdf_is_unscannable() -> None:
    extraction = extract_bytes(pdf_bytes(["x"], encrypt="pw"), "a.pdf")
    assert [p.code for p in extraction.problems] == [ProblemCode.ENCRYPTED]
