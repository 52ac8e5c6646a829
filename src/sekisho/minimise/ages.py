"""Age bands from a birth-date column, however the file wrote the date: a spreadsheet date,
an Excel serial number left unformatted, or text in Western or era form (昭和22年3月4日,
S22.3.4, 平成元年1月8日, 1947/03/04, 19470304)."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, timedelta

from sekisho.detect.dates import age_on, parse_date
from sekisho.minimise.errors import MinimiseError

UNKNOWN = "不明"
_EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 is 1900-01-01 (Excel's 1900 leap-year bug)
BAND_CHOICES = ("5", "10", "65")


def birth_date(cell: object) -> date | None:
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        if 1 <= cell < 80_000:  # 1900 to 2119 as Excel serials
            return _EXCEL_EPOCH + timedelta(days=int(cell))
        return None
    if isinstance(cell, str) and cell.strip():
        return parse_date(unicodedata.normalize("NFKC", cell))
    return None


class AgeBands:
    """``width`` 5 or 10: 0-4歳, 5-9歳 …; ``"65"``: 65歳未満, 65-74歳, 75歳以上 (the bands of
    long-term care statistics). Ages on ``today``."""

    def __init__(self, width: str, today: date) -> None:
        if width not in BAND_CHOICES:
            raise MinimiseError(
                f"年齢階級は {'、'.join(BAND_CHOICES)} のいずれかです",
                f"age bands are one of {', '.join(BAND_CHOICES)}",
            )
        self.width = width
        self.today = today

    @property
    def title(self) -> str:
        return "年齢（65歳・75歳で区分）" if self.width == "65" else f"年齢（{self.width}歳階級）"

    def band(self, cell: object) -> str:
        born = birth_date(cell)
        if born is None or born > self.today:
            return UNKNOWN
        age = age_on(born, self.today)
        if self.width == "65":
            return "65歳未満" if age < 65 else ("65-74歳" if age < 75 else "75歳以上")
        step = int(self.width)
        low = age // step * step
        return f"{low}-{low + step - 1}歳"

    def order(self, value: str) -> tuple[int, str]:
        """Bands in age order, 不明 last."""
        digits = "".join(ch for ch in value.split("-")[0] if ch.isdigit())
        if value == UNKNOWN:
            return (10_000, value)
        if value == "65歳未満":
            return (0, value)
        return (int(digits) if digits else 9_999, value)
