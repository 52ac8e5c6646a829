"""OpenDocument text and presentations (odt, odp): paragraphs, headings and tables of
content.xml, and the document properties of meta.xml. Spreadsheets (ods) go to calamine."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sekisho.extract import ooxml
from sekisho.extract.header import guess_header_row
from sekisho.extract.parts import TablePart, TextPart

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

    from sekisho.extract.dispatch import FileContext, Walker

_MAX_REPEAT = 1000  # table:number-columns-repeated can claim a million empty cells


def is_encrypted(walker: Walker, data: bytes) -> bool:
    """Whether an OpenDocument package's content is password-protected: its manifest
    gives content.xml ``encryption-data`` (the bytes are AES over deflate: no reader can
    tell them from damage, so the manifest is asked first)."""
    try:
        with ooxml.open_zip(data) as zf:
            manifest = ooxml.read_xml(walker, zf, "META-INF/manifest.xml")
    except Exception:  # not a readable package: its reader says what is wrong
        return False
    if manifest is None:
        return False
    for entry in ooxml.iter_local(manifest, "file-entry"):
        path = next((v for k, v in entry.attrib.items() if k.endswith("full-path")), "")
        if path == "content.xml" and next(ooxml.iter_local(entry, "encryption-data"), None):
            return True
    return False


def encrypted_problem(walker: Walker, ctx: FileContext) -> None:
    from sekisho.extract.problems import ProblemCode

    walker.problem(ProblemCode.ENCRYPTED, ctx.origin, "password-protected OpenDocument file")


def read_odf(walker: Walker, data: bytes, ctx: FileContext) -> None:
    if is_encrypted(walker, data):
        encrypted_problem(walker, ctx)
        return
    with ooxml.open_zip(data) as zf:
        root = ooxml.read_xml(walker, zf, "content.xml")
        if root is None:
            return
        in_tables: set[int] = set()
        for number, table in enumerate(ooxml.iter_local(root, "table"), start=1):
            in_tables.update(id(e) for e in table.iter())
            rows = [_row(row) for row in ooxml.iter_local(table, "table-row")]
            if rows:
                walker.part(
                    TablePart(
                        rows=rows,
                        origin=ctx.place(f"table {number}"),
                        header_row=guess_header_row(rows),
                        style="file",
                    )
                )
        lines = [
            "".join(p.itertext())
            for p in root.iter()
            if ooxml.local(p.tag) in ("p", "h") and id(p) not in in_tables
        ]
        if any(line.strip() for line in lines):
            walker.part(TextPart("\n".join(lines), ctx.place("body")))
        ooxml.read_properties(walker, zf, ctx.place("document properties"))


def _row(row: Element) -> list[str]:
    cells: list[str] = []
    for cell in row:
        if ooxml.local(cell.tag) not in ("table-cell", "covered-table-cell"):
            continue
        text = "\n".join("".join(p.itertext()) for p in cell if ooxml.local(p.tag) == "p")
        repeat = min(
            int(
                next(
                    (v for k, v in cell.attrib.items() if k.endswith("number-columns-repeated")),
                    "1",
                )
            ),
            _MAX_REPEAT,
        )
        cells.extend([text] * (repeat if text else 1))
    return cells
