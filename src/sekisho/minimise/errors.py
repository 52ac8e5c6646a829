"""Why a minimisation cannot be done, in Japanese and English."""

from __future__ import annotations

from sekisho.errors import SekishoError


class MinimiseError(SekishoError):
    """An unknown column, a file without a table, an option that does not fit the data.
    ``str`` is the English; ``ja`` is for the clerk."""

    def __init__(self, ja: str, en: str) -> None:
        super().__init__(en)
        self.ja = ja

    def both(self) -> str:
        return f"{self.ja} / {self}"
