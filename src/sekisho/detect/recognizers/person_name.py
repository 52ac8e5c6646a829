"""PERSON_NAME: people's names in kanji, kana or romaji, found with SudachiPy."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from string import ascii_letters

from sekisho.detect.entities import PERSON_NAME
from sekisho.detect.mask import mask_text
from sekisho.detect.normalize import normalize
from sekisho.detect.recognizer import Candidate, Pattern, Recognizer
from sekisho.detect.romaji import is_romaji_name

HONORIFICS = ("様", "さん", "殿", "氏", "君", "くん", "ちゃん")
_FULL = Pattern("family + given name", re.compile(""), 0.6)
_HONORED = Pattern("family name + honorific", re.compile(""), 0.4)
_SINGLE = Pattern("single name", re.compile(""), 0.1)
_ROMAJI = Pattern(
    "romaji name",
    re.compile(
        r"(?<![A-Za-z])(?P<value>[A-Z][a-z]{1,15}(?:[ ,]+[A-Z][a-z]{1,15}|[ ,]+[A-Z]{2,16}))(?![A-Za-z])"
    ),
    0.2,
)
# A name as a roster cell holds it: kanji or kana, optionally one space between the parts.
_NAME_CHARS = r"[\u4e00-\u9fff\u3005\u3006\u30f5\u30f6ぁ-んァ-ヶー・]"
_CELL_KANJI_KANA = re.compile(rf"{_NAME_CHARS}{{1,8}}(?:[ 　]{_NAME_CHARS}{{1,8}})?")
# One part of a name in its own column (姓（ローマ字） YAMADA, 名（ローマ字） Taro).
_ROMAJI_WORD = re.compile(r"[A-Z][a-z]{1,15}(?:[A-Z][a-z]{1,15})?|[A-Z]{2,16}")
_CELL_ROMAJI = re.compile(
    r"[A-Za-z][a-z]{1,15}(?:[ ,]+[A-Za-z][a-z]{1,15})|[A-Z]{2,16}(?:[ ,]+[A-Z]{2,16})"
)

_local = threading.local()
_dictionary_lock = threading.Lock()
_dictionary = None


def _person_matcher():  # type: ignore[no-untyped-def]
    """Sudachi's own test for the part of speech 名詞,固有名詞,人名,* (any of 姓, 名, 一般)."""
    global _matcher
    if _matcher is None:
        _tokenizer()
        assert _dictionary is not None
        _matcher = _dictionary.pos_matcher(lambda pos: pos[2] == "人名")
    return _matcher


_matcher = None


def _tokenizer():  # type: ignore[no-untyped-def]
    """A Sudachi tokenizer for this thread (tokenizers are not thread-safe), all made from
    one dictionary loaded on first use (it is shared: a second copy would cost ~70 MB)."""
    global _dictionary
    tokenizer = getattr(_local, "tokenizer", None)
    if tokenizer is None:
        from sudachipy import Dictionary, SplitMode

        with _dictionary_lock:
            if _dictionary is None:
                _dictionary = Dictionary(dict="core")
        make = getattr(_dictionary, "tokenizer", None) or _dictionary.create  # renamed in 0.7
        # Only the fields read here (surface, part of speech): the rest are never
        # decoded (~5% of tokenizing a letter).
        tokenizer = make(mode=SplitMode.C, fields={"surface", "pos"})
        _local.tokenizer = tokenizer
    return tokenizer


# What a proper noun ends with when it names a place, a building or an organisation: a
# "name" the tokenizer finds right before one is part of that noun (東大成保育園,
# 国木田独歩旧宅, 大宮聖苑, 辻南小児童クラブ), not a person.
_FACILITY = re.compile(
    r"保育|幼稚園|こども園|学校|小学|中学|高校|高等|大学|学園|学院|児童|センター|クラブ|"
    r"記念|旧宅|旧居|生家|邸|館|苑|園|院|病院|医院|診療所|クリニック|会館|ホール|公園|"
    r"神社|寺|宮|団地|通り|橋|駅|店|商店|食堂|ビル|荘|寮|ハイツ|マンション|文庫|塾|"
    r"協会|組合|事務所|碑|像|城|跡|公民館|集会所|出張所|支所|役場|庁舎|商会|工業|"
    r"製作所|温泉|旅館|ホテル|山荘|農園|牧場|霊園|聖苑|斎場|岳|山|川|池|湖|島|岬|滝|峠"
)
_RUN_END = re.compile(r"[\s、。,，.．・;；:：|｜/()（）「」『』【】\[\]]")


def _facility_follows(text: str, end: int) -> bool:
    """Whether the word run right after a candidate name goes on into a facility's or a
    place's noun starting within 4 characters (before any space, punctuation or particle):
    東大成|保育園, 国木田独歩|旧宅, 辻南|小児童クラブ, 森鷗外|記念館で. A title after a
    name is a person's (館長, 園長)."""
    stop = _RUN_END.search(text, end, end + 9)
    run = text[end : stop.start() if stop else end + 9]
    match = _FACILITY.search(run)
    if match is None or match.start() > 4:
        return False
    if any(ch in _PARTICLES for ch in run[: match.start()]):
        return False  # 山田太郎が館… : a sentence goes on, the name ended
    return not run.startswith(_TITLE, match.end())


def _place_like(given: str) -> bool:
    """A "given name" that is a direction (大井川|南, 辻|南) or ends as a building does
    (大宮|聖苑): the tokenizer's guess inside a place's or a facility's name."""
    return given in _DIRECTIONS or (len(given) >= 2 and given[-1] in _BUILDING_ENDS)


_DIRECTIONS = frozenset("東西南北上中下")
_BUILDING_ENDS = "苑園館院宮寺殿堂閣荘岳"
_PARTICLES = "がのをはにともへやで"
_TITLE = ("長", "員", "主", "司", "士")


# At most 4 UTF-8 bytes a character: 12,000 characters stay under Sudachi's 49,149 bytes.
WINDOW_CHARS = 12_000
_BREAK = re.compile(r"[\s、。,，.．・;；|｜/]")


def windows(text: str, size: int = WINDOW_CHARS) -> Iterator[tuple[int, int]]:
    """Consecutive (start, end) windows of at most ``size`` characters that cover ``text``,
    each cut after a space or punctuation near its end when there is one, so that a name
    is not split between two windows (a run with no break at all is cut where it must)."""
    start, n = 0, len(text)
    while start < n:
        end = min(n, start + size)
        if end < n:
            cut = None
            for match in _BREAK.finditer(text, max(start, end - 200), end):
                cut = match.end()
            end = cut if cut is not None and cut > start else end
        yield start, end
        start = end


class PersonNameRecognizer(Recognizer):
    """Names by part of speech, not by a home-made list: SudachiPy with sudachidict-core
    tags 名詞,固有名詞,人名,{姓,名,一般}. A family name followed by a given name (with or
    without a space) is a name; a family name alone needs an honorific (様, さん, 殿, 氏);
    a lone given name or surname with only a label is too weak ("担当 佐藤" in a press
    release is staff, not a resident). Labels (氏名, 対象者, 担当, 利用者) raise the score.
    Katakana readings (フリガナ, カナ氏名, セイ/メイ columns) are names too; romaji names
    need a label (Name, Mr., Ms.) and every part spelt in Japanese syllables (``romaji.py``:
    "Sato Taro" yes, "United States" no).

    Place names (地名), era names (昭和) and organisation names (株式会社…) are not 人名
    in the dictionary and are not reported.
    """

    name = "PersonNameRecognizer"
    entity = PERSON_NAME
    patterns = (_FULL, _HONORED, _SINGLE, _ROMAJI)
    context_words = (
        "氏名",
        "名前",
        "対象者",
        "担当",
        "利用者",
        "本人",
        "被保険者",
        "申請者",
        "患者",
        "入居者",
        "世帯主",
        "保護者",
        "name",
        "mr.",
        "ms.",
        "mrs.",
        "dear",
    )
    negative_words = ("株式会社", "有限会社", "(株)", "会社", "駅", "通り", "公園", "ビル")
    needs = "letter"
    valid_bonus = 0.0
    validation_name = "dictionary"
    header_words = (
        "氏名",
        "名前",
        "フリガナ",
        "ふりがな",
        "カナ",
        "よみがな",
        "セイ",
        "メイ",
        "name",
        "対象者",
        "利用者",
        "被保険者名",
        "世帯主",
        "担当者",
        "申請者",
        "受取人",
        "名義",
        "姓",
        "ローマ字",
        "romaji",
        "first name",
        "last name",
        "given name",
        "family name",
        "surname",
    )
    header_exact = ("名", "名前", "めい", "first", "last", "given")
    header_shape_words = (
        "カナ",
        "カタカナ",
        "フリガナ",
        "ふりがな",
        "よみ",
        "ヨミ",
        "ローマ字",
        "romaji",
        "phonetic",
        "rubi",
        "kana",
    )
    header_exclude = (
        # columns of things' names: a nursery, a shop, a spot, an event, a title
        "名称",
        "施設",
        "学校名",
        "園名",
        "病院名",
        "医療機関",
        "機関名",
        "店舗",
        "スポット",
        "設置場所",
        "場所",
        "所在地",
        "住所",
        "イベント",
        "催事",
        "展示",
        "タイトル",
        "件名",
        "題名",
        "路線",
        "駅名",
        "事業所名",
        "会社名",
        "法人名",
        "商品名",
        "地区名",
        "品名",
        "店名",
        "会場名",
        "団体名",
        "file name",
        "user name",
        "username",
    )
    column_score = 0.6
    column_shape = re.compile(
        f"{_CELL_KANJI_KANA.pattern}|{_CELL_ROMAJI.pattern}|{_ROMAJI_WORD.pattern}"
    )

    def candidates(self, text: str) -> Iterator[Candidate]:
        yield from self._sudachi_candidates(text)
        pos = 0
        while (match := _ROMAJI.regex.search(text, pos)) is not None:
            start, value = match.start("value"), match.group("value")
            if is_romaji_name(value):  # not "United States", "Dear Loondear"
                yield Candidate(start, match.end("value"), value, _ROMAJI)
                pos = match.end("value")
            else:  # "Dear Hanako Sato": try again from the second word
                pos = start + len(value) - len(value.lstrip(ascii_letters))

    def _sudachi_candidates(self, text: str) -> Iterator[Candidate]:
        if "\n" in text:
            # Line by line: a line is a unit of meaning in mails and forms, and the text of
            # other lines would sway the lattice (林 read as "forest" after a line break).
            offset = 0
            for line in text.splitlines(keepends=True):
                for c in self._line_candidates(line):
                    yield Candidate(c.start + offset, c.end + offset, c.value, c.pattern, c.context)
                offset += len(line)
            return
        yield from self._line_candidates(text)

    def _line_candidates(self, text: str) -> Iterator[Candidate]:
        """Candidates of one line, tokenized in windows Sudachi accepts (its input limit
        is 49,149 bytes: a minified HTML body or a long CSV cell is longer)."""
        if len(text) <= WINDOW_CHARS:
            yield from self._window_candidates(text)
            return
        for start, end in windows(text):
            for c in self._window_candidates(text[start:end]):
                yield Candidate(c.start + start, c.end + start, c.value, c.pattern, c.context)

    def _window_candidates(self, text: str) -> Iterator[Candidate]:
        if not text.strip():
            return
        tokens = _tokenizer().tokenize(text)
        person = _person_matcher()
        n = len(tokens)
        i = 0
        while i < n:
            token = tokens[i]
            if not person(token):  # decided in Sudachi, no tuple built per token
                i += 1
                continue
            begin, end, kind = token.begin(), token.end(), token.part_of_speech()[3]
            j = i + 1
            if j + 1 < n and tokens[j].surface().isspace() and person(tokens[j + 1]):
                j += 1
            if j < n and person(tokens[j]) and kind != "名":
                stop = tokens[j].end()
                if _facility_follows(text, stop) or _place_like(tokens[j].surface()):
                    i = j + 1
                    continue
                following = tokens[j + 1].surface() if j + 1 < n else ""
                context = (following,) if following in HONORIFICS else ()
                yield Candidate(begin, stop, text[begin:stop], _FULL, context)
                i = j + 1
                continue
            # 姓 + a given name the dictionary does not know as one + honorific:
            # 「長谷川 零さん」 (零 is a common noun to Sudachi).
            k = i + 1 + (1 if i + 1 < n and tokens[i + 1].surface().isspace() else 0)
            if (
                kind == "姓"
                and k + 1 < n
                and tokens[k].part_of_speech()[0] == "名詞"
                and len(tokens[k].surface()) <= 3
                and tokens[k + 1].surface() in HONORIFICS
            ):
                stop = tokens[k].end()
                yield Candidate(begin, stop, text[begin:stop], _FULL, (tokens[k + 1].surface(),))
                i = k + 1
                continue
            following = tokens[i + 1].surface() if i + 1 < n else ""
            if following not in HONORIFICS and _facility_follows(text, end):
                i += 1
                continue
            if following in HONORIFICS:
                yield Candidate(begin, end, text[begin:end], _HONORED, (following,))
            else:
                yield Candidate(begin, end, text[begin:end], _SINGLE)
            i += 1

    def cell_value(self, cell: object, text: str) -> str | None:
        """A whole cell that is a name: most tokens are 人名 and none is a place or a word."""
        if not isinstance(cell, str) or not 1 < len(text) <= 40:
            return None
        value = normalize(text).text.strip()
        if _CELL_ROMAJI.fullmatch(value) or _ROMAJI_WORD.fullmatch(value):
            return value if is_romaji_name(value) else None
        if not _CELL_KANJI_KANA.fullmatch(value):
            return None
        names = others = 0
        for m in _tokenizer().tokenize(value):
            pos = m.part_of_speech()
            if pos[0] == "空白" or pos[0] == "補助記号":
                continue
            if pos[2] == "人名":
                names += 1
            elif pos[1] == "固有名詞" and pos[2] == "地名":
                return None
            else:
                others += 1
        return value if names and names >= others else None

    def plausible_column(self, values: list[str]) -> bool:
        # Without a header, single Latin words are cities, products and clubs as often as
        # names (Tokyo, Sendai, Kobe are Japanese syllables too).
        return not all(_ROMAJI_WORD.fullmatch(v) for v in values)

    def column_cell_value(self, cell: object, text: str) -> object | None:
        """In a column already known to hold names, the shape is enough (and fast)."""
        if not isinstance(cell, str):
            return None
        value = text.strip()
        shape = self.column_shape
        if shape.fullmatch(value):
            return value
        value = normalize(value).text
        return value if shape.fullmatch(value) else None

    def canonical(self, value: str) -> str:
        return re.sub(r"\s", "", value)

    def mask(self, value: str) -> str:
        parts = value.split()
        if len(parts) >= 2:
            return parts[0] + " " + " ".join("*" * len(p) for p in parts[1:])
        keep = 2 if len(value) >= 4 else 1
        return mask_text(value, keep=keep)
