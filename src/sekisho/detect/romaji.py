"""Whether a Latin word can be a Japanese name written in romaji.

A Japanese name in romaji is a run of Japanese syllables (Hepburn, Kunrei or passport
spelling: Sato, Satoh, Itou, Shin'ichi, Homma, Hattori); English words almost never are
("United", "States", "Dear", "Manchester", "Madrid" end in a consonant or hold clusters
Japanese has not). This is the check instead of a romaji surname list: it needs no data
file and also admits given names, which no short list covers.
"""

from __future__ import annotations

import re

_SYLLABLE = (
    r"(?:ky|gy|sh|sy|jy|ch|cy|ts|ny|hy|by|py|my|ry|dy|zy|[kgsztdnhbpmrwyfjv])?"
    r"[aiueoāīūēō](?:h(?![aiueo]))?"  # a vowel; "oh" for a long vowel (Satoh, Ohno)
    r"|n'?(?![aiueoy])"  # moraic n (Kondo, Shin'ichi)
    r"|n'(?=[aiueoy])"
    r"|m(?=[bpm])"  # Hepburn's m before b, p, m (Homma, Namba)
    r"|([kgsztdbpfc])(?=\1)"  # a doubled consonant (Hattori, Nakka)
    r"|[tc](?=ch)"  # Hatchōbori, Hocchi
)
_WORD = re.compile(rf"(?:{_SYLLABLE})+", re.IGNORECASE)


def is_japanese_romaji(word: str) -> bool:
    """``Sato`` yes, ``Smith`` no; at least two letters."""
    return len(word) >= 2 and _WORD.fullmatch(word) is not None


def is_romaji_name(value: str) -> bool:
    """Every part of ``Yamada Taro`` / ``YAMADA, Taro`` / ``YamadaTaro`` is Japanese romaji."""
    parts = [p for p in re.split(r"[\s,]+|(?<=[a-z])(?=[A-Z])", value) if p]  # TakiHina
    return bool(parts) and all(is_japanese_romaji(p) for p in parts)
