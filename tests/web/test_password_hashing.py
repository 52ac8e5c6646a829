"""Passwords are hashed with argon2id at the library's production parameters (the tests
elsewhere inject a cheap set); a hash made with either verifies, a wrong password does
not, and a damaged hash is refused rather than raised."""

from __future__ import annotations

from sekisho.web import security


def test_production_parameters_are_argon2id_64_mib_three_passes() -> None:
    digest = security.PRODUCTION_HASHER.hash("a long enough passphrase")
    assert digest.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert security.check_password(digest, "a long enough passphrase")  # any hasher verifies
    assert not security.check_password(digest, "a long enough passphrase!")
    assert not security.check_password("not a hash", "x")


def test_the_tests_hash_cheaply() -> None:
    assert security.hash_password("x" * 12).startswith("$argon2id$v=19$m=1024,t=1,p=1$")
