"""A labelled corpus of the documents a municipality mails, generated (Faker ja_JP and
numbers with valid check digits), with the hard negatives kept as hard as the positives.

Every document knows where each entity it holds is ("sheet 名簿!C12", "B7", "line 4") and
how many people it describes. Templates and formats vary with the seed, so a corpus made
with another seed is a fair held-out set for one tuned on this one.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from faker import Faker
from tests.factories import (
    csv_bytes,
    fixed_number,
    mobile_number,
    my_number,
    product_code,
    write_xlsx,
)

from sekisho.detect.checkdigits import luhn_check_digit
from sekisho.detect.dates import to_era

Label = tuple[str, str]  # (location, entity)

CARE_LEVELS = ("要支援1", "要支援2", "要介護1", "要介護2", "要介護3", "要介護4", "要介護5")
DIAGNOSES = ("認知症", "糖尿病", "高血圧", "脳梗塞", "心不全", "パーキンソン病", "骨粗鬆症")
ERA_LETTER = {"明治": "M", "大正": "T", "昭和": "S", "平成": "H", "令和": "R"}


@dataclass
class Document:
    name: str
    kind: str
    data: bytes
    labels: list[Label] = field(default_factory=list)
    records: int = 0
    negative: bool = False


def _encode(text: str, encoding: str) -> bytes:
    try:
        return text.encode(encoding)
    except UnicodeEncodeError:  # a full-width dash has no code in EUC-JP or ISO-2022-JP
        return text.encode("utf-8")


def _col(i: int) -> str:
    from sekisho.extract import column_letter

    return column_letter(i)


class Maker:
    """Makes one kind of value in many written forms."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.fake = Faker("ja_JP")
        self.fake.seed_instance(seed)

    def name(self) -> str:
        name = self.fake.name()
        return name.replace(" ", "") if self.rng.random() < 0.3 else name

    def kana(self) -> str:
        return self.fake.kana_name()

    def birth(self, old: bool = True) -> date:
        year = self.rng.randint(1920, 1957) if old else self.rng.randint(1940, 2010)
        return date(year, self.rng.randint(1, 12), self.rng.randint(1, 28))

    def birth_text(self, born: date) -> str:
        era, year = to_era(born)
        forms = [
            f"{born:%Y/%m/%d}",
            f"{born.year}-{born.month:02d}-{born.day:02d}",
            f"{born.year}年{born.month}月{born.day}日",
            f"{era}{'元' if year == 1 else year}年{born.month}月{born.day}日",
            f"{ERA_LETTER[era]}{year}.{born.month}.{born.day}",
        ]
        return self.rng.choice(forms)

    def phone(self) -> str:
        number = mobile_number(self.rng) if self.rng.random() < 0.5 else fixed_number(self.rng)
        style = self.rng.random()
        if style < 0.15:
            return number.replace("-", "")
        if style < 0.25:
            return number.translate(str.maketrans("0123456789-", "０１２３４５６７８９－"))
        if style < 0.35 and not number.startswith(("070", "080", "090")):
            area, rest = number.split("-", 1)
            return f"({area}){rest}"
        if style < 0.42:
            return "+81-" + number[1:]
        return number

    def address(self) -> str:
        address = self.fake.address()
        if self.rng.random() < 0.2:
            address = f"〒{self.fake.zipcode()} {address}"
        return address

    def care_number(self) -> str:
        return f"{self.rng.randint(1, 9_999_999_999):010d}"

    def sex(self, style: int) -> str:
        return (("男", "女"), ("男性", "女性"), ("M", "F"))[style][self.rng.randint(0, 1)]

    def email(self) -> str:
        return (
            self.fake.user_name()
            + "@"
            + self.rng.choice(["example.jp", "example.ne.jp", "example.com"])
        )


# Column kinds of rosters: (entity, Japanese headers, English headers, value maker).
ColumnSpec = tuple[str | None, tuple[str, ...], tuple[str, ...], Callable[[Maker, dict], object]]


def roster_columns() -> list[ColumnSpec]:
    return [
        (
            "JP_CARE_INSURANCE_NUMBER",
            ("被保険者番号", "介護保険被保険者番号"),
            ("Insured No.",),
            lambda m, p: p["care"],
        ),
        ("PERSON_NAME", ("氏名", "名前", "利用者氏名"), ("Name",), lambda m, p: p["name"]),
        ("PERSON_NAME", ("フリガナ", "カナ氏名"), ("Name (kana)",), lambda m, p: p["kana"]),
        ("DATE_OF_BIRTH", ("生年月日",), ("Date of birth", "DOB"), lambda m, p: p["birth_cell"]),
        ("GENDER", ("性別",), ("Sex", "Gender"), lambda m, p: p["sex"]),
        ("ADDRESS", ("住所", "現住所"), ("Address",), lambda m, p: p["address"]),
        ("PHONE_NUMBER", ("電話番号", "連絡先電話", "TEL"), ("Phone",), lambda m, p: p["phone"]),
        (
            "CARE_LEVEL",
            ("要介護度", "介護度", "認定区分"),
            ("Care level",),
            lambda m, p: p["level"],
        ),
        ("JP_MY_NUMBER", ("個人番号", "マイナンバー"), ("My Number",), lambda m, p: p["my_number"]),
        (
            None,
            ("備考",),
            ("Note",),
            lambda m, p: m.rng.choice(["", "", "独居", "要確認", "転居予定"]),
        ),
    ]


def id_columns() -> list[ColumnSpec]:
    """Identifier columns of other municipal lists (foreign residents, staff, 国保)."""
    return [
        ("PERSON_NAME", ("氏名",), ("Name",), lambda m, p: p["name"]),
        ("JP_PENSION_NUMBER", ("基礎年金番号",), ("Pension number",), lambda m, p: p["pension"]),
        ("JP_RESIDENT_CODE", ("住民票コード",), ("Resident code",), lambda m, p: p["resident"]),
        (
            "JP_DRIVERS_LICENSE",
            ("運転免許証番号", "免許証番号"),
            ("Driver license no.",),
            lambda m, p: p["license"],
        ),
        (
            "JP_PASSPORT",
            ("旅券番号", "パスポート番号"),
            ("Passport no.",),
            lambda m, p: p["passport"],
        ),
        ("JP_RESIDENCE_CARD", ("在留カード番号",), ("Residence card no.",), lambda m, p: p["card"]),
        (
            "JP_HEALTH_INSURANCE_NUMBER",
            ("保険者番号",),
            ("Insurer number",),
            lambda m, p: p["insurer"],
        ),
        ("BANK_ACCOUNT", ("口座番号",), ("Account number",), lambda m, p: p["account"]),
        ("EMAIL_ADDRESS", ("メールアドレス", "E-mail"), ("Email",), lambda m, p: p["email"]),
    ]


def person(m: Maker, *, excel_dates: bool) -> dict:
    born = m.birth()
    rng = m.rng
    insurer = (
        f"{rng.choice(['01', '06', '31', '39'])}{rng.randint(1, 47):02d}{rng.randint(0, 999):03d}"
    )
    return {
        "pension": f"{rng.randint(1000, 9999)}-{rng.randint(0, 999999):06d}",
        "resident": f"{rng.randint(0, 10**11 - 1):011d}",
        "license": f"{rng.choice([10, 30, 45, 54, 62, 90, 97])}{rng.randint(0, 10**10 - 1):010d}",
        "passport": f"{rng.choice(['TK', 'TR', 'MZ', 'TS'])}{rng.randint(0, 9999999):07d}",
        "card": f"{rng.choice(['AB', 'UH', 'EE'])}{rng.randint(0, 10**8 - 1):08d}{rng.choice(['CD', 'JA', 'FZ'])}",
        "insurer": insurer + str(luhn_check_digit(insurer)),
        "account": f"{rng.randint(0, 9999999):07d}",
        "email": m.email(),
        "care": m.care_number(),
        "name": m.name(),
        "kana": m.kana(),
        "birth_cell": born if excel_dates else m.birth_text(born),
        "sex": m.sex(m.rng.randint(0, 2)),
        "address": m.address(),
        "phone": m.phone(),
        "level": m.rng.choice(CARE_LEVELS),
        "my_number": _spaced(my_number(m.rng)) if m.rng.random() < 0.2 else my_number(m.rng),
    }


def _spaced(number: str) -> str:
    return f"{number[:4]} {number[4:8]} {number[8:]}"


def roster(
    m: Maker, index: int, *, header: str = "ja", fmt: str = "xlsx", ids: bool = False
) -> Document:
    """A roster like the incident's: a random subset and order of person columns."""
    specs = id_columns() if ids else roster_columns()
    name_column = 0 if ids else 1
    others = [s for i, s in enumerate(specs) if i != name_column]
    chosen = [specs[name_column], *m.rng.sample(others, m.rng.randint(3, min(7, len(others))))]
    m.rng.shuffle(chosen)
    n = m.rng.randint(20, 160)
    excel_dates = fmt == "xlsx" and m.rng.random() < 0.7
    rows: list[list[object]] = []
    if header != "none":
        rows.append([m.rng.choice(spec[1] if header == "ja" else spec[2]) for spec in chosen])
    people = [person(m, excel_dates=excel_dates) for _ in range(n)]
    for p in people:
        rows.append([spec[3](m, p) for spec in chosen])
    first = 1 if header != "none" else 0
    sheet = m.rng.choice(["名簿", "元データ", "Sheet1", "一覧"])
    hidden = fmt == "xlsx" and m.rng.random() < 0.3
    origin = f"sheet {sheet}{' (hidden)' if hidden else ''}!" if fmt == "xlsx" else ""
    labels = [
        (f"{origin}{_col(c)}{first + r + 1}", spec[0])
        for r in range(n)
        for c, spec in enumerate(chosen)
        if spec[0] is not None and rows[first + r][c] not in ("", None)
    ]
    name = f"roster{index}_{header}"
    if fmt == "xlsx":
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            sheets: dict[str, list[list[object]]] = {}
            if hidden:
                sheets["集計"] = [["区分", "人数"], ["合計", n]]
            sheets[sheet] = rows
            path = write_xlsx(Path(tmp) / "r.xlsx", sheets, hidden=[sheet] if hidden else [])
            data = path.read_bytes()
        return Document(f"{name}.xlsx", "roster", data, labels, n)
    encoding = m.rng.choice(["cp932", "utf-8-sig", "utf-8", "euc_jp"])
    delimiter = "\t" if fmt == "tsv" else ","
    text_rows = [[str(v) for v in row] for row in rows]
    try:
        data = csv_bytes(text_rows, encoding, delimiter)
    except UnicodeEncodeError:  # a full-width dash has no code in EUC-JP or ISO-2022-JP
        data = csv_bytes(text_rows, "utf-8", delimiter)
    return Document(f"{name}.{fmt}", "roster", data, labels, n)


def staff_directory(m: Maker, index: int) -> Document:
    rows: list[list[object]] = [["氏名", "所属", "内線", "メールアドレス", "携帯電話"]]
    n = m.rng.randint(8, 40)
    for _ in range(n):
        rows.append(
            [
                m.name(),
                m.rng.choice(["高齢福祉課", "介護保険課", "総務課"]),
                str(m.rng.randint(1000, 4999)),
                m.email(),
                mobile_number(m.rng),
            ]
        )
    labels = [
        (f"{_col(c)}{r + 2}", e)
        for r in range(n)
        for c, e in ((0, "PERSON_NAME"), (3, "EMAIL_ADDRESS"), (4, "PHONE_NUMBER"))
    ]
    return Document(f"staff{index}.csv", "staff", csv_bytes(rows, "cp932"), labels, n)


def transfer_list(m: Maker, index: int) -> Document:
    rows: list[list[object]] = [["氏名", "金融機関", "支店", "種別", "口座番号", "口座名義"]]
    n = m.rng.randint(5, 40)
    for _ in range(n):
        rows.append(
            [
                m.name(),
                m.rng.choice(["みずほ銀行", "ゆうちょ銀行", "信用金庫"]),
                "本店",
                m.rng.choice(["普通", "当座"]),
                f"{m.rng.randint(0, 9999999):07d}",
                m.kana(),
            ]
        )
    labels = [
        (f"{_col(c)}{r + 2}", e)
        for r in range(n)
        for c, e in ((0, "PERSON_NAME"), (4, "BANK_ACCOUNT"), (5, "PERSON_NAME"))
    ]
    return Document(
        f"transfer{index}.csv",
        "transfer",
        csv_bytes(rows, m.rng.choice(["cp932", "utf-8-sig"])),
        labels,
        n,
    )


def resident_mail(m: Maker, index: int) -> Document:
    """A free-text mail about one resident, from a template chosen at random."""
    p = person(m, excel_dates=False)
    born = m.birth()
    lines: list[tuple[str, list[str]]] = [
        (
            m.rng.choice(["地域包括支援センター 御中", "○○居宅介護支援事業所 御中", "ご担当者様"]),
            [],
        ),
        ("", []),
        (m.rng.choice(["いつもお世話になっております。", "お疲れさまです。"]), []),
        (f"高齢福祉課の{m.fake.last_name()}です。", []),
        ("下記の方の件でご連絡します。", []),
        ("", []),
    ]
    style = m.rng.randint(0, 3)
    if style == 0:
        lines += [
            (f"対象者：{p['name']}様", ["PERSON_NAME"]),
            (f"生年月日：{m.birth_text(born)}", ["DATE_OF_BIRTH"]),
            (f"住所：{p['address']}", ["ADDRESS"]),
            (f"電話：{p['phone']}", ["PHONE_NUMBER"]),
            (f"被保険者番号：{p['care']}", ["JP_CARE_INSURANCE_NUMBER"]),
            (f"要介護度：{p['level']}", ["CARE_LEVEL"]),
        ]
    elif style == 1:
        lines += [
            (
                f"{p['name']}さん（{m.birth_text(born)}生）について、",
                ["PERSON_NAME", "DATE_OF_BIRTH"],
            ),
            (
                f"{m.rng.choice(DIAGNOSES)}のため通院中で、現在{p['level']}の認定を受けています。",
                ["HEALTH_INFO", "HEALTH_INFO", "CARE_LEVEL"],
            ),
            (f"ご家族の連絡先は {p['phone']} です。", ["PHONE_NUMBER"]),
        ]
    elif style == 3:
        rng = m.rng
        insurer = f"{rng.choice(['01', '06', '31', '39'])}{rng.randint(1, 47):02d}{rng.randint(0, 999):03d}"
        insurer += str(luhn_check_digit(insurer))
        card = f"{rng.choice(['AB', 'UH', 'EE'])}{rng.randint(0, 10**8 - 1):08d}{rng.choice(['CD', 'JA', 'FZ'])}"
        lines += [
            (f"申請者：{p['name']}様", ["PERSON_NAME"]),
            (
                f"基礎年金番号：{rng.randint(1000, 9999)}-{rng.randint(0, 999999):06d}",
                ["JP_PENSION_NUMBER"],
            ),
            (f"住民票コード：{rng.randint(0, 10**11 - 1):011d}", ["JP_RESIDENT_CODE"]),
            (
                f"運転免許証番号：{rng.choice([30, 45, 54, 62, 90])}{rng.randint(0, 10**10 - 1):010d}",
                ["JP_DRIVERS_LICENSE"],
            ),
            (
                f"旅券番号：{rng.choice(['TK', 'TR', 'MZ'])}{rng.randint(0, 9999999):07d}",
                ["JP_PASSPORT"],
            ),
            (f"在留カード番号：{card}", ["JP_RESIDENCE_CARD"]),
            (f"保険者番号：{insurer}", ["JP_HEALTH_INSURANCE_NUMBER"]),
            (
                f"振込先：{rng.choice(['普通', '当座'])} {rng.randint(0, 9999999):07d}",
                ["BANK_ACCOUNT"],
            ),
        ]
    else:
        lines += [
            (
                f"{p['name']}様の個人番号 {p['my_number']} を確認しました。",
                ["PERSON_NAME", "JP_MY_NUMBER"],
            ),
            (f"メール {m.email()} 宛てに書類をお送りください。", ["EMAIL_ADDRESS"]),
        ]
    lines += [("", []), ("よろしくお願いいたします。", [])]
    text = "\n".join(line for line, _ in lines) + "\n"
    labels = [(f"line {i + 1}", e) for i, (_, entities) in enumerate(lines) for e in entities]
    return Document(
        f"mail{index}.txt",
        "mail",
        _encode(text, m.rng.choice(["iso2022_jp", "utf-8", "cp932"])),
        labels,
        1,
    )


def register(m: Maker, index: int) -> Document:
    """A register as municipal systems export it: the name in 姓/名 (kanji, kana or romaji)
    columns, a kana reading, sex as 1/2 or 0/1 codes, the address split over columns."""
    fake, rng = m.fake, m.rng
    name_style = rng.choice(["kanji", "romaji", "full+kana"])
    address_style = rng.choice(["parts", "numbered", "blank"])
    sex_codes = rng.choice([("1", "2"), ("1", "0"), ("男", "女")])
    header: list[str] = []
    entities: list[str | None] = []
    if name_style == "kanji":
        header += [
            "姓",
            "名",
            rng.choice(["セイ", "姓（カナ）"]),
            rng.choice(["メイ", "名（カナ）"]),
        ]
    elif name_style == "romaji":
        header += ["姓（ローマ字）", "名（ローマ字）"]
    else:
        header += ["氏名", rng.choice(["フリガナ", "ふりがな", "カナ氏名"])]
    entities += ["PERSON_NAME"] * len(header)
    header += ["性別", "生年月日"]
    entities += ["GENDER", "DATE_OF_BIRTH"]
    address_headers = {
        "parts": ["都道府県", "市区町村", "町名・番地", "建物名"],
        "numbered": ["jusho1", "jusho2", "jusho3", "jusho4"],
        "blank": ["住所", "", "", ""],
    }[address_style]
    address_at = len(header)
    header += address_headers
    entities += ["ADDRESS", None, None, None]
    n = rng.randint(15, 80)
    rows: list[list[object]] = [header]
    for _ in range(n):
        if name_style == "kanji":
            names = [
                fake.last_name(),
                fake.first_name(),
                fake.last_kana_name(),
                fake.first_kana_name(),
            ]
        elif name_style == "romaji":
            upper = rng.random() < 0.5
            last, first = fake.last_romanized_name(), fake.first_romanized_name()
            names = [last.upper() if upper else last, first]
        else:
            names = [m.name(), f"{fake.last_kana_name()} {fake.first_kana_name()}"]
        town = f"{fake.town()}{fake.chome()}{fake.ban()}{fake.gou()}"
        if rng.random() < 0.5:
            town = f"{fake.town()}{rng.randint(1, 9)}-{rng.randint(1, 30)}-{rng.randint(1, 20)}"
        building = f"{fake.building_name()}{rng.randint(101, 905)}" if rng.random() < 0.4 else ""
        rows.append(
            [
                *names,
                rng.choice(sex_codes),
                m.birth_text(m.birth()),
                fake.prefecture(),
                fake.city(),
                town,
                building,
            ]
        )
    labels = [
        (f"{_col(c)}{r + 2}", e)
        for r in range(n)
        for c, e in enumerate(entities)
        if e is not None and rows[r + 1][c] != ""
    ]
    assert entities[address_at] == "ADDRESS"
    data = csv_bytes(rows, rng.choice(["cp932", "utf-8-sig"]))
    return Document(f"register{index}.csv", "register", data, labels, n)


def data_dump(m: Maker, index: int) -> Document:
    """Rows of people as a developer mails them: SQL INSERTs or JSON records."""
    rng = m.rng
    n = rng.randint(3, 12)
    people = [
        (m.fake.name(), m.birth(), rng.choice(["男", "女"]), mobile_number(rng)) for _ in range(n)
    ]
    lines: list[tuple[str, list[str]]] = []
    if rng.random() < 0.5:
        lines.append(("INSERT INTO residents (name, birth_date, sex, tel) VALUES", []))
        for i, (name, born, sex, tel) in enumerate(people):
            end = "," if i < n - 1 else ";"
            lines.append((f"  ('{name}', '{born:%Y-%m-%d}', '{sex}', '{tel}'){end}", []))
    else:
        lines.append(("[", []))
        for i, (name, born, sex, tel) in enumerate(people):
            end = "," if i < n - 1 else ""
            lines.append(
                (
                    f'  {{"name": "{name}", "birth_date": "{born:%Y-%m-%d}", "sex": "{sex}", '
                    f'"tel": "{tel}"}}{end}',
                    [],
                )
            )
        lines.append(("]", []))
    text = "\n".join(line for line, _ in lines) + "\n"
    suffix = "sql" if lines[0][0].startswith("INSERT") else "json"
    # Read as tables (extract/structured.py): one record per tuple or object.
    where = "INSERT INTO residents (line 1)" if suffix == "sql" else "JSON $"
    entities = ["PERSON_NAME", "DATE_OF_BIRTH", "GENDER", "PHONE_NUMBER"]
    labels = [
        (f"{where}, record {r + 1}, field {_col(c)}", e)
        for r in range(n)
        for c, e in enumerate(entities)
    ]
    return Document(f"dump{index}.{suffix}.txt", "dump", text.encode("utf-8"), labels, n)


# ---------------------------------------------------------------- hard negatives


def aggregate_table(m: Maker, index: int) -> Document:
    districts = ["北部", "南部", "東部", "西部", "中央", "第1圏域", "第2圏域"]
    rows: list[list[object]] = [["地区", *CARE_LEVELS, "合計"]]
    for d in m.rng.sample(districts, m.rng.randint(3, 7)):
        counts = [m.rng.randint(0, 500) for _ in CARE_LEVELS]
        rows.append([d, *counts, sum(counts)])
    if m.rng.random() < 0.5:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            data = write_xlsx(Path(tmp) / "a.xlsx", {"集計": rows}).read_bytes()
        return Document(f"aggregate{index}.xlsx", "aggregate", data, negative=True)
    return Document(f"aggregate{index}.csv", "aggregate", csv_bytes(rows, "cp932"), negative=True)


def minutes(m: Maker, index: int) -> Document:
    def d() -> str:
        day = date(2022, m.rng.randint(1, 12), m.rng.randint(1, 28))
        era, year = to_era(day)
        return m.rng.choice(
            [
                f"{day:%Y/%m/%d}",
                f"{era}{year}年{day.month}月{day.day}日",
                f"{day.month}月{day.day}日",
            ]
        )

    s = [m.fake.last_name() for _ in range(4)]
    text = "\n".join(
        [
            f"第{m.rng.randint(1, 12)}回 地域ケア会議 議事録",
            f"日時：{d()} 14:00～15:30",
            "場所：本庁舎3階 第2会議室",
            f"出席者：{s[0]}課長、{s[1]}係長、{s[2]}主査、{s[3]}主事",
            "1. 前回議事録の確認",
            f"2. 申請受付状況（{d()}現在 申請件数{m.rng.randint(10, 99)}件）",
            f"3. 次回開催日 {d()}（予定）",
            f"認定審査会の開催は{d()}、{d()}を予定。",
            f"資料提出期限：{d()}",
        ]
    )
    return Document(f"minutes{index}.txt", "minutes", text.encode("utf-8"), negative=True)


def product_codes(m: Maker, index: int) -> Document:
    rows: list[list[object]] = [["商品コード", "商品名", "数量", "単価"]]
    for i in range(m.rng.randint(50, 300)):
        rows.append(
            [product_code(m.rng), f"介護用品{i}", m.rng.randint(1, 30), m.rng.randint(100, 9999)]
        )
    return Document(f"products{index}.csv", "products", csv_bytes(rows, "cp932"), negative=True)


def daily_statistics(m: Maker, index: int) -> Document:
    rows: list[list[object]] = [["日付", "相談件数", "訪問件数", "前年同日比"]]
    for day in range(1, m.rng.randint(10, 28)):
        rows.append(
            [
                f"2022/05/{day:02d}",
                m.rng.randint(0, 40),
                m.rng.randint(0, 20),
                f"{m.rng.uniform(80, 120):.1f}%",
            ]
        )
    return Document(f"daily{index}.csv", "daily", csv_bytes(rows, "utf-8"), negative=True)


def flyer(m: Maker, index: int) -> Document:
    day = date(2022, m.rng.randint(1, 12), m.rng.randint(1, 28))
    text = "\n".join(
        [
            m.rng.choice(
                ["介護予防教室のお知らせ", "認知症カフェを開催します", "健康づくり講演会"]
            ),
            f"日時：{day.year}年{day.month}月{day.day}日（土）13:30～15:00",
            f"会場：市民会館 大ホール（{m.fake.prefecture()}{m.fake.city()}{m.fake.town()}{m.rng.randint(1, 9)}-{m.rng.randint(1, 30)}-{m.rng.randint(1, 20)}）",
            "参加費：無料（定員50名・先着順）",
            f"申込期限：{day.month}月{max(1, day.day - 7)}日",
            f"お問い合わせ：高齢福祉課 電話 {fixed_number(m.rng)}（平日8:30～17:15）",
        ]
    )
    return Document(f"flyer{index}.txt", "flyer", text.encode("cp932"), negative=True)


def press_release(m: Maker, index: int) -> Document:
    text = "\n".join(
        [
            "報道発表資料",
            f"令和4年{m.rng.randint(1, 12)}月{m.rng.randint(1, 28)}日",
            "介護保険料の改定について",
            f"市は、令和5年度から介護保険料の基準額を月額{m.rng.randint(5000, 7000)}円に改定します。",
            f"要介護認定者数は{m.rng.randint(5000, 9000)}人（令和4年3月末現在）です。",
            f"担当：高齢福祉課 {m.fake.last_name()}",
            f"電話：{fixed_number(m.rng)}（直通）",
            "メール：kourei@city.example.lg.jp",
        ]
    )
    return Document(f"press{index}.txt", "press", text.encode("utf-8"), negative=True)


# ----------------------------------------- organisations' lists: found, but nobody's
# Addresses and phones of facilities and offices are reported (labelled here) but make
# no record; names of facilities, dates of opening, provider numbers and serials are
# nobody's data at all.

FACILITY_KINDS = (
    "保育園",
    "児童センター",
    "記念館",
    "クリニック",
    "デイサービスセンター",
    "苑",
    "公民館",
)


def _facility_name(m: Maker) -> str:
    shape = m.rng.random()
    if shape < 0.35:  # a person's name inside a facility's: 山田太郎記念館
        return f"{m.fake.last_name()}{m.fake.first_name()}{m.rng.choice(FACILITY_KINDS)}"
    if shape < 0.7:
        return f"{m.fake.town()}{m.rng.choice(FACILITY_KINDS)}"
    return f"{m.fake.last_name()}{m.rng.choice(FACILITY_KINDS)}"


def facility_list(m: Maker, index: int) -> Document:
    """An AED, nursery or care-facility list: 施設名, 所在地, 電話番号, 開設日, a provider
    number, a zero-padded serial and counts."""
    header = [
        m.rng.choice(["NO", "No.", "連番"]),
        m.rng.choice(["施設名", "施設名等", "名称", "事業所名"]),
        m.rng.choice(["所在地", "住所"]),
        m.rng.choice(["電話番号", "TEL", "denwa"]),
        m.rng.choice(["開設日", "指定年月日", "確認日"]),
        "介護保険事業所番号",
        "定員",
    ]
    rows: list[list[object]] = [header]
    n = m.rng.randint(8, 60)
    for r in range(n):
        opened = date(m.rng.randint(1960, 2020), m.rng.randint(1, 12), m.rng.randint(1, 28))
        rows.append(
            [
                f"{r + 1:010d}" if m.rng.random() < 0.5 else str(r + 1),
                _facility_name(m),
                f"{m.fake.prefecture()}{m.fake.city()}{m.fake.town()}{m.fake.chome()}{m.fake.ban()}",
                fixed_number(m.rng),
                m.birth_text(opened),
                f"{m.rng.randint(1, 47):02d}{m.rng.randint(0, 99_999_999):08d}",
                m.rng.randint(10, 120),
            ]
        )
    labels = [
        (f"{_col(c)}{r + 2}", e) for r in range(n) for c, e in ((2, "ADDRESS"), (3, "PHONE_NUMBER"))
    ]
    return Document(
        f"facilities{index}.csv", "facilities", csv_bytes(rows, "cp932"), labels, 0, negative=True
    )


def tourism_list(m: Maker, index: int) -> Document:
    """Tourist spots with descriptions that mention historical people in prose."""
    rows: list[list[object]] = [["名称", "名称_カナ", "住所", "説明", "連絡先電話番号"]]
    n = m.rng.randint(5, 30)
    for _ in range(n):
        figure = f"{m.fake.last_name()}{m.fake.first_name()}"
        rows.append(
            [
                f"{figure}{m.rng.choice(['旧宅', '記念館', '生家'])}",
                m.fake.kana_name().replace(" ", "") + "キネンカン",
                f"{m.fake.prefecture()}{m.fake.city()}{m.fake.town()}{m.fake.chome()}{m.fake.ban()}",
                f"明治の文豪、{figure}が青年時代を過ごした家で、ゆかりの品が展示されており、随時見学できます。",
                fixed_number(m.rng),
            ]
        )
    # The figure in the description is a person's name (found) in prose: no record.
    labels = [
        (f"{_col(c)}{r + 2}", e)
        for r in range(n)
        for c, e in ((2, "ADDRESS"), (3, "PERSON_NAME"), (4, "PHONE_NUMBER"))
    ]
    return Document(
        f"tourism{index}.csv", "tourism", csv_bytes(rows, "utf-8"), labels, 0, negative=True
    )


def population_table(m: Maker, index: int) -> Document:
    rows: list[list[object]] = [["町丁目", "世帯数", "人口総数", "男", "女"]]
    for _ in range(m.rng.randint(10, 60)):
        men, women = m.rng.randint(0, 3000), m.rng.randint(0, 3000)
        rows.append(
            [f"{m.fake.town()}{m.fake.chome()}", m.rng.randint(0, 3000), men + women, men, women]
        )
    return Document(
        f"population{index}.csv", "population", csv_bytes(rows, "cp932"), [], 0, negative=True
    )


POSITIVE_MAKERS = (
    "roster_ja",
    "roster_en",
    "roster_none",
    "roster_csv",
    "staff",
    "transfer",
    "mail",
    "register",
    "dump",
)
NEGATIVE_MAKERS = (
    "aggregate",
    "minutes",
    "products",
    "daily",
    "flyer",
    "press",
    "facilities",
    "tourism",
    "population",
)


def build(seed: int, per_kind: int) -> list[Document]:
    m = Maker(seed)
    docs: list[Document] = []
    for i in range(per_kind):
        docs.append(roster(m, i, header="ja", fmt="xlsx"))
        docs.append(roster(m, i, header="en", fmt=m.rng.choice(["xlsx", "csv"])))
        docs.append(roster(m, i, header="none", fmt=m.rng.choice(["xlsx", "csv"])))
        docs.append(roster(m, i + 1000, header="ja", fmt=m.rng.choice(["csv", "tsv"])))
        docs.append(
            roster(
                m,
                i + 2000,
                header=m.rng.choice(["ja", "en"]),
                fmt=m.rng.choice(["xlsx", "csv"]),
                ids=True,
            )
        )
        docs.append(staff_directory(m, i))
        docs.append(transfer_list(m, i))
        docs.append(resident_mail(m, i))
        docs.append(register(m, i))
        docs.append(data_dump(m, i))
        docs.append(aggregate_table(m, i))
        docs.append(minutes(m, i))
        docs.append(product_codes(m, i))
        docs.append(daily_statistics(m, i))
        docs.append(flyer(m, i))
        docs.append(press_release(m, i))
        docs.append(facility_list(m, i))
        docs.append(tourism_list(m, i))
        docs.append(population_table(m, i))
    return docs
