"""Send what the recipient needs: a roster reduced to counts (grouped by the chosen
columns and an age band, small counts suppressed) or to the needed columns, in the input's
own format with a note of how it was derived. Reads with ``extract`` (streamed) and names
columns with ``detect``; knows nothing of mail, policy or the store."""

from sekisho.minimise.errors import MinimiseError
from sekisho.minimise.run import Request, Result, minimise
from sekisho.minimise.source import Column, Table, tables_of
from sekisho.minimise.split import Split, split

__all__ = [
    "Column",
    "MinimiseError",
    "Request",
    "Result",
    "Split",
    "Table",
    "minimise",
    "split",
    "tables_of",
]
