"""File names made to deceive: 名簿.xlsx.exe, right-to-left overrides, path traversal."""

from __future__ import annotations

import unicodedata

# Extensions of programs and scripts Windows runs on a double-click.
EXECUTABLE_EXTENSIONS = frozenset(
    [
        ".exe",
        ".scr",
        ".com",
        ".bat",
        ".cmd",
        ".pif",
        ".js",
        ".jse",
        ".vbs",
        ".vbe",
        ".wsf",
        ".wsh",
        ".hta",
        ".lnk",
        ".ps1",
        ".msi",
        ".jar",
        ".cpl",
        ".reg",
    ]
)
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")

# The kinds an extension promises, to notice a workbook named .csv or a program named .xlsx.
EXTENSION_KINDS = {
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".docx": "docx",
    ".docm": "docx",
    ".pptx": "pptx",
    ".zip": "zip",
    ".pdf": "pdf",
    ".xls": "ole",
    ".doc": "ole",
    ".msg": "ole",
    ".7z": "7z",
    ".rar": "rar",
    ".ods": "odf",
    ".odt": "odf",
    ".odp": "odf",
    ".eml": "eml",
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "text",
}


def extension(name: str) -> str:
    base = name.rsplit("/", 1)[-1]
    return base[base.rfind(".") :].lower() if "." in base else ""


def deceptive(name: str) -> str | None:
    """Why ``name`` is made to deceive a reader, or None."""
    if not _BIDI.isdisjoint(name):
        return "bidirectional control character in the name (hides the real extension)"
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    parts = base.lower().split(".")
    if len(parts) >= 3 and "." + parts[-1] in EXECUTABLE_EXTENSIONS:
        return f"double extension ending in .{parts[-1]}"
    if any(unicodedata.category(ch) == "Cc" for ch in name):
        return "control character in the name"
    return None


def traversal(name: str) -> bool:
    """Whether an archive member name climbs out of the archive or is absolute."""
    path = name.replace("\\", "/")
    return path.startswith("/") or (len(path) > 1 and path[1] == ":") or ".." in path.split("/")


def mismatch(name: str, kind: str) -> bool:
    """Whether the content is of another kind than the extension promises."""
    promised = EXTENSION_KINDS.get(extension(name))
    if promised is None or kind == promised:
        return False
    return not (promised == "text" and kind == "csv") and not (promised == "csv" and kind == "text")
