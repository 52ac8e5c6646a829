"""Pictures are noted, not unscannable — but only bytes that are a picture and nothing else
(issue 11: every mail with a logo was held; the exemption must not become a way out)."""

from __future__ import annotations

import io
import zlib

import pytest
from PIL import Image

from sekisho.scan import Scanner
from tests.extract.builders import eml_bytes
from tests.factories import csv_bytes

ROSTER = csv_bytes(
    [["氏名", "電話番号"]] + [[f"山田 太郎{i}", f"090-1234-{i:04d}"] for i in range(30)]
)


def _picture(fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (16, 8), (200, 30, 30)).save(out, fmt, **options)
    return out.getvalue()


@pytest.fixture(scope="module")
def scanner() -> Scanner:
    return Scanner()


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "GIF", "BMP", "WEBP"])
def test_a_picture_is_noted_and_the_file_stays_scannable(scanner: Scanner, fmt: str) -> None:
    report = scanner.scan_bytes(_picture(fmt), f"logo.{fmt.lower()}")
    assert not report.unscannable, report.problems
    assert [n.code for n in report.notes] == ["image"]
    assert report.to_dict()["notes"][0]["reason_ja"].startswith("画像")


def test_a_mail_with_a_photo_is_not_unscannable(scanner: Scanner) -> None:
    mail = eml_bytes("会議の写真です。", {"写真.jpg": _picture("JPEG", quality=80)})
    report = scanner.scan_bytes(mail, "message.eml", kind="eml")
    assert not report.unscannable and [n.code for n in report.notes] == ["image"]
    assert report.records == 0


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "GIF"])
def test_a_roster_after_the_picture_is_read(scanner: Scanner, fmt: str) -> None:
    report = scanner.scan_bytes(_picture(fmt) + ROSTER, f"photo.{fmt.lower()}")
    assert report.entities.get("PHONE_NUMBER") == 30 and report.records >= 1


def test_a_zip_after_a_jpeg_is_read(scanner: Scanner) -> None:
    from tests.extract.builders import zip_bytes

    report = scanner.scan_bytes(_picture("JPEG") + zip_bytes({"名簿.csv": ROSTER}), "a.jpg")
    assert report.entities.get("PHONE_NUMBER") == 30 and report.records >= 1


def test_text_a_png_carries_is_read(scanner: Scanner) -> None:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_itxt("Comment", "氏名 山田太郎 携帯 090-1234-5678", zip=True)
    report = scanner.scan_bytes(_picture("PNG", pnginfo=info), "a.png")
    assert report.records == 1 and "PHONE_NUMBER" in report.entities


def test_picture_magic_over_other_bytes_is_damaged_not_exempt(scanner: Scanner) -> None:
    for fake in (b"\x89PNG\r\n\x1a\n" + ROSTER, b"\xff\xd8\xff" + ROSTER, b"GIF89a" + ROSTER):
        report = scanner.scan_bytes(fake, "x.png")
        assert report.unscannable and report.problems[0].code == "corrupt", fake[:8]


def test_a_compressed_text_bomb_stops_at_the_limit(scanner: Scanner) -> None:
    import struct

    png = _picture("PNG")
    bomb = zlib.compress(b"a" * (64 << 20), 9)
    body = b"Comment\x00\x00" + bomb
    chunk = (
        struct.pack(">I", len(body))
        + b"zTXt"
        + body
        + struct.pack(">I", zlib.crc32(b"zTXt" + body))
    )
    report = scanner.scan_bytes(png[:33] + chunk + png[33:], "bomb.png")
    assert not report.unscannable and report.records == 0
