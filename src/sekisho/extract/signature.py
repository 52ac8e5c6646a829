"""S/MIME (CMS, RFC 5652) and OpenPGP blocks: signatures are structure, the rest is read.

Every signed mail from a government PKI (LGPKI) or a company carries ``smime.p7s``. A
detached signature is a hash and certificates, not content: it is a note (``signature``),
and holding every signed mail as unscannable would teach officers to release without
looking. What a CMS structure *carries* is another matter: an opaque-signed message
(``application/pkcs7-mime; smime-type=signed-data``) holds the whole message inside the
signature, and a compressed one holds it deflated. Those contents are read as files of
their own; an encrypted one (enveloped-data) cannot be read and is said so. Bytes after
the structure are read as a file, as after a picture.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sekisho.extract.problems import NoteCode, ProblemCode

if TYPE_CHECKING:
    from sekisho.extract.dispatch import FileContext, Walker

# The DER of OID 1.2.840.113549.1.7 (PKCS #7 content types) without its last arc.
_PKCS7_OID = b"\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x07"
_PEM = re.compile(rb"\A\s*-----BEGIN (?:PKCS7|CMS)-----")
_PGP = re.compile(rb"\A\s*-----BEGIN PGP (SIGNATURE|MESSAGE|SIGNED MESSAGE)-----")
# Real signatures are a hash, a few attributes and a certificate chain: a few KiB. A bigger
# one has room for a roster (in certificate fields, unsigned attributes, notation data)
# and is not waved through as structure.
MAX_SIGNATURE_BYTES = 64 * 1024
_PGP_END = re.compile(rb"-----END PGP (?:SIGNATURE|MESSAGE)-----[ \t]*\r?\n?")
_ENCRYPTED = frozenset(
    {"enveloped_data", "encrypted_data", "authenticated_enveloped_data", "authenticated_data"}
)


def cms_kind(data: bytes) -> str | None:
    """ "cms" for a DER/BER or PEM PKCS #7 structure, "pgp" for an armoured OpenPGP block."""
    if data[:1] == b"\x30" and _PKCS7_OID in data[:32]:
        return "cms"
    if _PEM.match(data[:64]):
        return "cms"
    if _PGP.match(data[:64]):
        return "pgp"
    return None


def read_cms(walker: Walker, data: bytes, ctx: FileContext) -> None:
    from asn1crypto import cms, parser, pem

    if _PEM.match(data[:64]):
        try:
            _, _, data = pem.unarmor(data)
        except ValueError as exc:
            walker.problem(ProblemCode.CORRUPT, ctx.origin, f"PEM: {exc}")
            return
    try:
        _, _, _, header, contents, trailer = parser.parse(data)
        end = len(header) + len(contents) + len(trailer)
        info = cms.ContentInfo.load(data[:end])
        kind = info["content_type"].native
        content = info["content"]
        inner = _inner(kind, content)
    except (ValueError, TypeError, KeyError) as exc:
        walker.problem(ProblemCode.CORRUPT, ctx.origin, f"PKCS #7 structure: {exc}")
        return
    if kind in _ENCRYPTED:
        walker.problem(ProblemCode.ENCRYPTED, ctx.origin, f"S/MIME {kind.replace('_', '-')}")
    elif kind == "signed_data" and not inner and end > MAX_SIGNATURE_BYTES:
        detail = f"a detached signature of {end:,} bytes (real ones are a few KiB)"
        walker.problem(ProblemCode.UNSUPPORTED, ctx.origin, detail)
    elif kind == "signed_data":
        walker.note(NoteCode.SIGNATURE, ctx.origin, "S/MIME (CMS) signature")
    elif inner is None:
        walker.problem(ProblemCode.UNSUPPORTED, ctx.origin, f"PKCS #7 {kind}")
    if inner:
        walker.budget.take_bytes(len(inner))
        walker.file(inner, ctx.member(f"content of the {kind.replace('_', ' ')}", "document"))
    rest = data[end:]
    if rest.strip(b"\x00 \t\r\n"):
        walker.file(rest, ctx.member("data after the PKCS #7 structure", "document"))


def _inner(kind: str, content: object) -> bytes | None:
    """The content a CMS structure carries, if any (a detached signature carries none)."""
    if kind == "data":
        return content.native  # type: ignore[attr-defined,no-any-return]
    if kind == "signed_data":
        return content["encap_content_info"]["content"].native  # type: ignore[index,no-any-return]
    if kind == "compressed_data":
        return content.decompressed  # type: ignore[attr-defined,no-any-return]
    return None


def read_pgp(walker: Walker, data: bytes, ctx: FileContext) -> None:
    """An armoured OpenPGP block: a signature is a note, a message is encrypted, a
    clear-signed text is read as text. What follows the block is read as a file."""
    match = _PGP.match(data[:64])
    assert match is not None  # sniff said "pgp"
    block = match[1].decode()
    if block == "SIGNED MESSAGE":  # the text is in clear, the signature follows it
        from sekisho.extract import plaintext

        walker.note(NoteCode.SIGNATURE, ctx.origin, "OpenPGP clear-signed text")
        plaintext.read_text(walker, data, ctx)
        return
    end = _PGP_END.search(data)
    stop = end.end() if end else len(data)
    if block == "MESSAGE":
        walker.problem(ProblemCode.ENCRYPTED, ctx.origin, "OpenPGP message")
    elif stop > MAX_SIGNATURE_BYTES or end is None:
        detail = "an OpenPGP signature without its end line or larger than any real one"
        walker.problem(ProblemCode.UNSUPPORTED, ctx.origin, detail)
    else:
        walker.note(NoteCode.SIGNATURE, ctx.origin, "OpenPGP signature")
    rest = data[stop:]
    if rest.strip(b"\x00 \t\r\n"):
        walker.file(rest, ctx.member("data after the OpenPGP block", "document"))
