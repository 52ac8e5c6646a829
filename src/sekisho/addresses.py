"""One canonical form of a mail address, for every comparison that decides something.

A mailbox has many spellings that the MTA delivers to the same person: ``Approver@City``,
``approver+x@city`` (a sub-address, Postfix's ``recipient_delimiter``),
``approver%city@relay`` (the ``%`` hack Postfix honours by default), ``"approver"@city``
(a needlessly quoted local part), ``@relay:approver@city`` (a source route). If the
self-approval check or a department match compared the spelling, any of these walked
past it; and if the recipient's class were taken from the literal domain,
``someone%outside.example@city`` would count as internal mail. So these comparisons use
``canonical`` and nothing else.
"""

from __future__ import annotations

DEFAULT_DELIMITERS = "+"


def canonical(address: str, delimiters: str = DEFAULT_DELIMITERS) -> str:
    """``local@domain`` in lower case, with route, quotes, ``%`` routing, bang paths and
    any sub-address after one of ``delimiters`` removed. An address without a domain
    keeps only its canonical local part (the null sender stays empty)."""
    text = address.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1].strip()
    if text.startswith("@") and ":" in text:  # RFC 5321 source route: @a,@b:user@c
        text = text.partition(":")[2]
    local, domain = _split(text)
    local = _unquote(local)
    if "%" in local:  # user%final@relay: the relay sends it on to user@final
        local, _, routed = local.rpartition("%")
        while "%" in local:
            local = local.rpartition("%")[0]
        domain = routed
    if "!" in local:  # host!user (UUCP bang path): the last hop's user
        local = local.rpartition("!")[2]
    for delimiter in delimiters:
        if delimiter and delimiter in local[1:]:
            local = local[: local.index(delimiter, 1)]
    local = local.lower()
    domain = domain.strip().rstrip(".").lower()
    return f"{local}@{domain}" if domain else local


def domain(address: str, delimiters: str = DEFAULT_DELIMITERS) -> str:
    """The domain the mail really goes to (after ``%`` routing)."""
    return canonical(address, delimiters).rpartition("@")[2]


def same_mailbox(a: str, b: str, delimiters: str = DEFAULT_DELIMITERS) -> bool:
    return bool(a.strip()) and canonical(a, delimiters) == canonical(b, delimiters)


def _split(text: str) -> tuple[str, str]:
    """Local part and domain at the last ``@`` outside a quoted string."""
    quoted = escaped = False
    at = -1
    for index, char in enumerate(text):
        if escaped:
            escaped = False
        elif char == "\\" and quoted:
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif char == "@" and not quoted:
            at = index
    if at < 0:
        return text, ""
    return text[:at], text[at + 1 :]


def _unquote(local: str) -> str:
    if len(local) >= 2 and local.startswith('"') and local.endswith('"'):
        inner = local[1:-1]
        out, escaped = [], False
        for char in inner:
            if escaped or char != "\\":
                out.append(char)
                escaped = False
            else:
                escaped = True
        return "".join(out)
    return local
