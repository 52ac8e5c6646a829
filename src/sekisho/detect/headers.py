"""Column headers that name something other than a person's data.

A value match never overrides a header that says what a column holds: ``NO`` over
0000000001, 0000000002 … is a serial, not care-insurance numbers; 開設日 over dates is
when a facility opened, not anyone's birthday; 施設名 over 東大成保育園 is a nursery, not
a Mr 東 大成. These headers stop a column from being classified by its values and drop
what the cells' text would otherwise yield. A header that names the identifier itself
(介護保険被保険者番号) is read before any of this and wins.
"""

from __future__ import annotations

from sekisho.detect.normalize import fold

# Whole headers: short labels of serials and codes.
_EXACT = frozenset(
    fold(w)
    for w in (
        "no",
        "no.",
        "№",
        "#",
        "id",
        "番号",
        "連番",
        "通番",
        "通し番号",
        "順位",
        "順番",
        "コード",
        "code",
        "key",
        "seq",
    )
)

# Parts of headers: counts, amounts, measures, coordinates, codes and a business's numbers.
_PARTS = tuple(
    fold(w)
    for w in (
        "件数",
        "人数",
        "世帯数",
        "戸数",
        "定員",
        "床数",
        "台数",
        "金額",
        "料金",
        "予算",
        "決算",
        "合計",
        "小計",
        "総数",
        "割合",
        "比率",
        "面積",
        "距離",
        "標高",
        "緯度",
        "経度",
        "座標",
        "latitude",
        "longitude",
        "コード",
        "code",
        "郵便番号",
        "事業所番号",
        "施設番号",
        "機関番号",
        "法人番号",
        "登録番号",
        "許可番号",
        "指定番号",
        "認可番号",
        "届出番号",
        "整理番号",
        "管理番号",
        "受付番号",
        "文書番号",
        "amount",
        "count",
        "total",
        "price",
    )
)


def names_something_else(header: str) -> bool:
    """Whether a (folded) column header names a count, an amount, a measure, a code or a
    serial: something that is never a person's data, whatever its values look like."""
    header = header.strip()
    if not header:
        return False
    return header in _EXACT or any(part in header for part in _PARTS)


_PERSON_WORDS = ("者", "人", "氏", "姓", "主", "児", "生徒", "患", "員", "長", "様", "名前", "名義")


def names_a_thing(header: str) -> bool:
    """A header of the form 〜名 that names a thing, not a person: 火山名, 施設名, 店名,
    スポット名 — but not 氏名, 利用者名, 代表者名 or 名前."""
    header = header.strip()
    if not header.endswith("名") or len(header) < 2:
        return False
    return not any(word in header for word in _PERSON_WORDS)


# Headers of a text about a thing: a spot's description, an exhibit's summary, a
# building's history. The people named there (its architect, a poet it remembers) are
# mentioned, not recorded.
_ABOUT_A_THING = tuple(
    fold(w)
    for w in (
        "説明",
        "概要",
        "紹介",
        "解説",
        "由来",
        "沿革",
        "歴史",
        "見どころ",
        "特徴",
        "description",
        "overview",
        "summary",
    )
)


def describes_a_thing(header: str) -> bool:
    """Whether a (folded) column header is that of a description (説明, 概要, 由来 …)."""
    return any(word in header for word in _ABOUT_A_THING)
