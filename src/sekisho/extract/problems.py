"""Why a part could not be read, in words for people (English and Japanese) and a code for tools.

Codes are a closed set so that policy rules and tests can match on them; the detail
says what exactly went wrong for this file.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ProblemCode(StrEnum):
    EMPTY = "empty"
    BINARY = "binary"
    UNKNOWN_ENCODING = "unknown-encoding"
    CORRUPT = "corrupt"
    UNSUPPORTED = "unsupported"
    ENCRYPTED = "encrypted"
    TOO_LARGE = "too-large"
    UNREADABLE = "unreadable"
    NO_TEXT = "no-text-layer"
    SUSPICIOUS_NAME = "suspicious-name"
    UNSAFE_CONTENT = "unsafe-content"


_TEXTS: dict[ProblemCode, tuple[str, str]] = {
    ProblemCode.EMPTY: ("the file is empty", "ファイルが空です"),
    ProblemCode.BINARY: ("binary data, not text", "テキストではなくバイナリデータです"),
    ProblemCode.UNKNOWN_ENCODING: (
        "the text encoding could not be determined",
        "文字コードを判別できません",
    ),
    ProblemCode.CORRUPT: (
        "the file is damaged or truncated",
        "ファイルが壊れているか途中で切れています",
    ),
    ProblemCode.UNSUPPORTED: (
        "this file type is not read yet",
        "この形式のファイルはまだ読み取れません",
    ),
    ProblemCode.ENCRYPTED: ("the file is encrypted", "ファイルが暗号化されています"),
    ProblemCode.TOO_LARGE: ("a limit was reached", "処理の上限を超えました"),
    ProblemCode.UNREADABLE: ("the file could not be opened", "ファイルを開けません"),
    ProblemCode.NO_TEXT: (
        "no text layer (a scanned image?)",
        "テキスト層がありません（画像のみの PDF など）",
    ),
    ProblemCode.SUSPICIOUS_NAME: (
        "the file name is made to deceive",
        "ファイル名が偽装されています",
    ),
    ProblemCode.UNSAFE_CONTENT: (
        "the file contains constructs refused for safety",
        "安全のため処理を拒否する構造が含まれています",
    ),
}


class _Told:
    """A code with a detail, told to people in English and Japanese (problems and notes)."""

    __slots__ = ()
    code: StrEnum
    location: str
    detail: str

    def _texts(self) -> tuple[str, str]:
        raise NotImplementedError

    @property
    def reason(self) -> str:
        base = self._texts()[0]
        return f"{base}: {self.detail}" if self.detail else base

    @property
    def reason_ja(self) -> str:
        return self._texts()[1]

    def to_dict(self) -> dict[str, str]:
        return {
            "code": str(self.code),
            "location": self.location,
            "reason": self.reason,
            "reason_ja": self.reason_ja,
        }


@dataclass(frozen=True, slots=True)
class Problem(_Told):
    """One part that could not be scanned. It makes the whole file *unscannable*."""

    code: ProblemCode
    location: str = ""
    detail: str = ""

    def _texts(self) -> tuple[str, str]:
        return _TEXTS[self.code]


class NoteCode(StrEnum):
    """What was met and deliberately not read as content: not a failure, and it does not
    make a file unscannable. Policy may still decide on it (``images: true``)."""

    IMAGE = "image"
    SIGNATURE = "signature"


_NOTE_TEXTS: dict[NoteCode, tuple[str, str]] = {
    NoteCode.IMAGE: (
        "a picture: its pixels are not read (text in pictures is a later version's)",
        "画像です（画像内の文字は読み取っていません）",
    ),
    NoteCode.SIGNATURE: (
        "a digital signature: structure, not content",
        "電子署名です（内容ではありません）",
    ),
}


@dataclass(frozen=True, slots=True)
class Note(_Told):
    """Something met and not read as content, said so (a photo, a logo, an S/MIME
    signature)."""

    code: NoteCode
    location: str = ""
    detail: str = ""

    def _texts(self) -> tuple[str, str]:
        return _NOTE_TEXTS[self.code]
