"""Rules of running text: who a line describes. Sex and care level only beside a person,
names in prose mentioned rather than recorded, an office's contact block nobody's, and a
correspondent's display name the envelope."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from sekisho.detect.entities import CONTACT, DESCRIBING, PERSON_NAME, may_be_person
from sekisho.detect.scoring import Hit

# A describing entity (sex, care level) in running text needs a person within this many lines.
DEPENDENT_LINES = 2


def keep_dependents_beside_people(hits: list[Hit], lines: list[int]) -> tuple[list[Hit], list[int]]:
    """Sex, care level or a diagnosis describe someone only when a person is near."""
    people = [
        line for hit, line in zip(hits, lines, strict=True) if may_be_person(hit.recognizer.entity)
    ]
    kept = [
        (hit, line)
        for hit, line in zip(hits, lines, strict=True)
        if hit.recognizer.entity not in DESCRIBING
        or any(abs(line - p) <= DEPENDENT_LINES for p in people)
    ]
    return [h for h, _ in kept], [line for _, line in kept]


PROSE_CHARS = 40
_SENTENCE = re.compile(r"[。、！？]|[.!?] ")


def is_prose(line: str) -> bool:
    """A sentence or more (a description, a newsletter, minutes), not a label and value."""
    return len(line) > PROSE_CHARS and _SENTENCE.search(line) is not None


def mentions_in_prose(
    hits: list[Hit], lines: list[int], line_text: Callable[[int], str]
) -> set[int]:
    """Indexes of names that are mentioned in prose, not recorded: no label or honorific
    (氏名, 様, さん …) and nothing else of a person on the same line. 国木田独歩 in a
    tourist spot's description, or the members named in minutes, are reported but make
    no record; 「山田太郎さんの電話は…」 does."""
    names = [
        i for i, hit in enumerate(hits) if hit.recognizer.entity == PERSON_NAME and not hit.context
    ]
    if not names:
        return set()
    personal = {
        line
        for hit, line in zip(hits, lines, strict=True)
        if hit.recognizer.entity != PERSON_NAME
        and (may_be_person(hit.recognizer.entity) or hit.recognizer.entity in CONTACT)
    }
    return {i for i in names if lines[i] not in personal and is_prose(line_text(lines[i]))}


# What marks a line as an office's contact details: an inquiries label, a fax, the
# telephone sign, office hours, or the name of an office or a business before the number.
_ORGANISATION_LINE = re.compile(
    r"問い?合わ?せ|問合せ|FAX|Fax|fax|ファクス|ファックス|☎|℡|受付時間|開庁|代表"
    r"|[課係]\b|[課係][ 　:：(（]|センター|事務所|事務局|役所|役場|支所|出張所"
    r"|株式会社|有限会社|\(株\)|協会|組合|法人|病院|医院|クリニック|学校"
)
_INQUIRIES = re.compile(r"問い?合わ?せ|問合せ|連絡窓口|担当課")
_BLOCK_LINES = 4


def organisation_contacts(
    hits: list[Hit], lines: list[int], line_text: Callable[[int], str]
) -> set[int]:
    """Indexes of addresses, phones and e-mails that are an office's, not a resident's: on a
    line that names an office, a fax or office hours, or in the few lines under a
    「問い合わせ先」 label, with nothing of a person on the same line. A city's newsletter
    ends with its inquiries block; that block describes no one."""
    contacts = [i for i, hit in enumerate(hits) if hit.recognizer.entity in CONTACT]
    if not contacts:
        return set()
    personal = {
        line
        for hit, line in zip(hits, lines, strict=True)
        if may_be_person(hit.recognizer.entity)
        and (hit.recognizer.entity != PERSON_NAME or hit.context)
    }
    found: set[int] = set()
    for i in contacts:
        line = lines[i]
        if line in personal:
            continue
        if _ORGANISATION_LINE.search(line_text(line)) or _under_inquiries(line, line_text):
            found.add(i)
    return found


def _under_inquiries(line: int, line_text: Callable[[int], str]) -> bool:
    for above in range(line - 1, max(-1, line - 1 - _BLOCK_LINES), -1):
        text = line_text(above)
        if not text.strip():
            return False  # a blank line ends the block
        if _INQUIRIES.search(text):
            return True
    return False


def drop_lone_names(hits: list[Hit], lines: list[int]) -> tuple[list[Hit], list[int]]:
    """In the display names of a message's addresses, a line holding one person's name and
    nothing else names a correspondent; every other finding stays."""
    per_line = Counter(lines)
    kept = [
        (hit, line)
        for hit, line in zip(hits, lines, strict=True)
        if not (hit.recognizer.entity == PERSON_NAME and per_line[line] == 1)
    ]
    return [h for h, _ in kept], [line for _, line in kept]
