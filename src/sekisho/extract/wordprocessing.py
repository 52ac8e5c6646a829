"""Word (docx) and PowerPoint (pptx) packages.

docx: the body's paragraphs, its tables (kept as tables, so that columns are classified),
headers and footers, comments, footnotes and endnotes, and tracked changes: inserted text
is read with the rest, and deleted text (``w:delText``) too — a deletion still travels in
the file. pptx: every slide's text and tables, and the speaker notes.
"""

from __future__ import annotations

import re
import zipfile
from typing import TYPE_CHECKING
from xml.etree.ElementTree import Element

from sekisho.extract import ooxml
from sekisho.extract.header import guess_header_row
from sekisho.extract.parts import TablePart, TextPart
from sekisho.extract.problems import ProblemCode

if TYPE_CHECKING:
    from sekisho.extract.dispatch import FileContext, Walker

_WORD_TEXT = frozenset({"t", "delText"})


def read_docx(walker: Walker, data: bytes, ctx: FileContext) -> None:
    with ooxml.open_zip(data) as zf:
        if not ooxml.check_no_dtd(walker, zf, ctx.origin):
            return
        names = ooxml.member_names(zf)
        tables = 0
        main = ooxml.main_part(zf, "docx", "word/document.xml")
        if main not in names:
            walker.problem(
                ProblemCode.CORRUPT, ctx.origin, f"the main document part {main} is missing"
            )
            return
        stories = [main]
        stories += sorted(n for n in names if re.fullmatch(r"word/(header|footer)\d*\.xml", n))
        stories += [
            n
            for n in ("word/comments.xml", "word/footnotes.xml", "word/endnotes.xml")
            if n in names
        ]
        for story in stories:
            root = ooxml.read_xml(walker, zf, story)
            if root is None:
                continue
            label = _story_label(story)
            lines: list[str] = []
            body = next(ooxml.iter_local(root, "body"), root)
            for block in _blocks(body):
                if ooxml.local(block.tag) == "tbl":
                    tables += 1
                    _table(walker, block, ctx.place(f"table {tables}"), "tc", "tr", _WORD_TEXT, "p")
                else:
                    lines.append(ooxml.text_of(block, _WORD_TEXT))
            if any(line.strip() for line in lines):
                walker.part(TextPart("\n".join(lines), ctx.place(label)))
        ooxml.read_charts(walker, zf, ctx.place)
        ooxml.read_properties(walker, zf, ctx.place("document properties"))
        ooxml.read_embeddings(walker, zf, ctx.member, "word/embeddings/")


def _story_label(name: str) -> str:
    """word/document.xml → body, word/header2.xml → header 2, word/comments.xml → comments."""
    base = name.rsplit("/", 1)[-1].removesuffix(".xml")
    if base == "document":
        return "body"
    match = re.fullmatch(r"([a-z]+?)(\d+)", base)
    return f"{match.group(1)} {match.group(2)}" if match else base


def _blocks(container: Element) -> list[Element]:
    """Paragraphs and tables in document order; paragraphs inside tables stay in the table,
    and comments' and notes' paragraphs come out one by one."""
    out: list[Element] = []
    for child in container:
        tag = ooxml.local(child.tag)
        if tag in ("p", "tbl"):
            out.append(child)
        elif tag in ("comment", "footnote", "endnote", "sdt", "sdtContent", "customXml", "ins"):
            out.extend(_blocks(child))
    return out


def _table(
    walker: Walker,
    table: Element,
    origin: str,
    cell_tag: str,
    row_tag: str,
    text_tags: frozenset[str],
    paragraph_tag: str,
) -> None:
    rows: list[list[str]] = []
    for row in table:
        if ooxml.local(row.tag) != row_tag:
            continue
        cells = []
        for cell in row:
            if ooxml.local(cell.tag) == cell_tag:
                paragraphs = [p for p in cell.iter() if ooxml.local(p.tag) == paragraph_tag]
                cells.append("\n".join(ooxml.text_of(p, text_tags) for p in paragraphs))
        rows.append(cells)
    if rows:
        walker.part(
            TablePart(rows=rows, origin=origin, header_row=guess_header_row(rows), style="file")
        )


def read_pptx(walker: Walker, data: bytes, ctx: FileContext) -> None:
    with ooxml.open_zip(data) as zf:
        if not ooxml.check_no_dtd(walker, zf, ctx.origin):
            return
        names = ooxml.member_names(zf)
        slides = sorted(
            (int(m.group(1)), n)
            for n in names
            if (m := re.fullmatch(r"ppt/slides/slide(\d+)\.xml", n))
        )
        for number, name in slides:
            _slide(walker, zf, name, ctx.place(f"slide {number}"), ctx)
            notes = f"ppt/notesSlides/notesSlide{number}.xml"
            if notes in names:
                _slide(walker, zf, notes, ctx.place(f"slide {number} notes"), ctx)
        ooxml.read_charts(walker, zf, ctx.place)
        ooxml.read_properties(walker, zf, ctx.place("document properties"))
        ooxml.read_embeddings(walker, zf, ctx.member, "ppt/embeddings/")


def _slide(walker: Walker, zf: zipfile.ZipFile, name: str, origin: str, ctx: FileContext) -> None:
    root = ooxml.read_xml(walker, zf, name)
    if root is None:
        return
    in_tables: set[int] = set()
    for number, table in enumerate(ooxml.iter_local(root, "tbl"), start=1):
        in_tables.update(id(e) for e in table.iter())
        _table(walker, table, f"{origin}, table {number}", "tc", "tr", frozenset({"t"}), "p")
    lines = [
        ooxml.text_of(p, frozenset({"t"}))
        for p in ooxml.iter_local(root, "p")
        if id(p) not in in_tables
    ]
    if any(line.strip() for line in lines):
        walker.part(TextPart("\n".join(lines), origin))
