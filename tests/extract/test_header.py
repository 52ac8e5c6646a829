from datetime import date

import pytest

from sekisho.extract.header import guess_header_row


@pytest.mark.parametrize(
    ("rows", "header"),
    [
        ([["氏名", "個人番号"], ["鈴木", "123456789018"]], 0),
        (
            [
                ["令和4年5月 認定者一覧", None, None],
                [None, None, None],
                ["氏名", "生年月日", "番号"],
                ["鈴木", date(1940, 3, 2), 1234567890],
            ],
            2,
        ),
        ([["鈴木 一郎", "123456789018"], ["佐藤 花子", "234567890123"]], None),
        ([["男"], ["女"], ["男"]], None),
        ([["名前", "住所"], ["鈴木", "千代田区"], ["佐藤", "港区"]], 0),
        ([["鈴木", "千代田区"], ["鈴木", "千代田区"]], None),
        ([], None),
    ],
)
def test_header_guess(rows: list[list[object]], header: int | None) -> None:
    assert guess_header_row(rows) == header
