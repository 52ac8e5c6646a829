"""The municipality gazetteer: every prefecture and municipality name an address can start
with, read once from the bundled Address Base Registry extract (see data/gazetteer/SOURCE.md,
Public Data Licence 1.0, Digital Agency)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True, slots=True)
class Gazetteer:
    prefectures: frozenset[str]
    # Every way a municipality is written after the prefecture: 千代田区, 札幌市中央区,
    # 札幌市, 山武郡芝山町, 芝山町. Maps to the prefectures that have it.
    municipalities: dict[str, frozenset[str]]
    # Longest-first candidates keyed by their first two characters, for prefix matching.
    by_prefix: dict[str, tuple[str, ...]]

    def municipality_at(self, text: str, pos: int) -> str | None:
        """The longest municipality name that ``text`` has at ``pos``."""
        for name in self.by_prefix.get(text[pos : pos + 2], ()):
            if text.startswith(name, pos):
                return name
        return None

    def prefecture_at(self, text: str, pos: int) -> str | None:
        for length in (3, 4):  # 東京都, 北海道, 神奈川県, 和歌山県, 鹿児島県
            if text[pos : pos + length] in self.prefectures:
                return text[pos : pos + length]
        return None


@cache
def gazetteer() -> Gazetteer:
    root = resources.files("sekisho.detect") / "data" / "gazetteer"
    with (root / "pref.csv").open(encoding="utf-8") as f:
        prefectures = frozenset(row["都道府県名"] for row in csv.DictReader(f))
    names: dict[str, set[str]] = {}
    with (root / "city.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            pref, gun, city, ward = (
                row["都道府県名"],
                row["郡名"],
                row["市区町村名"],
                row["政令市区名"],
            )
            forms = [city + ward, city] if ward else [city]
            if gun:
                forms.append(gun + city)
            for form in forms:
                names.setdefault(form, set()).add(pref)
    municipalities = {k: frozenset(v) for k, v in names.items()}
    by_prefix: dict[str, list[str]] = {}
    for name in municipalities:
        by_prefix.setdefault(name[:2], []).append(name)
    return Gazetteer(
        prefectures=prefectures,
        municipalities=municipalities,
        by_prefix={k: tuple(sorted(v, key=len, reverse=True)) for k, v in by_prefix.items()},
    )
