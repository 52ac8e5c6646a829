"""Property: however the MIME structure around a roster is varied (boundaries, transfer
encodings, nesting, header sizes, line ends, parameter case), the roster is found or the
message is unscannable — never clean."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sekisho.scan import Scanner
from tests.extract.hostile_mail import CRLF, b64, message, roster_csv, roster_xlsx, uuencode

_SCANNER = Scanner()
_CSV = roster_csv()
_XLSX = roster_xlsx()
_BOUNDARY = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'()+_,-./:=?",
    min_size=1,
    max_size=60,
).filter(lambda b: not b.endswith(" "))


def _payload(kind: str, encoding: str) -> tuple[str, str]:
    data = _CSV if kind == "csv" else _XLSX
    name = "list.csv" if kind == "csv" else "list.xlsx"
    if encoding == "x-uuencode":
        return encoding, uuencode(data, name)
    if encoding in ("7bit", "quoted-printable", "x-foo", "base64"):
        return encoding, b64(data)
    return "base64", b64(b64(data).encode("ascii"))  # base64 of base64


@settings(
    max_examples=int(os.environ.get("SEKISHO_FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    kind=st.sampled_from(["csv", "xlsx"]),
    encoding=st.sampled_from(
        ["base64", "7bit", "quoted-printable", "x-uuencode", "x-foo", "double"]
    ),
    subtypes=st.lists(
        st.sampled_from(["mixed", "related", "alternative", "x-anything"]), max_size=6
    ),
    boundaries=st.lists(_BOUNDARY, min_size=6, max_size=6, unique=True),
    padding=st.integers(min_value=0, max_value=300),
    label=st.sampled_from(["application/octet-stream", "text/plain", "image/png", "text/csv"]),
    upper=st.booleans(),
    lf_only=st.booleans(),
)
def test_structure_never_hides_the_roster(
    kind: str,
    encoding: str,
    subtypes: list[str],
    boundaries: list[str],
    padding: int,
    label: str,
    upper: bool,
    lf_only: bool,
) -> None:
    cte, body = _payload(kind, encoding)
    name = "list.csv" if kind == "csv" else "list.xlsx"
    part = (
        f"Content-Type: {label}; name={name}{CRLF}"
        f"Content-Disposition: attachment; filename={name}{CRLF}"
        f"Content-Transfer-Encoding: {cte}{CRLF}{CRLF}{body}"
    )
    for subtype, boundary in zip(subtypes, boundaries, strict=False):
        ctype = f'multipart/{subtype}; boundary="{boundary}"'
        if upper:
            ctype = ctype.upper().replace(boundary.upper(), boundary)
        note = f"Content-Type: text/plain; charset=utf-8{CRLF}{CRLF}送付します"
        part = (
            f"Content-Type: {ctype}{CRLF}{CRLF}"
            f"--{boundary}{CRLF}{note}{CRLF}--{boundary}{CRLF}{part}{CRLF}--{boundary}--{CRLF}"
        )
    headers, _, body = part.partition(CRLF + CRLF)
    pad = "".join(f"X-Pad-{i}: {'x' * 60}{CRLF}" for i in range(padding))
    data = message(pad + headers + CRLF, body)
    if lf_only:
        data = data.replace(b"\r\n", b"\n")
    report = _SCANNER.scan_bytes(data, "message.eml")
    assert report.unscannable or report.records >= 80, (report.records, report.entities)
