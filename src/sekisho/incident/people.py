"""The people in what left, for telling them (本人通知): the journaled copies are opened
and scanned again, this time keeping the values, one row per person with the fields
found (name, address, …) and where each came from.

This is the one place outside the quarantine where personal data is handed out whole:
only as an export an admin asked for (and, above the threshold, a second admin
approved), never on a page or in a log. A copy that cannot be read (purged, missing,
damaged, or with parts the scanner could not open) is named in ``unlisted`` so that the
officer knows the list is short, never a silently shorter list.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sekisho.detect import Detector
from sekisho.detect.entities import (
    CONTACT,
    IDENTIFYING,
    LABELS,
    NOT_A_PERSON,
)
from sekisho.detect.inputs import cell_text
from sekisho.detect.normalize import normalize
from sekisho.detect.records import STRONG, describes_a_person
from sekisho.extract import DEFAULT_LIMITS, extract_bytes
from sekisho.store.journal import BlobDamaged, Journal

# An identifier compared without the spaces and hyphens people type into it.
_SEPARATORS = re.compile(r"[\s\-ー－‐]")


@dataclass
class Person:
    fields: dict[str, str]  # entity → value, as the file wrote it
    sources: list[str] = field(default_factory=list)  # "Sekisho ID: location"


@dataclass
class PeopleList:
    people: list[Person]
    unlisted: list[tuple[str, str]]  # (Sekisho ID, why its people are not all listed)

    @property
    def entities(self) -> list[str]:
        """The fields present, in the order clerks read them."""
        present = {entity for person in self.people for entity in person.fields}
        return [e for e in LABELS if e in present] + sorted(present - set(LABELS))


def affected_people(
    journal: Journal, sekisho_ids: Iterable[str], detector: Detector | None = None
) -> PeopleList:
    """Everyone in the kept copies of ``sekisho_ids``; a person in several copies (the
    same My Number, or the very same fields) is listed once with every source."""
    detector = detector or Detector()
    merged = _Merged()
    unlisted: list[tuple[str, str]] = []
    for sekisho_id in sekisho_ids:
        state = journal.state(sekisho_id)
        if state == "none":
            continue  # nothing personal left with it
        if state != "kept":
            unlisted.append((sekisho_id, _WHY[state]))
            continue
        try:
            data = b"".join(journal.open(sekisho_id))
        except (KeyError, BlobDamaged) as exc:
            unlisted.append((sekisho_id, f"{_WHY['missing']} ({exc})"))
            continue
        people, problems = people_in(detector, data, sekisho_id)
        for person in people:
            merged.add(person)
        if problems:
            unlisted.append((sekisho_id, "読めない部分があります / unreadable parts: " + problems))
    return PeopleList(merged.people, unlisted)


_WHY = {
    "purged": "保管期間が過ぎて削除されました / purged when its retention ended",
    "missing": "保管コピーが見つかりません / the kept copy is missing or damaged",
}


def people_in(detector: Detector, data: bytes, sekisho_id: str) -> tuple[list[Person], str]:
    """The people of one message, and its extraction problems in a line (empty: none)."""
    extraction = extract_bytes(data, sekisho_id, DEFAULT_LIMITS, kind="eml")
    parts = list(extraction.parts)
    detection = detector.detect(parts)
    rows: dict[tuple[int, int], dict[str, str]] = {}
    for column in detection.columns:
        entity = column.recognizer.entity
        for r, value in column.values():
            rows.setdefault((column.part_index, r), {}).setdefault(entity, value)
    lines: dict[tuple[int, int], dict[str, str]] = {}
    text_values: dict[int, dict[int, str]] = {}
    for finding in detection.loose:
        if not finding.counted or finding.entity in NOT_A_PERSON:
            continue
        index, line_or_row, column_or_start = finding.position
        part = parts[index]
        if finding.row is not None:  # a cell of a table the scanner read cell by cell
            cell = cell_text(part.rows[line_or_row][column_or_start])  # type: ignore[union-attr]
            rows.setdefault(finding.row, {}).setdefault(finding.entity, cell.strip())
        else:
            values = text_values.get(index)
            if values is None:
                values = text_values[index] = _values_by_start(detector, part.text)  # type: ignore[union-attr]
            value = values.get(column_or_start)
            if value is not None:
                lines.setdefault((index, line_or_row), {}).setdefault(finding.entity, value)
    people = [
        Person(fields, [f"{sekisho_id}: {parts[p].cell_location(r, 0)}"])  # type: ignore[union-attr]
        for (p, r), fields in sorted(rows.items())
        if describes_a_person(fields)
    ]
    people += [
        Person(fields, [f"{sekisho_id}: {parts[p].location(line + 1)}"])  # type: ignore[union-attr]
        for (p, line), fields in sorted(lines.items())
        if any(e in IDENTIFYING or e in CONTACT for e in fields)
    ]
    problems = "; ".join(f"{p.location}: {p.code.value}" for p in extraction.problems)
    return people, problems


def _values_by_start(detector: Detector, text: str) -> dict[int, str]:
    """The raw value of each hit of a text part by its start in the normalized text (where
    a finding's position points)."""
    norm = normalize(text).text
    return {h.candidate.start: h.candidate.value for h in detector.hits_normalized(norm, "")}


class _Merged:
    """People merged by their strong identifiers and by identical fields."""

    def __init__(self) -> None:
        self.people: list[Person] = []
        self._by_key: dict[tuple[str, str], Person] = {}

    def add(self, person: Person) -> None:
        keys = [
            (entity, _SEPARATORS.sub("", value))
            for entity, value in person.fields.items()
            if entity in STRONG
        ] or [("", repr(sorted(person.fields.items())))]
        same = next((self._by_key[k] for k in keys if k in self._by_key), None)
        if same is None:
            self.people.append(person)
            same = person
        else:
            for entity, value in person.fields.items():
                same.fields.setdefault(entity, value)
            same.sources.extend(s for s in person.sources if s not in same.sources)
        for key in keys:
            self._by_key.setdefault(key, same)


def people_xlsx(people: PeopleList, title: str) -> bytes:
    """The list as a workbook: one row per person, a column per field found, the sources
    last; a second sheet names what could not be listed."""
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    bold = workbook.add_format({"bold": True})
    sheet = workbook.add_worksheet("本人一覧")
    entities = people.entities
    header: Sequence[str] = [LABELS.get(e, (e, e))[0] for e in entities] + ["出典 / source"]
    sheet.write_row(0, 0, header, bold)
    for r, person in enumerate(people.people, start=1):
        # As text: a My Number typed as a number would lose its leading zeros.
        for c, entity in enumerate(entities):
            sheet.write_string(r, c, person.fields.get(entity, ""))
        sheet.write_string(r, len(entities), "; ".join(person.sources))
    sheet.freeze_panes(1, 0)
    notes = workbook.add_worksheet("注意")
    notes.write_row(0, 0, [title], bold)
    notes.write_row(1, 0, [f"本人の数 / people: {len(people.people)}"])
    if people.unlisted:
        notes.write_row(3, 0, ["一覧に含まれないメール / not listed", "理由 / why"], bold)
        for r, (sekisho_id, why) in enumerate(people.unlisted, start=4):
            notes.write_row(r, 0, [sekisho_id, why])
    workbook.close()
    return buffer.getvalue()
