"""S/MIME and OpenPGP: a signature is a note, what a CMS structure carries is read."""

from __future__ import annotations

import datetime
from email.message import EmailMessage

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import NameOID

from sekisho.extract import NoteCode, ProblemCode, extract_bytes

ROSTER = "氏名,電話\n山田 太郎,090-1234-5678\n佐藤 花子,080-2345-6789\n".encode()


@pytest.fixture(scope="module")
def signer() -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "city.example.lg.jp")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    return cert, key


def _signed(signer, data: bytes, *options: pkcs7.PKCS7Options) -> bytes:  # type: ignore[no-untyped-def]
    cert, key = signer
    builder = pkcs7.PKCS7SignatureBuilder().set_data(data).add_signer(cert, key, hashes.SHA256())
    return builder.sign(serialization.Encoding.DER, list(options))


def _mail(attachment: bytes, subtype: str, name: str) -> bytes:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "a@city.example.lg.jp", "b@example.com", "署名"
    msg.set_content("資料を送ります。\n")
    msg.add_attachment(attachment, maintype="application", subtype=subtype, filename=name)
    return bytes(msg)


def test_a_detached_smime_signature_is_a_note_not_a_problem(signer) -> None:  # type: ignore[no-untyped-def]
    p7s = _signed(
        signer, b"Content-Type: text/plain\r\n\r\nhello\r\n", pkcs7.PKCS7Options.DetachedSignature
    )
    result = extract_bytes(_mail(p7s, "pkcs7-signature", "smime.p7s"), "m.eml")
    assert result.problems == []
    assert [(n.code, n.location) for n in result.notes] == [
        (NoteCode.SIGNATURE, "attachment smime.p7s")
    ]


def test_an_opaque_signed_message_is_read_inside_the_signature(signer) -> None:  # type: ignore[no-untyped-def]
    p7m = _signed(signer, ROSTER)
    result = extract_bytes(_mail(p7m, "pkcs7-mime", "smime.p7m"), "m.eml")
    texts = [getattr(p, "text", "") + str(getattr(p, "rows", "")) for p in result.parts]
    assert any("山田 太郎" in t for t in texts), "the signed content is read"
    assert any(n.code is NoteCode.SIGNATURE for n in result.notes)


def test_an_encrypted_smime_message_is_unscannable(signer) -> None:  # type: ignore[no-untyped-def]
    cert, _ = signer
    p7m = (
        pkcs7.PKCS7EnvelopeBuilder()
        .set_data(ROSTER)
        .add_recipient(cert)
        .encrypt(serialization.Encoding.DER, [])
    )
    result = extract_bytes(p7m, "smime.p7m")
    assert [p.code for p in result.problems] == [ProblemCode.ENCRYPTED]


def test_bytes_after_a_signature_are_read(signer) -> None:  # type: ignore[no-untyped-def]
    p7s = _signed(signer, b"x", pkcs7.PKCS7Options.DetachedSignature)
    result = extract_bytes(p7s + b"\n" + ROSTER, "smime.p7s")
    assert any(n.code is NoteCode.SIGNATURE for n in result.notes)
    assert any("data after the PKCS #7 structure" in getattr(p, "origin", "") for p in result.parts)


def test_a_signature_with_magic_but_broken_structure_is_corrupt() -> None:
    fake = b"\x30\x82\x05\x00\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x07\x02" + b"\x00" * 40
    assert [p.code for p in extract_bytes(fake, "smime.p7s").problems] == [ProblemCode.CORRUPT]


def test_openpgp_armour() -> None:
    sig = b"-----BEGIN PGP SIGNATURE-----\n\niQEz\n=abcd\n-----END PGP SIGNATURE-----\n"
    assert [n.code for n in extract_bytes(sig, "signature.asc").notes] == [NoteCode.SIGNATURE]
    assert extract_bytes(sig, "signature.asc").problems == []
    smuggled = extract_bytes(sig + ROSTER, "signature.asc")
    assert any("data after the OpenPGP block" in getattr(p, "origin", "") for p in smuggled.parts)
    message = b"-----BEGIN PGP MESSAGE-----\n\nhQEM\n-----END PGP MESSAGE-----\n"
    assert [p.code for p in extract_bytes(message, "m.asc").problems] == [ProblemCode.ENCRYPTED]
