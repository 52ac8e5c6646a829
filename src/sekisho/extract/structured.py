"""Records written as text: SQL ``INSERT`` statements, JSON arrays of objects, runs of
tab-separated lines (a range pasted from Excel, an HTML table) and Markdown pipe tables.

A developer mails a database extract as ``INSERT INTO residents (name, birth_date, sex)
VALUES ('山田 太郎', '1950-01-02', '男'), …`` or as ``[{"name": …, "birth_date": …}, …]``.
Read as running text, a birth date on a tuple line has no label (the column list is on
the statement's first line) and every row is the same "line"; read as what it is — a table
with the column names as its header — each tuple is a row and the columns are classified by
their names, as in a spreadsheet. The statements are blanked out of the text (line numbers
of what remains are kept); a JSON document's values outside such arrays stay as text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from itertools import accumulate
from typing import Any

from sekisho.extract.header import guess_header_row
from sekisho.extract.parts import Cell, Part, TablePart, TextPart, join_origin

MIN_ROWS = 1
MIN_TAB_LINES = 2  # a header and one record
_INSERT = re.compile(
    r"INSERT\s+(?:IGNORE\s+)?INTO\s+(?P<table>[\w.\"`\[\]]+)\s*\((?P<columns>[^()]*)\)\s*VALUES\s*",
    re.IGNORECASE,
)
_UNQUOTE = str.maketrans("", "", '"`[]')


def record_parts(text: str, origin: str) -> list[Part]:
    """The text as parts: tables for the records it writes out, text for the rest."""
    stripped = text.lstrip()
    if stripped[:1] in ("[", "{"):
        parts = _json_parts(text, origin)
        if parts is not None:
            return parts
    tables: list[Part] = []
    if "insert" in text[:200_000].lower():
        text = _sql_tables(text, origin, tables)
    if "|" in text:
        text = _line_tables(text, origin, tables, _pipe_run)
    if "\t" in text:
        text = _line_tables(text, origin, tables, _tab_run)
    if not tables:
        return [TextPart(text, origin)]
    return [*tables, TextPart(text, origin)] if text.strip() else tables


def _blank(chars: list[str], start: int, end: int) -> None:
    """Spaces over what a table took, line breaks kept: the text's line numbers stay."""
    for i in range(start, end):
        if chars[i] != "\n":
            chars[i] = " "


Run = tuple[int, list[list[Cell]] | None, int | None]  # past its end, its rows, header row


def _line_tables(
    text: str, origin: str, tables: list[Part], run_at: Callable[[list[str], int], Run]
) -> str:
    """Tables made of whole lines (``run_at`` tells where one starts and what it holds),
    each blanked out of the text that is returned."""
    lines = text.split("\n")
    starts = [0, *accumulate(len(line) + 1 for line in lines)]
    chars: list[str] | None = None
    i = 0
    while i < len(lines):
        j, rows, header = run_at(lines, i)
        if rows is not None:
            tables.append(
                TablePart(
                    rows=rows,
                    origin=join_origin(origin, f"lines {i + 1}-{j}"),
                    header_row=header,
                    style="file",
                )
            )
            chars = chars if chars is not None else list(text)
            _blank(chars, starts[i], starts[j] - 1)
        i = max(j, i + 1)
    return "".join(chars) if chars is not None else text


def _tab_run(lines: list[str], i: int) -> Run:
    """Lines with the same number of tabs: a range pasted from Excel into a mail, or an
    HTML table as ``html_to_text`` lays it out (a tab before every cell)."""
    tabs = lines[i].count("\t")
    j = i
    while j < len(lines) and tabs and lines[j].count("\t") == tabs and _cells(lines[j]):
        j += 1
    # most lines of a table fill two cells or more; an indented paragraph fills one
    if j - i < MIN_TAB_LINES or sum(_cells(line) >= 2 for line in lines[i:j]) * 2 <= j - i:
        return j, None, None
    rows: list[list[Cell]] = [[c.strip() for c in line.split("\t")] for line in lines[i:j]]
    if all(not row[0] for row in rows):  # HTML cells each begin with a tab
        rows = [row[1:] for row in rows]
    return j, rows, guess_header_row(rows)


_PIPE_ROW = re.compile(r"[ \t]*\|.*\|[ \t]*")
_PIPE_RULE = re.compile(r"[ \t]*\|[\s|:\-+]*\|[ \t]*")


def _pipe_run(lines: list[str], i: int) -> Run:
    """Markdown and wiki tables (``| 氏名 | 生年月日 |`` rows, a ``|---|`` rule under the
    header): the rows, without the rule."""
    j = i
    while j < len(lines) and _PIPE_ROW.fullmatch(lines[j]):
        j += 1
    body = [line for line in lines[i:j] if not _PIPE_RULE.fullmatch(line)]
    if len(body) < MIN_TAB_LINES or len({line.count("|") for line in body}) != 1:
        return j, None, None
    rows: list[list[Cell]] = [[c.strip() for c in line.strip()[1:-1].split("|")] for line in body]
    has_rule = len(body) < j - i
    return j, rows, 0 if has_rule else guess_header_row(rows)


def _cells(line: str) -> int:
    return sum(1 for cell in line.split("\t") if cell.strip())


def _sql_tables(text: str, origin: str, tables: list[Part]) -> str:
    chars = list(text)
    for match in _INSERT.finditer(text):
        columns = [c.strip().translate(_UNQUOTE) for c in match["columns"].split(",")]
        rows, end = _tuples(text, match.end())
        if len(rows) < MIN_ROWS or not any(len(r) == len(columns) for r in rows):
            continue
        name = match["table"].translate(_UNQUOTE)
        tables.append(
            TablePart(
                rows=[columns, *rows],
                origin=join_origin(
                    origin, f"INSERT INTO {name} (line {_line(text, match.start())})"
                ),
                header_row=0,
                style="records",
            )
        )
        _blank(chars, match.start(), end)
    return "".join(chars)


def _line(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _tuples(text: str, pos: int) -> tuple[list[list[Cell]], int]:
    """The ``(…), (…)`` after VALUES, up to the statement's end; where it ended."""
    rows: list[list[Cell]] = []
    n = len(text)
    while pos < n:
        while pos < n and text[pos] in " \t\r\n,":
            pos += 1
        if pos >= n or text[pos] != "(":
            break
        row, pos = _tuple(text, pos + 1)
        if row is None:
            break
        rows.append(row)
    if pos < n and text[pos] == ";":
        pos += 1
    return rows, pos


def _tuple(text: str, pos: int) -> tuple[list[Cell] | None, int]:
    """One parenthesised row: quoted strings (with '' and backslash escapes), numbers,
    NULL, and function calls kept as their text (``DATE '1950-01-02'`` keeps its string)."""
    values: list[Cell] = []
    current: list[str] = []
    quoted: str | None = None
    depth = 0
    n = len(text)
    while pos < n:
        ch = text[pos]
        if ch == "'":
            end, value = _sql_string(text, pos)
            if end < 0:
                return None, n
            quoted = value if quoted is None else quoted + value
            pos = end
            continue
        if ch == "(":
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
        elif ch in ",)" and not depth:
            raw = "".join(current).strip()
            if quoted is not None:
                values.append(quoted)
            elif raw.upper() == "NULL" or not raw:
                values.append(None)
            else:
                values.append(raw)
            current, quoted = [], None
            pos += 1
            if ch == ")":
                return values, pos
            continue
        current.append(ch)
        pos += 1
    return None, n


def _sql_string(text: str, pos: int) -> tuple[int, str]:
    out: list[str] = []
    i, n = pos + 1, len(text)
    while i < n:
        ch = text[i]
        if ch == "\\" and i + 1 < n:
            out.append(text[i + 1])
            i += 2
            continue
        if ch == "'":
            if i + 1 < n and text[i + 1] == "'":
                out.append("'")
                i += 2
                continue
            return i + 1, "".join(out)
        out.append(ch)
        i += 1
    return -1, ""


def _json_parts(text: str, origin: str) -> list[Part] | None:
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        return None
    tables: list[Part] = []
    loose: list[str] = []
    for path, raw, value in _walk(document, "$", "$"):
        if isinstance(value, list):
            tables.append(
                TablePart(
                    rows=_object_rows(value),
                    origin=join_origin(origin, f"JSON {path}"),
                    header_row=0,
                    style="records",
                )
            )
            if raw != path:  # the keys the place leaves out are content, and read as such
                loose.append(raw)
        else:
            loose.append(f"{raw}: {value}")
    if not tables:
        return None
    if loose:
        tables.append(TextPart("\n".join(loose), join_origin(origin, "JSON values")))
    return tables


def _walk(value: Any, path: str, raw: str) -> Iterator[tuple[str, str, Any]]:
    """Arrays of objects whole (they become tables), every other scalar; each with its
    path as a place names it (``_key``) and as written."""
    if isinstance(value, list):
        tabled = bool(value) and sum(isinstance(v, dict) for v in value) * 2 > len(value)
        if tabled:
            yield path, raw, [v for v in value if isinstance(v, dict)]
        for i, v in enumerate(value):
            if not (tabled and isinstance(v, dict)):
                yield from _walk(v, f"{path}[{i}]", f"{raw}[{i}]")
    elif isinstance(value, dict):
        for key, v in value.items():
            yield from _walk(v, f"{path}.{_key(key)}", f"{raw}.{key}")
    elif value is not None and not isinstance(value, bool):
        yield path, raw, value


_SCHEMA_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]{0,40}")


def _key(key: str) -> str:
    """A key as a place names it: a schema's name (residents, data) as it is; any other
    key ({"山田太郎": {...}}) may itself be personal data, and places are never masked."""
    return key if _SCHEMA_KEY.fullmatch(key) else "{…}"


def _object_rows(items: list[dict[str, Any]]) -> list[list[Cell]]:
    """Keys in order of first appearance as the header; nested values as their JSON."""
    keys: dict[str, None] = {}
    for item in items:
        keys.update(dict.fromkeys(item))
    header: list[Cell] = list(keys)
    rows: list[list[Cell]] = [header]
    for item in items:
        row: list[Cell] = []
        for key in keys:
            v = item.get(key)
            if isinstance(v, dict | list):
                row.append(json.dumps(v, ensure_ascii=False))
            elif isinstance(v, bool) or v is None:
                row.append(None)
            else:
                row.append(v)
        rows.append(row)
    return rows
