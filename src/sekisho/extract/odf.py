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


def read_odf(walker: Walker, data: bytes, ctx: FileContext) -> None:
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
