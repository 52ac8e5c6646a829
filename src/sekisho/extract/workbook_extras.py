"""The places of an xlsx package a person does not see: cell comments and notes, pivot
caches (the source rows of a table of totals), defined names, document properties and
embedded files."""

from __future__ import annotations

import html
import io
import re
import zipfile
from datetime import datetime
from typing import TYPE_CHECKING

from sekisho.extract import ooxml
from sekisho.extract.limits import LimitExceeded
from sekisho.extract.parts import Cell, TablePart, TextPart

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

    from sekisho.extract.dispatch import FileContext, Walker


def check_package(walker: Walker, data: bytes, ctx: FileContext) -> bool:
    """Refuse a workbook whose sheets would inflate past the limits or that declares XML
    entities, before calamine (which we cannot stop half-way) reads it."""
    try:
        zf = ooxml.open_zip(data)
    except zipfile.BadZipFile:
        return True  # calamine will say what is wrong
    with zf:
        total = 0
        for info in zf.infolist():
            walker.budget.check_ratio(info.file_size, info.compress_size)
            total += info.file_size
            if info.file_size > walker.limits.max_part_bytes:
                raise LimitExceeded(
                    f"{info.filename}: {info.file_size:,} bytes > {walker.limits.max_part_bytes:,}"
                )
        if total > walker.limits.max_total_bytes:
            raise LimitExceeded(
                f"the workbook inflates to {total:,} bytes > {walker.limits.max_total_bytes:,}"
            )
        return ooxml.check_no_dtd(walker, zf, ctx.origin)


def read_extras(walker: Walker, data: bytes, ctx: FileContext) -> None:
    try:
        zf = ooxml.open_zip(data)
    except zipfile.BadZipFile:
        return
    with zf:
        sheets = _sheet_parts(walker, zf)
        for sheet_name, part in sheets:
            _read_comments(walker, zf, ctx, sheet_name, part)
        _read_pivot_caches(walker, zf, ctx)
        _read_defined_names(walker, zf, ctx)
        ooxml.read_charts(walker, zf, ctx.place)
        ooxml.read_properties(walker, zf, ctx.place("document properties"))
        ooxml.read_embeddings(walker, zf, ctx.member, "xl/embeddings/")


def _sheet_parts(walker: Walker, zf: zipfile.ZipFile) -> list[tuple[str, str]]:
    root = ooxml.read_xml(walker, zf, "xl/workbook.xml")
    if root is None:
        return []
    rels = ooxml.relationships(walker, zf, "xl/workbook.xml")
    found = []
    for sheet in ooxml.iter_local(root, "sheet"):
        rid = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), "")
        if rid in rels:
            found.append((sheet.get("name", ""), rels[rid][1]))
    return found


def _read_comments(
    walker: Walker, zf: zipfile.ZipFile, ctx: FileContext, sheet: str, part: str
) -> None:
    for kind, target in ooxml.relationships(walker, zf, part).values():
        if kind not in ("comments", "threadedComment"):
            continue
        root = ooxml.read_xml(walker, zf, target)
        if root is None:
            continue
        tag = "comment" if kind == "comments" else "threadedComment"
        for comment in ooxml.iter_local(root, tag):
            text = ooxml.text_of(comment, frozenset({"t", "text"}))
            if text.strip():
                label = "comment" if kind == "comments" else "threaded comment"
                walker.part(
                    TextPart(
                        text, ctx.place(f"sheet {sheet}, {label} at {comment.get('ref', '?')}")
                    )
                )


def _read_pivot_caches(walker: Walker, zf: zipfile.ZipFile, ctx: FileContext) -> None:
    names = sorted(
        n for n in ooxml.member_names(zf) if n.startswith("xl/pivotCache/pivotCacheDefinition")
    )
    for number, definition_name in enumerate(names, start=1):
        definition = ooxml.read_xml(walker, zf, definition_name)
        if definition is None:
            continue
        fields: list[str] = []
        shared: list[list[Cell]] = []
        for field in ooxml.iter_local(definition, "cacheField"):
            fields.append(field.get("name", ""))
            items = next(ooxml.iter_local(field, "sharedItems"), None)
            shared.append([_item(e) for e in items] if items is not None else [])
        records_name = definition_name.replace("pivotCacheDefinition", "pivotCacheRecords")
        records = ooxml.read_xml(walker, zf, records_name)
        if records is None:
            continue
        rows: list[list[Cell]] = [list(fields)]
        for record in ooxml.iter_local(records, "r"):
            row: list[Cell] = []
            for i, value in enumerate(record):
                if ooxml.local(value.tag) == "x":
                    index = int(value.get("v", "0"))
                    pool = shared[i] if i < len(shared) else []
                    row.append(pool[index] if index < len(pool) else None)
                else:
                    row.append(_item(value))
            rows.append(row)
        if len(rows) > 1:
            walker.part(
                TablePart(
                    rows=rows,
                    origin=ctx.place(f"pivot cache {number}"),
                    header_row=0,
                    style="records",
                )
            )


def _item(element: Element) -> Cell:
    tag, value = ooxml.local(element.tag), element.get("v")
    if value is None:
        return None
    if tag == "n":
        number = float(value)
        return int(number) if number.is_integer() else number
    if tag == "d":
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        return moment.date() if moment.time() == datetime.min.time() else moment
    if tag == "b":
        return value in ("1", "true")
    return value


def _read_defined_names(walker: Walker, zf: zipfile.ZipFile, ctx: FileContext) -> None:
    root = ooxml.read_xml(walker, zf, "xl/workbook.xml")
    if root is None:
        return
    lines = [
        f"{name.get('name', '')}: {name.text or ''}"
        for name in ooxml.iter_local(root, "definedName")
        if not name.get("name", "").startswith("_xlnm.")
    ]
    if lines:
        walker.part(TextPart("\n".join(lines), ctx.place("defined names")))


_NOT_GRID_RELATIONSHIPS = ("xlMacrosheet", "xlIntlMacrosheet", "dialogsheet")


def without_macro_sheets(walker: Walker, data: bytes) -> tuple[bytes, list[tuple[str, str]]] | None:
    """The workbook without its Excel 4 macro and dialog sheets (which calamine refuses,
    and with them the whole workbook), and those sheets' (name, part); None when it has
    none. The sheets' cells are read apart by ``read_macro_sheet``."""
    with ooxml.open_zip(data) as zf:
        rels = ooxml.relationships(walker, zf, "xl/workbook.xml")
        macro_ids = {rid for rid, (kind, _) in rels.items() if kind in _NOT_GRID_RELATIONSHIPS}
        if not macro_ids:
            return None
        book = zf.read("xl/workbook.xml").decode("utf-8")
        removed: list[tuple[str, str]] = []

        def drop(match: re.Match[str]) -> str:
            rid = re.search(r'\br:id="([^"]+)"', match[0]) or re.search(r'\bid="([^"]+)"', match[0])
            if rid is None or rid[1] not in macro_ids:
                return match[0]
            name = re.search(r'\bname="([^"]*)"', match[0])
            removed.append((html.unescape(name[1]) if name else rid[1], rels[rid[1]][1]))
            return ""

        book = re.sub(r"<(?:\w+:)?sheet\b[^>]*/>", drop, book)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as clean:
            for info in zf.infolist():
                content = (
                    book.encode("utf-8") if info.filename == "xl/workbook.xml" else zf.read(info)
                )
                clean.writestr(info.filename, content)
    return out.getvalue(), removed


def read_macro_sheet(walker: Walker, data: bytes, ctx: FileContext, name: str, part: str) -> None:
    """An Excel 4 macro sheet's cells as text: values, formulas and inline strings."""
    with ooxml.open_zip(data) as zf:
        root = ooxml.read_xml(walker, zf, part)
    if root is None:
        return
    lines = [e.text for e in root.iter() if ooxml.local(e.tag) in ("v", "f", "t") and e.text]
    if lines:
        walker.part(TextPart("\n".join(lines), ctx.place(f"macro sheet {name}")))
