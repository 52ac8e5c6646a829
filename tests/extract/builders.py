"""Generated fixtures of every container a clerk attaches. All content is made up."""

from __future__ import annotations

import io
import zipfile
from email.message import EmailMessage
from pathlib import Path

ROSTER = [
    ["氏名", "個人番号", "電話番号"],
    ["山田 太郎", "123456789018", "090-1234-5678"],
    ["佐藤 花子", "234567890121", "080-2345-6789"],
]
ROSTER_TEXT = "氏名：山田 太郎\n個人番号：123456789018\n電話：090-1234-5678\n"

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
A = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'


def zip_bytes(members: dict[str, bytes], *, cp932_names: bool = False) -> bytes:
    """A zip; with ``cp932_names`` the names are written as Windows Explorer does (cp932
    bytes, no UTF-8 flag), which Python's zipfile cannot write directly."""
    buffer = io.BytesIO()
    placeholders = {}
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for i, (name, data) in enumerate(members.items()):
            if cp932_names:
                raw = name.encode("cp932")
                placeholder = f"{i:0{len(raw)}d}"[-len(raw) :] if len(raw) >= 2 else "x"
                placeholder = placeholder.rjust(len(raw), "p")
                placeholders[placeholder.encode()] = raw
                zf.writestr(placeholder, data)
            else:
                zf.writestr(name, data)
    out = buffer.getvalue()
    for placeholder, raw in placeholders.items():
        out = out.replace(placeholder, raw)
    return out


def flag_encrypted(data: bytes) -> bytes:
    """Set the "encrypted" bit (ZipCrypto) in every header of a zip, as a ZipCrypto tool
    writes it (zipfile cannot write encrypted members)."""
    out = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (pos := out.find(signature, start)) >= 0:
            out[pos + offset] |= 0x01
            start = pos + 4
    return bytes(out)


def aes_zip(members: dict[str, bytes], password: bytes = b"secret") -> bytes:
    import pyzipper

    buffer = io.BytesIO()
    with pyzipper.AESZipFile(
        buffer, "w", compression=pyzipper.ZIP_DEFLATED, encryption=pyzipper.WZ_AES
    ) as zf:
        zf.setpassword(password)
        for name, data in members.items():
            zf.writestr(name, data)
    return buffer.getvalue()


def seven_zip(
    members: dict[str, bytes], password: str | None = None, tmp: Path | None = None
) -> bytes:
    import py7zr

    buffer = io.BytesIO()
    with py7zr.SevenZipFile(
        buffer, "w", password=password, header_encryption=bool(password)
    ) as archive:
        for name, data in members.items():
            archive.writestr(data, name)
    return buffer.getvalue()


def _package(parts: dict[str, str]) -> bytes:
    return zip_bytes({name: text.encode("utf-8") for name, text in parts.items()})


def _w_p(text: str) -> str:
    return f'<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def docx_bytes(
    paragraphs: list[str] = (),  # type: ignore[assignment]
    table: list[list[str]] | None = None,
    header: str = "",
    footer: str = "",
    comment: str = "",
    inserted: str = "",
    deleted: str = "",
) -> bytes:
    body = "".join(_w_p(p) for p in paragraphs)
    if table:
        rows = "".join(
            "<w:tr>" + "".join(f"<w:tc>{_w_p(c)}</w:tc>" for c in row) + "</w:tr>" for row in table
        )
        body += f"<w:tbl>{rows}</w:tbl>"
    if inserted:
        body += f'<w:p><w:ins w:id="1" w:author="x"><w:r><w:t>{inserted}</w:t></w:r></w:ins></w:p>'
    if deleted:
        body += f'<w:p><w:del w:id="2" w:author="x"><w:r><w:delText>{deleted}</w:delText></w:r></w:del></w:p>'
    parts = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        "word/document.xml": f'<?xml version="1.0"?><w:document {W}><w:body>{body}</w:body></w:document>',
    }
    if header:
        parts["word/header1.xml"] = f"<w:hdr {W}>{_w_p(header)}</w:hdr>"
    if footer:
        parts["word/footer1.xml"] = f"<w:ftr {W}>{_w_p(footer)}</w:ftr>"
    if comment:
        parts["word/comments.xml"] = (
            f'<w:comments {W}><w:comment w:id="0" w:author="x">{_w_p(comment)}</w:comment></w:comments>'
        )
    return _package(parts)


def pptx_bytes(slides: list[str], table: list[list[str]] | None = None, notes: str = "") -> bytes:
    parts = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        "ppt/presentation.xml": f'<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" {A}/>',
    }
    for number, text in enumerate(slides, start=1):
        shapes = f"<a:p><a:r><a:t>{text}</a:t></a:r></a:p>"
        if table and number == 1:
            rows = "".join(
                "<a:tr>"
                + "".join(
                    f"<a:tc><a:txBody><a:p><a:r><a:t>{c}</a:t></a:r></a:p></a:txBody></a:tc>"
                    for c in row
                )
                + "</a:tr>"
                for row in table
            )
            shapes += f"<a:tbl>{rows}</a:tbl>"
        parts[f"ppt/slides/slide{number}.xml"] = (
            f'<p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" {A}>{shapes}</p:sld>'
        )
    if notes:
        parts["ppt/notesSlides/notesSlide1.xml"] = (
            f'<p:notes xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" {A}><a:p><a:r><a:t>{notes}</a:t></a:r></a:p></p:notes>'
        )
    return _package(parts)


def odf_bytes(kind: str, paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    office = 'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
    body = "".join(f"<text:p>{p}</text:p>" for p in paragraphs)
    if table:
        rows = "".join(
            "<table:table-row>"
            + "".join(
                f'<table:table-cell office:value-type="string"><text:p>{c}</text:p></table:table-cell>'
                for c in row
            )
            + "</table:table-row>"
            for row in table
        )
        body += f'<table:table table:name="Sheet1">{rows}</table:table>'
    wrapper = "spreadsheet" if kind == "ods" else "text"
    content = f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {office} office:version="1.2"><office:body><office:{wrapper}>{body}</office:{wrapper}></office:body></office:document-content>'
    mimetype = f"application/vnd.oasis.opendocument.{'spreadsheet' if kind == 'ods' else 'text'}"
    manifest = (
        '<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="'
        + mimetype
        + '"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), mimetype)
        zf.writestr("content.xml", content)
        zf.writestr("META-INF/manifest.xml", manifest)
    return buffer.getvalue()


def pdf_bytes(
    lines: list[str], *, encrypt: str | None = None, text: bool = True, pages: str = ""
) -> bytes:
    """A PDF with ``lines`` on its first page (or, with ``text=False``, a scanned page: a
    picture, no text); ``pages`` adds pages after it: "s" a scanned page, "b" a blank one,
    "r" a page with only a frame drawn on it."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiKakuGo-W5"))
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4, encrypt=encrypt)
    if text:
        c.setFont("HeiseiKakuGo-W5", 11)
        y = 800
        for line in lines:
            c.drawString(50, y, line)
            y -= 18
    else:
        _scanned(c)
    c.showPage()
    for kind in pages:
        if kind == "s":
            _scanned(c)
        elif kind == "r":
            c.rect(50, 500, 300, 200, fill=0)
        c.showPage()
    c.save()
    return buffer.getvalue()


def _scanned(c) -> None:  # type: ignore[no-untyped-def]
    """A scanned page: one picture, no text."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    picture = Image.new("L", (120, 160), 200)
    c.drawImage(ImageReader(picture), 50, 400, 240, 320)


def eml_bytes(
    body: str,
    attachments: dict[str, bytes] | None = None,
    *,
    charset: str = "iso-2022-jp",
    attached_message: bytes | None = None,
    html: str | None = None,
) -> bytes:
    message = EmailMessage()
    message["From"] = "clerk@city.example.lg.jp"
    message["To"] = "center@care.example.jp"
    message["Subject"] = "認定者一覧の送付"
    message.set_content(body, charset=charset)
    if html is not None:
        message.add_alternative(html, subtype="html", charset="utf-8")
    for name, data in (attachments or {}).items():
        message.add_attachment(data, maintype="application", subtype="octet-stream", filename=name)
    if attached_message is not None:
        from email import message_from_bytes, policy

        message.add_attachment(message_from_bytes(attached_message, policy=policy.default))
    return message.as_bytes()


def encrypt_office(data: bytes, password: str = "secret") -> bytes:
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(data)).encrypt(password, out)
    return out.getvalue()


def xls_bytes(rows: list[list[object]], sheet: str = "名簿") -> bytes:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet(sheet)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            ws.write(r, c, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def add_members(package: bytes, members: dict[str, bytes]) -> bytes:
    """Members added to an existing zip package (a pivot cache, an embedded file)."""
    buffer = io.BytesIO(package)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buffer.getvalue()


PIVOT_DEFINITION = """<?xml version="1.0" encoding="UTF-8"?>
<pivotCacheDefinition xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" recordCount="2">
<cacheFields count="3">
<cacheField name="氏名"><sharedItems><s v="山田 太郎"/><s v="佐藤 花子"/></sharedItems></cacheField>
<cacheField name="個人番号"><sharedItems/></cacheField>
<cacheField name="地区"><sharedItems><s v="北部"/></sharedItems></cacheField>
</cacheFields></pivotCacheDefinition>"""

PIVOT_RECORDS = """<?xml version="1.0" encoding="UTF-8"?>
<pivotCacheRecords xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2">
<r><x v="0"/><s v="123456789018"/><x v="0"/></r>
<r><x v="1"/><s v="234567890121"/><x v="0"/></r>
</pivotCacheRecords>"""


def pdf_table_bytes(
    pages: list[list[list[str]]], columns: tuple[int, ...] = (50, 130, 220, 320)
) -> bytes:
    """A PDF whose pages hold rows of cells drawn at the ``columns`` x positions, as a list
    exported from Excel is: no ruling, empty cells left empty."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiKakuGo-W5"))
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4)
    for rows in pages:
        c.setFont("HeiseiKakuGo-W5", 10)
        y = 800
        for row in rows:
            for x, value in zip(columns, row, strict=False):
                c.drawString(x, y, value)
            y -= 16
        c.showPage()
    c.save()
    return buffer.getvalue()
