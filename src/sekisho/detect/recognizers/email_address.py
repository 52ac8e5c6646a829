"""EMAIL_ADDRESS: an addr-spec as people write it (RFC 5322 dot-atom forms)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from sekisho.detect.entities import EMAIL_ADDRESS
from sekisho.detect.mask import mask_email
from sekisho.detect.recognizer import Candidate, Pattern, Recognizer

# Mailboxes of an office, not of a person (role accounts, department names in romaji).
ROLE_LOCALS = frozenset(
    [
        "info",
        "contact",
        "support",
        "help",
        "webmaster",
        "postmaster",
        "admin",
        "office",
        "mail",
        "noreply",
        "no-reply",
        "kouhou",
        "koho",
        "kouho",
        "press",
        "soumu",
        "somu",
        "kourei",
        "koureifukushi",
        "kaigo",
        "kaigohoken",
        "fukushi",
        "hoken",
        "kenko",
        "kenkou",
        "shimin",
        "jinji",
        "zaimu",
        "kikaku",
        "toiawase",
        "madoguchi",
        "jimukyoku",
        "sodan",
        "soudan",
        "center",
        "sales",
        "service",
        "desk",
        "reception",
    ]
)

# Header fields whose angle-bracketed values are message and part identifiers (RFC 5322
# msg-id, RFC 2392 cid/mid): they have an addr-spec's shape and name no mailbox.
_ID_FIELD = re.compile(
    r"(?im)^(?:message-id|in-reply-to|references|content-id|resent-message-id|x-message-id"
    r"|original-message-id|thread-index)[ \t]*:"
)
_ID_SCHEME = re.compile(r"(?i)(?:cid|mid):<?$")

_LOCAL = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
_DOMAIN = r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}"


class EmailAddressRecognizer(Recognizer):
    """local@domain with a dotted domain ending in an alphabetic top-level label.

    Boundaries are ASCII-only because Japanese text glues words to addresses
    (「taro@example.jpまで」), where ``\\b`` would fail. Role mailboxes of an office
    (info@, kouhou@, kaigo@ …) are not a person's and are not reported.
    """

    name = "EmailAddressRecognizer"
    entity = EMAIL_ADDRESS
    patterns = (
        Pattern(
            "addr-spec",
            re.compile(
                rf"(?<![A-Za-z0-9.!#$%&'*+/=?^_`{{|}}~-])(?P<value>{_LOCAL}@{_DOMAIN})(?![A-Za-z0-9-])"
            ),
            0.85,
        ),
    )
    context_words = ("メール", "mail", "e-mail", "連絡先", "アドレス")
    negative_words = ("問い合わせ", "問合せ", "窓口", "事務局", "代表")
    needs = "@"
    header_words = ("メール", "mail", "アドレス", "連絡先")
    validation_name = "domain"
    valid_bonus = 0.0

    column_shape = re.compile(rf"{_LOCAL}@{_DOMAIN}")

    def candidates(self, text: str) -> Iterator[Candidate]:
        for cand in super().candidates(text):
            if not _is_identifier(text, cand.start):
                yield cand

    def validate(self, value: str) -> bool | None:
        local, _, domain = value.rpartition("@")
        if local.lower() in ROLE_LOCALS:
            return False  # an office's mailbox, not a person's
        return len(local) <= 64 and len(domain) <= 253

    def canonical(self, value: str) -> str:
        return value.lower()

    def mask(self, value: str) -> str:
        return mask_email(value)


def _is_identifier(text: str, start: int) -> bool:
    """Whether the address at ``start`` is a Message-ID or Content-ID: in the value of an
    identifier header field (folded lines included) or after ``cid:``/``mid:``."""
    if _ID_SCHEME.search(text, max(0, start - 5), start):
        return True
    line = text.rfind("\n", 0, start) + 1
    while line > 0 and text[line : line + 1] in (" ", "\t"):  # a folded header's next line
        line = text.rfind("\n", 0, line - 1) + 1
    return _ID_FIELD.match(text, line) is not None
