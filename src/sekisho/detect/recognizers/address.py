"""ADDRESS: a postal address of a person, checked against the municipality gazetteer."""

from __future__ import annotations

import re
from collections.abc import Iterator

from sekisho.detect.entities import ADDRESS
from sekisho.detect.gazetteer import Gazetteer, gazetteer
from sekisho.detect.normalize import normalize
from sekisho.detect.recognizer import Candidate, Pattern, Recognizer

_NUM = r"[0-9一二三四五六七八九十百千〇]+"
# 町域 then 番地: 1丁目2番3号, 1-2-3, 一丁目二番地の三, 123番地; then an optional building and room.
_REST = re.compile(
    r"(?P<town>[^\s0-9、。,，()（）「」【】:：]{0,20}?)"
    rf"(?P<num>{_NUM}(?:丁目|番町|番地の?|番|号|-|の|条|線)(?:{_NUM})?(?:(?:丁目|番地の?|番|号|-|の|条|線){_NUM})*(?:号)?)"
    r"(?P<building>[ 　]?[^\s、。,，「」()（）0-9]{1,20}[0-9]{1,4}(?:号室)?)?"
)
_DISTRICT = re.compile(rf"{_NUM}丁目")
# The start of ``_REST``'s number: every address has one.
_ANCHOR = re.compile(rf"{_NUM}(?:丁目|番町|番地|番|号|-|の|条|線)")
_TOWN_LONGEST = 20  # _REST's town: at most 20 characters
_POSTAL = re.compile(r"〒?\s*[0-9]{3}-?[0-9]{4}\s*$")
_FULL = Pattern("prefecture + municipality + number", re.compile(""), 0.55)
_PARTIAL = Pattern("municipality + number", re.compile(""), 0.5)
_UNLISTED = Pattern("prefecture + unlisted municipality + number", re.compile(""), 0.4)
# A municipality the gazetteer does not list (merged away before its data, or mistyped):
# the shape of one, after a real prefecture.
_SHAPE = re.compile(r"(?:[^\s0-9、。,，()（）]{1,5}[郡島])?[^\s0-9、。,，()（）]{1,6}?[市区町村]")
_SHAPE_LONGEST = 5 + 1 + 6 + 1


class AddressRecognizer(Recognizer):
    """都道府県 + 市区町村 + 町域 + 番地 in the forms people write (1丁目2番3号, 1-2-3,
    漢数字, 番地の, a building and room), the prefecture optional. The prefecture and the
    municipality must exist in the bundled gazetteer (Digital Agency's Address Base
    Registry: 47 prefectures, 1,922 municipalities and wards); a prefecture that does not
    hold the municipality is still an address (a typing slip is still personal data).

    Organisations' addresses (会場, 所在地, 市役所) are lowered by negative context; a 〒
    postal code, a label (住所, 自宅) or an honorific raise the score.
    """

    name = "AddressRecognizer"
    entity = ADDRESS
    context_words = (
        "住所",
        "居所",
        "自宅",
        "住まい",
        "転居",
        "転入",
        "宛先",
        "送付先",
        "〒",
        "address",
        "様方",
        "様",
        "方",
    )
    negative_words = (
        "会場",
        "場所",
        "所在地",
        "本社",
        "本店",
        "支店",
        "事務所",
        "役所",
        "役場",
        "庁舎",
        "センター",
        "ホール",
        "会館",
        "公民館",
        "開催",
        "アクセス",
        "駐車場",
        "事業所",
        "営業所",
        "店舗",
        "病院",
        "学校",
        "窓口",
        "venue",
        "office",
    )
    needs = "letter"
    validation_name = "gazetteer"
    valid_bonus = 0.0
    header_words = ("住所", "現住所", "居所", "所在地", "address", "住居")
    header_exclude = ("メール", "mail", "アドレス")
    column_score = 0.6

    def __init__(self, places: Gazetteer | None = None) -> None:
        self.places = places or gazetteer()
        # Where an address can start: the first characters of every prefecture and
        # municipality name, found in one regex pass instead of trying every position.
        firsts = {name[0] for name in self.places.prefectures} | {
            name[0] for name in self.places.municipalities
        }
        self._starts = re.compile("[" + "".join(sorted(re.escape(c) for c in firsts)) + "]")
        # How far before its number an address can start: prefecture, spaces, the
        # longest municipality (or an unlisted one's shape), spaces, the town.
        longest = max(len(name) for name in self.places.municipalities)
        self._reach = 4 + 2 + max(longest, _SHAPE_LONGEST) + 2 + _TOWN_LONGEST
        prefectures = "|".join(sorted(self.places.prefectures))
        # The shape of an address cell, for the fast path of a classified column.
        self.column_shape = re.compile(  # type: ignore[misc]
            rf"(?:〒?\s*[0-9]{{3}}-?[0-9]{{4}}\s*)?(?:{prefectures})?[^\s0-9]{{1,14}}?[市区町村郡島]"
            rf"[^\s0-9]{{0,20}}?{_NUM}(?:丁目|番町|番地|番|号|-|の|条|線).*"
        )

    def candidates(self, text: str) -> Iterator[Candidate]:
        # An address has a number with its marker (1丁目, 2番, 3-, 四条) at most
        # ``self._reach`` characters after its start: only there can one begin. The
        # markers are found in one regex pass; a letter without them costs nothing more,
        # where trying every kanji's position cost ~29,000 lookups per 100 KB.
        i = 0
        for low, high in self._windows(text):
            i = max(i, low)
            while i <= high:
                start = self._starts.search(text, i, high + 1)
                if start is None:
                    break
                i = start.start()
                match = self._address_at(text, i)
                if match is None:
                    i += 1
                    continue
                end, pattern = match
                context = ("〒",) if _POSTAL.search(text, max(0, i - 12), i) else ()
                yield Candidate(i, end, text[i:end], pattern, context)
                i = end

    def _windows(self, text: str) -> Iterator[tuple[int, int]]:
        """(first, last) positions where an address can start: up to ``_reach`` before
        each number with its marker, overlapping spans merged."""
        low = high = -1
        for anchor in _ANCHOR.finditer(text):
            start = max(0, anchor.start() - self._reach)
            if high >= 0 and start <= high + 1:
                high = anchor.start()
                continue
            if high >= 0:
                yield low, high
            low, high = start, anchor.start()
        if high >= 0:
            yield low, high

    def _address_at(self, text: str, i: int) -> tuple[int, Pattern] | None:
        places = self.places
        pref = places.prefecture_at(text, i)
        j = _after_spaces(text, i + len(pref)) if pref else i
        muni = places.municipality_at(text, j)
        unlisted = False
        if muni is None:
            shape = _SHAPE.match(text, j) if pref else None
            if shape is None:
                return None
            muni, unlisted = shape.group(0), True
        if pref is None and i > 0 and places.prefecture_at(text, max(0, i - 4)) is not None:
            return None  # inside a longer address that starts earlier
        rest = _REST.match(text, _after_spaces(text, j + len(muni)))
        if rest is None or _DISTRICT.fullmatch(rest["num"]):
            return None  # 大和町26丁目 names a district (a population table's row), not a home
        if unlisted:
            return rest.end(), _UNLISTED
        return rest.end(), (_FULL if pref else _PARTIAL)

    def validate(self, value: str) -> bool | None:
        return None  # the gazetteer was consulted while matching; the pattern says how

    def cell_value(self, cell: object, text: str) -> str | None:
        if not isinstance(cell, str):
            return None
        norm = normalize(text).text.strip()
        start = 0
        postal = re.match(r"〒?\s*[0-9]{3}-?[0-9]{4}\s*", norm)
        if postal:
            start = postal.end()
        return norm if self._address_at(norm, start) is not None else None

    def canonical(self, value: str) -> str:
        return re.sub(r"\s", "", value)

    def mask(self, value: str) -> str:
        places = self.places
        pref = places.prefecture_at(value, 0) or ""
        j = _after_spaces(value, len(pref))
        muni = places.municipality_at(value, j) or ""
        head = value[: j + len(muni)] if muni else pref
        return head + "*" * max(3, len(value) - len(head)) if head else "*" * len(value)


def _after_spaces(text: str, i: int, most: int = 2) -> int:
    """Past up to ``most`` spaces: 「東京都 千代田区 千代田1-1」 is written with them, and so is
    an address put together from the columns of a split one."""
    end = i
    while end < len(text) and end - i < most and text[end] in " 　":
        end += 1
    return end
