"""Regenerate the sample files of ``make run`` (all data is made up: Faker ja_JP and random
numbers with valid check digits). Run from the repository root:

    .venv/bin/python scripts/make_examples.py
"""

from __future__ import annotations

import random
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from faker import Faker
from tests.factories import (
    csv_bytes,
    fixed_number,
    mobile_number,
    my_number,
    product_code,
    write_xlsx,
)

HERE = ROOT / "examples"


def main() -> None:
    rng = random.Random(2022)
    fake = Faker("ja_JP")
    fake.seed_instance(2022)
    rows: list[list[object]] = [
        ["氏名", "生年月日", "性別", "被保険者番号", "個人番号", "電話番号", "住所"]
    ]
    for _ in range(25):
        born = date(rng.randint(1925, 1955), rng.randint(1, 12), rng.randint(1, 28))
        rows.append(
            [
                fake.name(),
                born.strftime("%Y/%m/%d"),
                rng.choice(["男", "女"]),
                f"{rng.randint(1, 99999999):010d}",
                my_number(rng),
                mobile_number(rng) if rng.random() < 0.5 else fixed_number(rng),
                fake.address(),
            ]
        )
    (HERE / "介護保険_認定者名簿.csv").write_bytes(csv_bytes(rows, "cp932"))

    districts = ["北部", "南部", "東部", "西部", "中央"]
    table = [
        [
            "地区",
            "要支援1",
            "要支援2",
            "要介護1",
            "要介護2",
            "要介護3",
            "要介護4",
            "要介護5",
            "合計",
        ]
    ]
    for district in districts:
        counts = [rng.randint(20, 400) for _ in range(7)]
        table.append([district, *counts, sum(counts)])
    write_xlsx(HERE / "地区別_認定者数.xlsx", {"集計": table})

    codes = [["商品コード", "商品名", "数量"]]
    codes += [[product_code(rng), f"介護用品 {i}", rng.randint(1, 20)] for i in range(200)]
    (HERE / "商品一覧.csv").write_bytes(csv_bytes(codes, "utf-8-sig"))

    person = fake.name()
    body = (
        "件名: 訪問調査の件\n\n"
        "地域包括支援センター 御中\n\n"
        f"{person}様（個人番号 {my_number(rng)}）の件で、ご家族の携帯 {mobile_number(rng)} に\n"
        "ご連絡をお願いします。\n\n"
        "高齢福祉課\n"
    )
    (HERE / "mail_body.txt").write_bytes(body.encode("iso2022_jp"))

    full = write_xlsx(HERE / "_tmp.xlsx", {"名簿": rows})
    (HERE / "途中で切れた名簿.xlsx").write_bytes(full.read_bytes()[:2048])
    full.unlink()


if __name__ == "__main__":
    main()
