"""Calendar dates as Japanese offices write them, with each era's real bounds.

Western forms (1940/03/02, 1940-03-02, 1940.3.2, 19400302, 1940年3月2日) and era forms
(昭和15年3月2日, S15.3.2, 平成元年1月8日; 明治/大正/昭和/平成/令和 and M/T/S/H/R). A date
outside its era (昭和65年, 平成元年1月7日) is not a date. Shared with the test generators,
which write era dates the same way.
"""

from __future__ import annotations

import re
from datetime import date

# Era: (first day, last day), per the imperial succession dates (改元).
ERAS: dict[str, tuple[date, date]] = {
    "明治": (date(1868, 1, 25), date(1912, 7, 29)),
    "大正": (date(1912, 7, 30), date(1926, 12, 24)),
    "昭和": (date(1926, 12, 25), date(1989, 1, 7)),
    "平成": (date(1989, 1, 8), date(2019, 4, 30)),
    "令和": (date(2019, 5, 1), date(9999, 12, 31)),
}
ERA_LETTERS = {"M": "明治", "T": "大正", "S": "昭和", "H": "平成", "R": "令和"}

_ERA = r"(?P<era>明治|大正|昭和|平成|令和|[MTSHR](?=[0-9元]))"
_ERA_DATE = (
    _ERA + r"\s?(?P<ey>元|[0-9]{1,2})\s?(?:年|[./-])\s?(?P<em>[0-9]{1,2})\s?(?:月|[./-])"
    r"\s?(?P<ed>[0-9]{1,2})日?"
)
_WESTERN_DATE = (
    r"(?<![0-9])(?P<wy>1[89][0-9]{2}|20[0-9]{2})\s?(?:年|(?P<sep>[./-]))\s?(?P<wm>[0-9]{1,2})\s?"
    r"(?:月|(?P=sep))\s?(?P<wd>[0-9]{1,2})(?:日|(?![0-9]))"
)
_COMPACT_DATE = (
    r"(?<![0-9])(?P<cy>1[89][0-9]{2}|20[0-9]{2})(?P<cm>[01][0-9])(?P<cd>[0-3][0-9])(?![0-9])"
)

DATE_PATTERN = re.compile(f"{_ERA_DATE}|{_WESTERN_DATE}")
COMPACT_PATTERN = re.compile(_COMPACT_DATE)


def era_date(era: str, year: int, month: int, day: int) -> date | None:
    """The Gregorian date of an era date, or None if it does not exist within the era."""
    era = ERA_LETTERS.get(era.upper(), era) if len(era) == 1 else era
    if era not in ERAS or year < 1:
        return None
    first, last = ERAS[era]
    try:
        result = date(first.year + year - 1, month, day)
    except ValueError:
        return None
    return result if first <= result <= last else None


def to_era(value: date) -> tuple[str, int]:
    """(era name, year of era) of a Gregorian date."""
    for name, (first, last) in ERAS.items():
        if first <= value <= last:
            return name, value.year - first.year + 1
    raise ValueError(f"{value} is before the Meiji era")


def parse_match(match: re.Match[str]) -> date | None:
    """The date a ``DATE_PATTERN`` or ``COMPACT_PATTERN`` match denotes, if it exists."""
    groups = match.groupdict()
    try:
        if groups.get("era"):
            year = 1 if groups["ey"] == "元" else int(groups["ey"])
            return era_date(groups["era"], year, int(groups["em"]), int(groups["ed"]))
        if groups.get("wy"):
            return date(int(groups["wy"]), int(groups["wm"]), int(groups["wd"]))
        if groups.get("cy"):
            return date(int(groups["cy"]), int(groups["cm"]), int(groups["cd"]))
    except ValueError:
        return None
    return None


def parse_date(text: str) -> date | None:
    """The date ``text`` (already NFKC-normalised) consists of, or None."""
    text = text.strip()
    match = DATE_PATTERN.fullmatch(text) or COMPACT_PATTERN.fullmatch(text)
    return parse_match(match) if match else None


def age_on(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))
