"""Generated test data: valid and invalid identifiers, Japanese rosters, files in every
encoding. Nothing here is a real person's data; numbers are made to pass (or fail) the
same check-digit arithmetic the recognizers use."""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Sequence
from pathlib import Path

from sekisho.detect.checkdigits import (
    corporate_check_digit,
    luhn_check_digit,
    my_number_check_digit,
)


def my_number(rng: random.Random, *, valid: bool = True) -> str:
    base = "".join(rng.choice("0123456789") for _ in range(11))
    check = my_number_check_digit(base)
    return base + str(check if valid else (check + rng.randint(1, 9)) % 10)


def corporate_number(rng: random.Random, *, valid: bool = True) -> str:
    base = "".join(rng.choice("0123456789") for _ in range(12))
    check = corporate_check_digit(base)
    return str(check if valid else (check + rng.randint(1, 8)) % 10) + base


def mobile_number(rng: random.Random) -> str:
    # 080-0… would be 0800 (free dial): mobile subscriber numbers start with 1-9.
    return (
        f"{rng.choice(['070', '080', '090'])}-{rng.randint(1000, 9999)}-{rng.randint(0, 9999):04d}"
    )


def fixed_number(rng: random.Random) -> str:
    area = rng.choice(["03", "06", "011", "045", "052", "092", "0982", "04992"])
    local_len = 8 - (len(area) - 2)  # 10 digits in all
    middle_len = local_len - 4
    # A local exchange number never starts with 0 (the trunk prefix) or 1 (special services).
    middle = rng.choice("23456789") + "".join(
        rng.choice("0123456789") for _ in range(middle_len - 1)
    )
    return f"{area}-{middle}-{rng.randint(0, 9999):04d}"


def visa_number(rng: random.Random) -> str:
    base = "4" + "".join(rng.choice("0123456789") for _ in range(14))
    return base + str(luhn_check_digit(base))


def product_code(rng: random.Random) -> str:
    """A 12-digit code that happens to pass the My Number check digit about 1 in 11 times."""
    return "".join(rng.choice("0123456789") for _ in range(12))


def japanese_names(n: int, seed: int = 7) -> list[str]:
    from faker import Faker

    fake = Faker("ja_JP")
    fake.seed_instance(seed)
    return [fake.name() for _ in range(n)]


def csv_bytes(
    rows: Sequence[Sequence[object]], encoding: str = "utf-8", delimiter: str = ","
) -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def roster_rows(n: int, seed: int = 1) -> list[list[str]]:
    """氏名, 個人番号, 電話番号 — the shape of the foundation issue's cp932 CSV."""
    rng = random.Random(seed)
    names = japanese_names(n, seed)
    rows: list[list[str]] = [["氏名", "個人番号", "電話番号"]]
    seen: set[str] = set()
    for name in names:
        number = my_number(rng)
        while number in seen:
            number = my_number(rng)
        seen.add(number)
        phone = mobile_number(rng) if rng.random() < 0.6 else fixed_number(rng)
        rows.append([name, number, phone])
    return rows


def write_xlsx(
    path: Path, sheets: dict[str, Sequence[Sequence[object]]], hidden: Sequence[str] = ()
) -> Path:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path))
    date_format = workbook.add_format({"num_format": "yyyy/mm/dd"})
    for name, rows in sheets.items():
        sheet = workbook.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row or ()):
                if hasattr(value, "year"):
                    sheet.write_datetime(r, c, value, date_format)
                elif value is not None:
                    sheet.write(r, c, value)
        if name in hidden:
            sheet.hide()
    workbook.close()
    return path


def biff_bytes(rows: Sequence[Sequence[object]], version: int = 4, codepage: int = 932) -> bytes:
    """An Excel 3.0 or 4.0 worksheet (a bare BIFF3/BIFF4 record stream, no OLE2 container)
    written record by record: no library writes these any more. Text is LABEL in the
    code page, numbers NUMBER, dates LABEL as 1948/03/15 (as such old ledgers often hold
    them)."""
    import struct

    def record(number: int, body: bytes) -> bytes:
        return struct.pack("<HH", number, len(body)) + body

    bof = {3: 0x0209, 4: 0x0409}[version]
    encoding = {932: "cp932", 1252: "cp1252"}[codepage]
    out = [
        record(bof, struct.pack("<HHH", 0, 0x0010, 0)),
        record(0x0042, struct.pack("<H", codepage)),
    ]
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, int | float) and not isinstance(value, bool):
                out.append(record(0x0203, struct.pack("<HHHd", r, c, 0, float(value))))
                continue
            if hasattr(value, "year"):
                value = f"{value.year}/{value.month:02d}/{value.day:02d}"  # type: ignore[attr-defined]
            text = str(value).encode(encoding)
            out.append(record(0x0204, struct.pack("<HHHH", r, c, 0, len(text)) + text))
    out.append(record(0x000A, b""))
    return b"".join(out)


CARE_LEVELS = ("要支援1", "要支援2", "要介護1", "要介護2", "要介護3", "要介護4", "要介護5")
INCIDENT_HEADER = ("被保険者番号", "氏名", "生年月日", "性別", "住所", "電話番号", "要介護度")


def incident_rows(n: int = 7203, seed: int = 20220520) -> list[list[object]]:
    """The shape of the 2022 incident's workbook: one row per resident, seven columns,
    birth dates as Excel dates. Every value is generated."""
    from datetime import date

    from faker import Faker

    rng = random.Random(seed)
    fake = Faker("ja_JP")
    fake.seed_instance(seed)
    rows: list[list[object]] = [list(INCIDENT_HEADER)]
    for i in range(n):
        born = date(rng.randint(1922, 1957), rng.randint(1, 12), rng.randint(1, 28))
        rows.append(
            [
                f"{1_000_000 + i * 7 + rng.randint(0, 6):010d}",
                fake.name(),
                born,
                rng.choice(("男", "女")),
                fake.address(),
                mobile_number(rng) if rng.random() < 0.4 else fixed_number(rng),
                rng.choice(CARE_LEVELS),
            ]
        )
    return rows
