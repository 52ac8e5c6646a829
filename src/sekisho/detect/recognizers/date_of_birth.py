"""DATE_OF_BIRTH: a person's birth date, in Western or Japanese-era form."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime

from sekisho.detect.dates import COMPACT_PATTERN, DATE_PATTERN, age_on, parse_date, parse_match
from sekisho.detect.entities import DATE_OF_BIRTH
from sekisho.detect.recognizer import Candidate, Pattern, Recognizer

MAX_AGE = 120
_WESTERN = Pattern("date", DATE_PATTERN, 0.3)
_COMPACT = Pattern("yyyymmdd", COMPACT_PATTERN, 0.2)
_AGE = re.compile(r"[(（]?\s*(?P<age>[0-9]{1,3})\s*歳")


class DateOfBirthRecognizer(Recognizer):
    """Dates that exist (an era date inside its era: 昭和64年1月8日 and 平成元年1月7日 do not)
    and give an age of 0 to 120 today. A date is a birth date only with evidence: a label or
    header (生年月日, 誕生日, …生, DOB), an age beside it that matches ("(82歳)"), or — in a
    table without such a header — a date column whose row identifies a person and whose
    dates spread over years as births do. Application, certification, meeting and validity
    dates (申請日, 認定日, 作成日, 有効期間) are not."""

    name = "DateOfBirthRecognizer"
    entity = DATE_OF_BIRTH
    patterns = (_WESTERN, _COMPACT)
    context_words = ("生年月日", "誕生日", "生まれ", "dob", "date of birth", "birth", "born")
    negative_words = (
        "申請",
        "認定日",
        "作成",
        "有効",
        "期間",
        "開催",
        "会議",
        "締切",
        "期限",
        "受付",
        "更新",
        "交付",
        "提出",
        "発行",
        "届出",
        "記入",
        "実施",
        "予定",
        "契約",
        "入所",
        "退所",
        "開始",
        "終了",
        "日時",
        "更新日",
        "報告",
    )
    requires_context = True
    value_needs_person = True
    validation_name = "calendar"
    valid_bonus = 0.0
    header_words = ("生年月日", "誕生日", "生年", "birth", "dob", "birthday")
    header_exclude = (
        "申請",
        "認定",
        "作成",
        "有効",
        "開始",
        "終了",
        "期限",
        "受付",
        "更新",
        "交付",
        # a business's or an event's dates
        "開設",
        "開所",
        "設立",
        "確認",
        "指定",
        "登録",
        "許可",
        "認可",
        "届出",
        "開催",
        "実施",
        "竣工",
        "建築",
        "発行",
        "公開",
        "締切",
        "予定",
        "契約",
        "入社",
        "採用",
        "入所",
        "退所",
        "廃止",
        "休止",
    )
    column_score = 0.6

    def __init__(self, today: date | None = None) -> None:
        self.today = today or date.today()
        self._earliest = date(self.today.year - MAX_AGE - 1, self.today.month, 1)

    def candidates(self, text: str) -> Iterator[Candidate]:
        for pattern in self.patterns:
            for match in pattern.regex.finditer(text):
                born = parse_match(match)
                if born is None:
                    continue
                context: tuple[str, ...] = ()
                age = _AGE.match(text, match.end(), match.end() + 8)
                if age and abs(int(age["age"]) - age_on(born, self.today)) <= 1:
                    context = ("age matches",)
                elif text.startswith("生", match.end()):
                    context = ("…生",)  # 昭和15年3月2日生
                yield Candidate(match.start(), match.end(), match.group(0), pattern, context)

    def validate(self, value: str) -> bool | None:
        born = parse_date(value)
        return born is not None and self._plausible(born)

    def cell_value(self, cell: object, text: str) -> str | None:
        if isinstance(cell, datetime):
            cell = cell.date()
        if isinstance(cell, date):
            return cell.isoformat() if self._plausible(cell) else None
        if not isinstance(cell, str) or len(text) > 24:
            return None
        from sekisho.detect.normalize import normalize

        born = parse_date(normalize(text).text)
        return born.isoformat() if born is not None and self._plausible(born) else None

    def column_cell_value(self, cell: object, text: str) -> object | None:
        if type(cell) is date:
            return cell if self._earliest <= cell <= self.today else None
        return self.cell_value(cell, text)

    def plausible_column(self, values: list[str]) -> bool:
        """Births spread over years; the dates of one event or one season do not."""
        years = sorted(int(v[:4]) for v in values if v[:4].isdigit())
        return len(years) >= 3 and years[-1] - years[0] >= 3

    def _plausible(self, born: date) -> bool:
        return born <= self.today and age_on(born, self.today) <= MAX_AGE

    def canonical(self, value: str) -> str:
        born = parse_date(value)
        return born.isoformat() if born else value

    def mask(self, value: str) -> str:
        born = parse_date(value)
        if born is None:
            return "****-**-**"
        return f"{str(born.year)[:2]}**-**-**"
