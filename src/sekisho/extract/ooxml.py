"""Safe reading of zipped XML packages (OOXML, OpenDocument): members read within the
budget, XML parsed with defusedxml so that entity expansion (billion laughs) and external
entities are refused instead of followed."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from typing import TYPE_CHECKING
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from sekisho.extract.limits import LimitExceeded
from sekisho.extract.parts import TextPart

if TYPE_CHECKING:
    from sekisho.extract.dispatch import Walker

_CHUNK = 1 << 16


class UnsafeXml(Exception):
    """An XML member declares entities or a DTD: refused, never expanded."""


def open_zip(data: bytes) -> zipfile.ZipFile:
    """The package, with member names written by some tools with backslashes
    (``word\\document.xml``) read as the paths they mean."""
    zf = zipfile.ZipFile(io.BytesIO(data))
    for info in zf.infolist():
        if "\\" in info.filename:
            del zf.NameToInfo[info.filename]
            info.filename = info.filename.replace("\\", "/")
            zf.NameToInfo[info.filename] = info
    return zf


_MAIN_TYPES = {
    "docx": ("wordprocessingml.document.main+xml", "wordprocessingml.template.main+xml",
             "ms-word.document.macroEnabled.main+xml", "ms-word.template.macroEnabledTemplate.main+xml"),
}  # fmt: skip


def main_part(zf: zipfile.ZipFile, kind: str, default: str) -> str:
    """The package's main part as its content types name it (a docx's document need not be
    ``word/document.xml``); ``default`` when the package does not say."""
    try:
        root = parse_xml(zf.read("[Content_Types].xml"))
    except (KeyError, UnsafeXml, Exception):
        return default
    for override in iter_local(root, "Override"):
        content_type = override.get("ContentType", "")
        if content_type.endswith(_MAIN_TYPES.get(kind, ())):
            return override.get("PartName", "").lstrip("/") or default
    return default


def read_member(walker: Walker, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """A member's bytes, refused before inflating when its declared size or ratio is past
    the limits, and cut off while inflating if the declared size lied."""
    budget, limits = walker.budget, walker.limits
    budget.check_ratio(info.file_size, info.compress_size)
    if info.file_size > limits.max_part_bytes:
        raise LimitExceeded(
            f"{info.filename}: {info.file_size:,} bytes > {limits.max_part_bytes:,}"
        )
    out = io.BytesIO()
    with zf.open(info) as stream:
        while chunk := stream.read(_CHUNK):
            out.write(chunk)
            if out.tell() > limits.max_part_bytes:
                raise LimitExceeded(
                    f"{info.filename}: inflates past {limits.max_part_bytes:,} bytes"
                )
            budget.check_ratio(out.tell(), info.compress_size)
    data = out.getvalue()
    budget.take_bytes(len(data))
    return data


def parse_xml(data: bytes) -> Element:
    try:
        return SafeET.fromstring(data, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise UnsafeXml(type(exc).__name__) from exc


def local(tag: str) -> str:
    """``{namespace}t`` → ``t``."""
    return tag.rsplit("}", 1)[-1]


def iter_local(root: Element, name: str) -> Iterator[Element]:
    for element in root.iter():
        if local(element.tag) == name:
            yield element


def text_of(
    element: Element, text_tags: frozenset[str] = frozenset({"t", "delText", "instrText"})
) -> str:
    """The text of an element's text runs, in document order."""
    return "".join(e.text or "" for e in element.iter() if local(e.tag) in text_tags)


def check_no_dtd(walker: Walker, zf: zipfile.ZipFile, where: str) -> bool:
    """Whether every XML member is free of DTDs (OOXML never needs one); a member that has
    one is reported, because a parser we do not control (calamine) will read it."""
    from sekisho.extract.problems import ProblemCode

    for info in zf.infolist():
        if info.filename.endswith((".xml", ".rels", ".vml")):
            with zf.open(info) as stream:
                head = stream.read(4096)
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                walker.problem(
                    ProblemCode.UNSAFE_CONTENT, where, f"{info.filename} declares a DTD or entities"
                )
                return False
    return True


def member_names(zf: zipfile.ZipFile) -> set[str]:
    return {info.filename for info in zf.infolist()}


def read_xml(walker: Walker, zf: zipfile.ZipFile, name: str) -> Element | None:
    try:
        info = zf.getinfo(name)
    except KeyError:
        return None
    return parse_xml(read_member(walker, zf, info))


def relationships(walker: Walker, zf: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Id → (type, target path inside the package) of ``part``'s relationships."""
    folder, _, base = part.rpartition("/")
    root = read_xml(walker, zf, f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels")
    found: dict[str, tuple[str, str]] = {}
    if root is None:
        return found
    for rel in iter_local(root, "Relationship"):
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External":
            continue
        path = target.lstrip("/") if target.startswith("/") else _join(folder, target)
        found[rel.get("Id", "")] = (rel.get("Type", "").rsplit("/", 1)[-1], path)
    return found


def _join(folder: str, target: str) -> str:
    parts = [p for p in folder.split("/") if p]
    for piece in target.split("/"):
        if piece == "..":
            if parts:
                parts.pop()
        elif piece and piece != ".":
            parts.append(piece)
    return "/".join(parts)


def read_properties(walker: Walker, zf: zipfile.ZipFile, origin: str) -> None:
    """Document properties (author, last editor, title, company) as text that describes the
    document, not its subjects: its names are reported but never counted as people."""
    from sekisho.extract.parts import TextPart

    lines = []
    for name in ("docProps/core.xml", "docProps/app.xml", "meta.xml"):
        root = read_xml(walker, zf, name)
        if root is None:
            continue
        for element in root.iter():
            tag, value = local(element.tag), (element.text or "").strip()
            if value and tag in _PROPERTY_TAGS:
                lines.append(f"{_PROPERTY_TAGS[tag]}: {value}")
    if lines:
        walker.part(TextPart("\n".join(lines), origin, describes_people=False))


_PROPERTY_TAGS = {
    "creator": "作成者 author",
    "lastModifiedBy": "最終更新者 last modified by",
    "title": "タイトル title",
    "subject": "件名 subject",
    "description": "説明 description",
    "keywords": "キーワード keywords",
    "Company": "会社 company",
    "Manager": "管理者 manager",
    "initial-creator": "作成者 author",
}


_CHART = re.compile(r"(?:xl|word|ppt)/charts/chart(\d+)\.xml")


def read_charts(walker: Walker, zf: zipfile.ZipFile, ctx_place) -> None:  # type: ignore[no-untyped-def]
    """The values a chart keeps with it: series names, category labels and numbers
    (``c:strCache``, ``c:numCache``, literals) and titles. Office shows them without the
    source sheet, and a chart pasted into a document carries its data alone."""
    charts = sorted(
        (int(m[1]), info.filename)
        for info in zf.infolist()
        if (m := _CHART.fullmatch(info.filename))
    )
    for number, name in charts:
        root = read_xml(walker, zf, name)
        if root is None:
            continue
        lines = [e.text for e in root.iter() if local(e.tag) in ("v", "t") and e.text]
        if any(line.strip() for line in lines):
            walker.part(TextPart("\n".join(lines), ctx_place(f"chart {number}")))


def read_embeddings(walker: Walker, zf: zipfile.ZipFile, ctx_member, folder: str) -> None:  # type: ignore[no-untyped-def]
    """Files embedded in the package (a workbook inside a document, a CSV inside a sheet)."""
    for info in zf.infolist():
        if info.filename.startswith(folder) and not info.is_dir():
            data = read_member(walker, zf, info)
            walker.file(data, ctx_member(info.filename))
