"""Zip (nested, cp932 names, encrypted, traversal) and 7z."""

from sekisho.extract import ProblemCode, extract_bytes
from sekisho.scan import Scanner
from tests.extract.builders import ROSTER_TEXT, aes_zip, flag_encrypted, seven_zip, zip_bytes
from tests.factories import csv_bytes


def test_nested_zip_is_followed_and_places_are_named(scanner: Scanner) -> None:
    inner = zip_bytes({"名簿.csv": csv_bytes([["個人番号"], ["123456789018"]], "cp932")})
    outer = zip_bytes({"送付/inner.zip": inner})
    report = scanner.scan_bytes(outer, "送付.zip")
    assert not report.unscannable
    (finding,) = report.findings
    assert finding.entity == "JP_MY_NUMBER"
    assert finding.location == "送付/inner.zip/名簿.csv, A2"
    kinds = [(f.origin, f.kind) for f in extract_bytes(outer, "送付.zip").files]
    assert kinds == [("", "zip"), ("送付/inner.zip", "zip"), ("送付/inner.zip/名簿.csv", "csv")]


def test_cp932_member_names_as_windows_writes_them() -> None:
    data = zip_bytes({"認定者一覧.txt": ROSTER_TEXT.encode("cp932")}, cp932_names=True)
    extraction = extract_bytes(data, "a.zip")
    assert [p.origin for p in extraction.parts] == ["認定者一覧.txt"]


def test_depth_limit() -> None:
    data = ROSTER_TEXT.encode()
    for level in range(8):
        data = zip_bytes({f"level{level}.zip" if level else "a.txt": data})
    extraction = extract_bytes(data, "deep.zip")
    assert any(
        p.code == ProblemCode.TOO_LARGE and "nested deeper" in p.detail for p in extraction.problems
    )


def test_aes_encrypted_member_is_unscannable() -> None:
    extraction = extract_bytes(aes_zip({"名簿.csv": b"secret"}), "a.zip")
    assert [(p.code, p.location) for p in extraction.problems] == [
        (ProblemCode.ENCRYPTED, "名簿.csv")
    ]
    assert "AES" in extraction.problems[0].detail


def test_zipcrypto_member_is_unscannable() -> None:
    extraction = extract_bytes(flag_encrypted(zip_bytes({"名簿.csv": b"x,y"})), "a.zip")
    assert [p.code for p in extraction.problems] == [ProblemCode.ENCRYPTED]
    assert "ZipCrypto" in extraction.problems[0].detail


def test_path_traversal_name_is_flagged() -> None:
    extraction = extract_bytes(zip_bytes({"../../etc/cron.d/x": b"hello"}), "a.zip")
    assert [p.code for p in extraction.problems] == [ProblemCode.SUSPICIOUS_NAME]


def test_double_extension_and_rtl_override_are_flagged() -> None:
    for name in ("名簿.xlsx.exe", "名簿\u202excsl.exe"):
        extraction = extract_bytes(zip_bytes({name: b"MZ\x90\x00" + bytes(64)}), "a.zip")
        codes = {p.code for p in extraction.problems}
        assert ProblemCode.SUSPICIOUS_NAME in codes, name
        assert ProblemCode.UNSUPPORTED in codes  # and the program itself is not read


def test_seven_zip_is_read(scanner: Scanner) -> None:
    report = scanner.scan_bytes(seven_zip({"メモ.txt": ROSTER_TEXT.encode("utf-8")}), "a.7z")
    assert report.entities == {"JP_MY_NUMBER": 1, "PERSON_NAME": 1, "PHONE_NUMBER": 1}
    assert report.findings[0].location.startswith("メモ.txt, line")


def test_encrypted_seven_zip_is_unscannable() -> None:
    extraction = extract_bytes(seven_zip({"a.txt": b"x"}, password="pw"), "a.7z")
    assert [p.code for p in extraction.problems] == [ProblemCode.ENCRYPTED]


def test_rar_cannot_be_inspected() -> None:
    extraction = extract_bytes(b"Rar!\x1a\x07\x01\x00" + bytes(100), "a.rar")
    assert [p.code for p in extraction.problems] == [ProblemCode.UNSUPPORTED]
    assert "RAR" in extraction.problems[0].detail
