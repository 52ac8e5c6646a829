"""The exceptions Sekisho raises, rooted in one class so callers can catch them all.

    SekishoError
    ├── RegistryError               a recognizer registry was built wrongly
    │   └── DuplicateRecognizerError  a second recognizer for one entity type
    └── ScanInputError              a path given to the scanner cannot be opened at all

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
