from sekisho.gateway.upstream import wire_chunks


def _wire(data: bytes) -> bytes:
    return b"".join(bytes(chunk) for chunk in wire_chunks(data))


def test_wire_form_doubles_leading_dots_and_ends_with_a_dot_line() -> None:
    assert _wire(b"a\r\n.b\r\n..c\r\n") == b"a\r\n..b\r\n...c\r\n.\r\n"
    assert _wire(b".first\r\nlast") == b"..first\r\nlast\r\n.\r\n"


def test_wire_form_turns_bare_line_ends_into_crlf() -> None:
    assert _wire(b"a\nb\rc\r\n") == b"a\r\nb\r\nc\r\n.\r\n"


def test_large_messages_go_in_slices_of_the_original() -> None:
    data = (b"x" * 1000 + b"\r\n") * 3000
    chunks = list(wire_chunks(data))
    assert all(isinstance(c, memoryview) for c in chunks[:-1])
    assert b"".join(bytes(c) for c in chunks) == data + b".\r\n"
