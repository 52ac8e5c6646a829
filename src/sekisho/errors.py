"""The exceptions Sekisho raises, rooted in one class so callers can catch them all.

    SekishoError
    ├── RegistryError               a recognizer registry was built wrongly
    │   └── DuplicateRecognizerError  a second recognizer for one entity type
    ├── ScanInputError              a path given to the scanner cannot be opened at all
    ├── DecisionError               an approval, rejection or cancel that is not allowed
    └── StoreLostError              the database file was removed or replaced while in use

A file that is *read* but cannot be understood (corrupt, encrypted, unknown encoding)
is not an exception: it becomes a ``Problem`` in the report, so that policy can decide
what an unscannable attachment means. Exceptions are for mistakes of the caller.
"""


class SekishoError(Exception):
    """Root of every error Sekisho raises on purpose."""


class RegistryError(SekishoError):
    """A recognizer registry was assembled wrongly (a programming error)."""


class DuplicateRecognizerError(RegistryError):
    """Two recognizers claimed the same entity type; silently keeping one would hide the other."""


class ScanInputError(SekishoError):
    """A path handed to the scanner does not exist or is not a file or directory."""


class DecisionError(SekishoError):
    """A decision on a held or delayed message that is not allowed (self-approval, no
    comment, already decided). ``reason_ja`` is for the person who tried."""

    def __init__(self, reason: str, reason_ja: str) -> None:
        super().__init__(reason)
        self.reason_ja = reason_ja


class StoreLostError(SekishoError):
    """The database file this process opened was removed or replaced under it: nothing
    written now would be found again, so the gateway answers 451 until it is restarted."""
