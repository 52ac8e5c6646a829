"""Messages built to carry residents past a scanner: one generator per shape.

Each returns the bytes of a whole message that a recipient's client (or Python's own
``email`` package) still decodes into 100 generated residents (氏名, 生年月日, 住所,
電話番号). ``SHAPES`` names each with what the gate must say: ``people`` (the residents
are found) or ``unscannable`` (the message cannot be judged, and says why).
"""

from __future__ import annotations

import base64
import binascii
import gzip
import io
import json
import quopri
import zipfile
from collections.abc import Callable
from datetime import date
from email.header import Header

from tests.factories import incident_rows

CRLF = "\r\n"
HEAD = (
    "From: =?UTF-8?B?5biC5b255omA?= <clerk@city.example.lg.jp>\r\n"
    "To: center@care.example.jp\r\n"
    "Subject: =?UTF-8?B?6YCj57Wh?=\r\n"
    "Date: Tue, 1 Dec 2026 10:00:00 +0900\r\n"
    "Message-ID: <20261201100000.12345@city.example.lg.jp>\r\n"
    "MIME-Version: 1.0\r\n"
)


def residents(n: int = 100, seed: int = 9) -> list[list[str]]:
    """氏名, 生年月日, 住所, 電話番号 of ``n`` generated residents (with a header row)."""
    rows = incident_rows(n, seed)
    out = [["氏名", "生年月日", "住所", "電話番号"]]
    for row in rows[1:]:
        born = row[2]
        assert isinstance(born, date)
        out.append([str(row[1]), born.strftime("%Y/%m/%d"), str(row[4]), str(row[5])])
    return out


def roster_csv(encoding: str = "utf-8") -> bytes:
    return "".join(",".join(r) + CRLF for r in residents()).encode(encoding)


def roster_lines() -> str:
    """The roster as lines of running text, labelled as a clerk would type them."""
    return CRLF.join(
        f"氏名 {r[0]} 生年月日 {r[1]} 住所 {r[2]} 電話 {r[3]}" for r in residents()[1:]
    )


def roster_html_table() -> str:
    rows = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in residents())
    return f"<table>{rows}</table>"


def roster_xlsx() -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet("名簿")
    for r, row in enumerate(residents()):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    workbook.close()
    return buffer.getvalue()


def b64(data: bytes) -> str:
    return base64.encodebytes(data).decode("ascii").replace("\n", CRLF)


def message(headers: str, body: str | bytes) -> bytes:
    raw = body.encode("utf-8") if isinstance(body, str) else body
    return (HEAD + headers + CRLF).encode("utf-8") + raw


def multipart(subtype: str, parts: list[str], boundary: str = "b0und") -> tuple[str, str]:
    """Headers and body of a multipart with ``parts`` (each its own headers + body)."""
    body = "".join(f"--{boundary}{CRLF}{p}{CRLF}" for p in parts) + f"--{boundary}--{CRLF}"
    return f'Content-Type: multipart/{subtype}; boundary="{boundary}"{CRLF}', body


def text_part(text: str, subtype: str = "plain", cte: str = "base64", extra: str = "") -> str:
    encoded = b64(text.encode("utf-8")) if cte == "base64" else text
    return (
        f"Content-Type: text/{subtype}; charset=utf-8{CRLF}"
        f"Content-Transfer-Encoding: {cte}{CRLF}{extra}{CRLF}{encoded}"
    )


def file_part(
    data: bytes, name: str, ctype: str = "application/octet-stream", cte: str = "base64"
) -> str:
    body = b64(data) if cte != "x-uuencode" else uuencode(data, name)
    return (
        f"Content-Type: {ctype}; name={name}{CRLF}"
        f"Content-Disposition: attachment; filename={name}{CRLF}"
        f"Content-Transfer-Encoding: {cte}{CRLF}{CRLF}{body}"
    )


def uuencode(data: bytes, name: str) -> str:
    lines = [f"begin 644 {name}"]
    for i in range(0, len(data), 45):
        lines.append(binascii.b2a_uu(data[i : i + 45]).decode("ascii").rstrip("\n"))
    lines += ["`", "end"]
    return CRLF.join(lines) + CRLF


# --- the shapes -------------------------------------------------------------------------


def html_only_in_alternative() -> bytes:
    h, b = multipart(
        "alternative",
        [text_part("名簿は HTML 版をご覧ください。"), text_part(roster_html_table(), "html")],
    )
    return message(h, b)


def html_unclosed_head() -> bytes:
    html = f"<html><head><title>名簿</title><meta charset=utf-8>{roster_html_table()}"
    return message(f"Content-Type: text/html; charset=utf-8{CRLF}", html)


def html_css_generated_content() -> bytes:
    rules = "".join(
        f'.r{i}::before{{content:"{r[0]} {r[1]} {r[3]}"}}' for i, r in enumerate(residents()[1:])
    )
    cells = "".join(f'<p class="r{i}"></p>' for i in range(100))
    html = f"<html><head><style>{rules}</style></head><body>{cells}</body></html>"
    return message(f"Content-Type: text/html; charset=utf-8{CRLF}", html)


def html_css_attr_content() -> bytes:
    rows = "".join(
        f'<p data-x="氏名 {r[0]} 生年月日 {r[1]} 電話 {r[3]}"></p>' for r in residents()[1:]
    )
    html = f"<style>p::after{{content:attr(data-x)}}</style>{rows}"
    return message(f"Content-Type: text/html; charset=utf-8{CRLF}", html)


def zero_width_between_characters() -> bytes:
    text = "\u200b".join(roster_lines())
    h = f"Content-Type: text/plain; charset=utf-8{CRLF}Content-Transfer-Encoding: base64{CRLF}"
    return message(h, b64(text.encode("utf-8")))


def variation_selectors_and_joiners() -> bytes:
    text = "".join(ch + ("\ufe0f" if i % 2 else "\u2060") for i, ch in enumerate(roster_lines()))
    h = f"Content-Type: text/plain; charset=utf-8{CRLF}Content-Transfer-Encoding: base64{CRLF}"
    return message(h, b64(text.encode("utf-8")))


def top_header_over_8k() -> bytes:
    pad = "".join(f"X-Pad-{i}: {'a' * 70}{CRLF}" for i in range(130))
    h, b = multipart("mixed", [text_part("送付します"), file_part(roster_csv(), "list.csv")])
    return message(pad + h, b)


def part_header_over_64k() -> bytes:
    pad = "".join(f"X-Pad-{i}: {'a' * 70}{CRLF}" for i in range(1000))
    part = pad + file_part(roster_csv(), "list.csv")
    return _with_cover_note(part)


def top_header_over_64k() -> bytes:
    pad = "".join(f"X-Pad-{i}: {'a' * 70}{CRLF}" for i in range(1000))
    return message(pad + f"Content-Type: text/plain; charset=utf-8{CRLF}", roster_lines())


def nested_deeper_than_the_limit() -> bytes:
    inner = file_part(roster_csv(), "list.csv")
    for level in range(40):
        h, b = multipart("mixed", [inner], boundary=f"level{level}")
        inner = h + CRLF + b
    h, _, b = inner.partition(CRLF + CRLF)
    return message(h + CRLF, b)


def nul_in_plain_body() -> bytes:
    return message("", roster_lines().replace("\r\n", "\r\n\x00", 1))


def text_plain_carrying_xlsx() -> bytes:
    part = f"Content-Type: text/plain{CRLF}Content-Transfer-Encoding: base64{CRLF}{CRLF}{b64(roster_xlsx())}"
    return _with_cover_note(part)


def text_plain_7bit_base64_text_of_xlsx() -> bytes:
    part = f"Content-Type: text/plain{CRLF}Content-Transfer-Encoding: 7bit{CRLF}{CRLF}{b64(roster_xlsx())}"
    return _with_cover_note(part)


def x_uuencode_transfer_encoding() -> bytes:
    h, b = multipart(
        "mixed", [text_part("送付します"), file_part(roster_csv(), "list.csv", cte="x-uuencode")]
    )
    return message(h, b)


def uuencoded_block_in_body() -> bytes:
    body = "名簿を送ります。\r\n\r\n" + uuencode(roster_csv(), "list.csv")
    return message(f"Content-Type: text/plain; charset=utf-8{CRLF}", body)


def multipart_without_boundary() -> bytes:
    return message(f"Content-Type: multipart/mixed{CRLF}", roster_lines())


def multipart_boundary_never_used() -> bytes:
    parts = f"--other{CRLF}{file_part(roster_csv(), 'list.csv')}{CRLF}--other--{CRLF}"
    return message(f'Content-Type: multipart/mixed; boundary="declared"{CRLF}', parts)


def rfc822_with_unusual_headers() -> bytes:
    inner = f"X-Note: forwarded{CRLF}Content-Type: text/plain; charset=utf-8{CRLF}{CRLF}{roster_lines()}"
    part = f"Content-Type: message/rfc822{CRLF}{CRLF}{inner}"
    h, b = multipart("mixed", [text_part("転送します"), part])
    return message(h, b)


def message_partial_fragment() -> bytes:
    return message(
        f'Content-Type: message/partial; id="abc@x"; number=1; total=2{CRLF}',
        roster_lines()[:2000],
    )


def partial_fragments(count: int = 6) -> list[bytes]:
    """A roster CSV attachment split into ``count`` message/partial fragments (RFC 2046 5.2.2)."""
    h, b = multipart("mixed", [text_part("送付します"), file_part(roster_csv(), "list.csv")])
    whole = (h + CRLF + b).encode("utf-8")
    size = len(whole) // count + 1
    return [
        message(
            f'Content-Type: message/partial; id="roster@city"; number={i + 1}; total={count}{CRLF}',
            whole[i * size : (i + 1) * size],
        )
        for i in range(count)
    ]


def roster_in_x_headers() -> bytes:
    lines = "".join(
        f"X-Row-{i}: {Header(f'{r[0]} {r[1]} {r[3]}', 'utf-8').encode()}{CRLF}"
        for i, r in enumerate(residents()[1:])
    )
    return message(lines + f"Content-Type: text/plain; charset=utf-8{CRLF}", "ご確認ください")


def roster_in_display_names() -> bytes:
    to = ", ".join(
        f"{Header(f'{r[0]} 生年月日{r[1]} {r[3]}', 'utf-8').encode()} <c{i}@care.example.jp>"
        for i, r in enumerate(residents()[1:])
    )
    return message(f"Cc: {to}{CRLF}Content-Type: text/plain; charset=utf-8{CRLF}", "連絡")


def _csv_part_with_cte(cte: str, body: str) -> bytes:
    part = (
        f"Content-Type: text/csv; name=list.csv{CRLF}"
        f"Content-Disposition: attachment; filename=list.csv{CRLF}"
        f"Content-Transfer-Encoding: {cte}{CRLF}{CRLF}{body}"
    )
    return _with_cover_note(part)


def _with_cover_note(part: str) -> bytes:
    h, b = multipart("mixed", [text_part("送付します"), part])
    return message(h, b)


def unknown_transfer_encoding() -> bytes:
    return _csv_part_with_cte("x-foo", b64(roster_csv()))


def base65_transfer_encoding() -> bytes:
    return _csv_part_with_cte("base65", b64(roster_csv()))


def seven_bit_over_base64() -> bytes:
    return _csv_part_with_cte("7bit", b64(roster_csv()))


def quoted_printable_over_base64() -> bytes:
    return _csv_part_with_cte("quoted-printable", b64(roster_csv()))


def x_gzip64() -> bytes:
    return _csv_part_with_cte("x-gzip64", b64(gzip.compress(roster_csv())))


def base64_of_base64() -> bytes:
    return _csv_part_with_cte("base64", b64(b64(roster_csv()).encode("ascii")))


def data_uri_image() -> bytes:
    uri = "data:text/csv;base64," + base64.b64encode(roster_csv()).decode("ascii")
    html = f'<p>名簿</p><img src="{uri}" alt="">'
    return message(f"Content-Type: text/html; charset=utf-8{CRLF}", html)


def data_uri_link_to_xlsx() -> bytes:
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    uri = f"data:{kind};base64," + base64.b64encode(roster_xlsx()).decode("ascii")
    html = f'<p><a href="{uri}" download="list.xlsx">名簿</a></p>'
    h, b = multipart("alternative", [text_part("名簿を添付"), text_part(html, "html")])
    return message(h, b)


def roster_in_epilogue() -> bytes:
    h, b = multipart("mixed", [text_part("送付します")])
    return message(h, b + CRLF + roster_lines())


def roster_in_preamble() -> bytes:
    h, b = multipart("mixed", [text_part("送付します")])
    return message(h, roster_lines() + CRLF + b)


def odd_case_parameters_and_lf_only() -> bytes:
    h, b = multipart("mixed", [text_part("送付します"), file_part(roster_csv(), "list.csv")])
    h = h.replace("multipart/mixed; boundary=", "MULTIPART/Mixed; BOUNDARY=")
    return message(h, b).replace(b"\r\n", b"\n")


def crlf_lf_mixture() -> bytes:
    h, b = multipart("mixed", [text_part("送付します"), file_part(roster_csv(), "list.csv")])
    data = message(h, b)
    return data.replace(b"\r\n--b0und", b"\n--b0und")


def rfc2231_continued_name_shift_jis_csv() -> bytes:
    part = (
        f"Content-Type: application/octet-stream{CRLF}"
        f"Content-Disposition: attachment;{CRLF}"
        f" filename*0*=UTF-8''%E5%90%8D%E7%B0%BF;{CRLF} filename*1*=.csv{CRLF}"
        f"Content-Transfer-Encoding: base64{CRLF}{CRLF}{b64(roster_csv('cp932'))}"
    )
    return _with_cover_note(part)


def iso_2022_jp_2004_body() -> bytes:
    h = f"Content-Type: text/plain; charset=ISO-2022-JP{CRLF}Content-Transfer-Encoding: 7bit{CRLF}"
    return message(h, (roster_lines() + "\r\n剝").encode("iso2022_jp_2004"))


def eight_bit_headers_and_body() -> bytes:
    r = residents()[1]
    subject = f"Subject: {r[0]}様 {r[3]} の件{CRLF}".encode()
    body = roster_lines().encode("cp932")
    return (
        HEAD.replace("Subject: =?UTF-8?B?6YCj57Wh?=\r\n", "").encode()
        + subject
        + f"Content-Type: text/plain{CRLF}Content-Transfer-Encoding: 8bit{CRLF}{CRLF}".encode()
        + body
    )


def latin1_label_over_shift_jis() -> bytes:
    h = f"Content-Type: text/plain; charset=iso-8859-1{CRLF}Content-Transfer-Encoding: 8bit{CRLF}"
    return message(h, roster_lines().encode("cp932"))


def text_csv_without_a_name() -> bytes:
    part = f"Content-Type: text/csv; charset=utf-8{CRLF}Content-Transfer-Encoding: base64{CRLF}{CRLF}{b64(roster_csv())}"
    h, b = multipart("mixed", [text_part("送付します"), part])
    return message(h, b)


def html_script_and_comment() -> bytes:
    rows = roster_lines().split(CRLF)
    html = (
        f"<p>ご確認ください</p><!-- {CRLF.join(rows[:50])} -->"
        f"<script>var x = `{CRLF.join(rows[50:])}`;</script>"
    )
    return message(f"Content-Type: text/html; charset=utf-8{CRLF}", html)


def html_tags_inside_values() -> bytes:
    rows = "".join(
        f"<p>氏名 {r[0][0]}<span></span>{r[0][1:]} 電話 {r[3][:3]}<b></b>{r[3][3:]} 生年月日 {r[1]}</p>"
        for r in residents()[1:]
    )
    return message(f"Content-Type: text/html; charset=utf-8{CRLF}", rows)


def base64_block_pasted_in_body() -> bytes:
    body = "名簿（base64）:\r\n" + b64(roster_csv())
    return message(f"Content-Type: text/plain; charset=utf-8{CRLF}", body)


def qp_soft_breaks_inside_values() -> bytes:
    text = roster_lines().encode("utf-8")
    encoded = quopri.encodestring(text).decode("ascii")
    h = f"Content-Type: text/plain; charset=utf-8{CRLF}Content-Transfer-Encoding: Quoted-Printable{CRLF}"
    return message(h, encoded)


def html_attachment_without_name() -> bytes:
    part = text_part(f"<html><body>{roster_html_table()}</body></html>", "html")
    part = part.replace(
        "Content-Transfer-Encoding", "Content-Disposition: attachment\r\nContent-Transfer-Encoding"
    )
    h, b = multipart("mixed", [text_part("送付します"), part])
    return message(h, b)


def roster_where_the_blank_line_should_be() -> bytes:
    """No blank line after the headers: the first line that is not a header starts the
    body (the standard library and clients show it); it once fell between the two."""
    head = f"Content-Type: text/plain; charset=utf-8{CRLF}X-Note: see below{CRLF}"
    return (HEAD + head + roster_lines() + CRLF + CRLF + "以上" + CRLF).encode("utf-8")


def part_without_a_blank_line() -> bytes:
    part = f"Content-Type: text/plain; charset=utf-8{CRLF}{roster_lines()}"
    return _with_cover_note(part)


def _encoded_body(data: bytes, charset: str, subtype: str = "plain") -> bytes:
    head = (
        f"Content-Type: text/{subtype}; charset={charset}{CRLF}"
        f"Content-Transfer-Encoding: base64{CRLF}"
    )
    return message(head, b64(data))


def utf16_body_with_a_bom() -> bytes:
    return _encoded_body(roster_lines().encode("utf-16"), "utf-16")


def utf16be_body_unlabelled() -> bytes:
    """No BOM, an ASCII label: once read with its NULs dropped, as noise."""
    return _encoded_body(roster_lines().encode("utf-16-be"), "us-ascii")


def utf32_html_labelled_utf8() -> bytes:
    return _encoded_body(f"<p>{roster_html_table()}</p>".encode("utf-32"), "utf-8", "html")


def base64_csv_in_a_folded_header() -> bytes:
    blob = base64.b64encode(roster_csv()).decode("ascii")
    folded = CRLF.join(" " + blob[i : i + 76] for i in range(0, len(blob), 76))
    return message(f"X-Data:{folded}{CRLF}Content-Type: text/plain{CRLF}", "こんにちは")


def _with_attachment(data: bytes, name: str, ctype: str) -> bytes:
    headers, body = multipart("mixed", [text_part("添付します。"), file_part(data, name, ctype)])
    return message(headers, body)


def fake_signature_carrying_a_roster() -> bytes:
    """A detached "signature" whose DER is followed by the roster: a client ignores the
    tail, ``tail`` and an unzipper do not."""
    der = bytes.fromhex("301106092a864886f70d010702a00430020500")
    return _with_attachment(der + roster_csv(), "smime.p7s", "application/pkcs7-signature")


def zip_after_a_picture_of_nothing() -> bytes:
    """A zip of the roster behind a line of text, named .zip: every unzipper opens it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("名簿.csv", roster_csv())
    return _with_attachment(b"README\r\n" + buffer.getvalue(), "data.zip", "application/zip")


def roster_as_json_body() -> bytes:
    rows = residents()
    records = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    return message(
        "Content-Type: text/plain; charset=utf-8\r\n", json.dumps(records, ensure_ascii=False)
    )


def roster_as_markdown_table() -> bytes:
    rows = residents()
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
    lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
    return message("Content-Type: text/plain; charset=utf-8\r\n", CRLF.join(lines))


def roster_in_a_pgp_armour_tail() -> bytes:
    armour = (
        b"-----BEGIN PGP SIGNATURE-----\r\n\r\niQEz\r\n=abcd\r\n-----END PGP SIGNATURE-----\r\n"
    )
    return _with_attachment(armour + roster_csv(), "signature.asc", "application/pgp-signature")


SHAPES: dict[str, tuple[Callable[[], bytes], str]] = {
    "broken S/MIME signature with a roster behind it": (
        fake_signature_carrying_a_roster,
        "unscannable",
    ),
    "zip after a line of text": (zip_after_a_picture_of_nothing, "people"),
    "roster as a JSON body": (roster_as_json_body, "people"),
    "roster as a Markdown table": (roster_as_markdown_table, "people"),
    "roster after a PGP signature's armour": (roster_in_a_pgp_armour_tail, "people"),
    "html only in alternative": (html_only_in_alternative, "people"),
    "html with an unclosed head": (html_unclosed_head, "people"),
    "css generated content": (html_css_generated_content, "people"),
    "css attr() content": (html_css_attr_content, "people"),
    "zero-width characters between every character": (zero_width_between_characters, "people"),
    "variation selectors and word joiners": (variation_selectors_and_joiners, "people"),
    "top-level header block over 8 KiB": (top_header_over_8k, "people"),
    "part header block over 64 KiB": (part_header_over_64k, "unscannable"),
    "top-level header block over 64 KiB": (top_header_over_64k, "unscannable"),
    "multipart nested 40 deep": (nested_deeper_than_the_limit, "unscannable"),
    "NUL byte in a plain body": (nul_in_plain_body, "people"),
    "text/plain carrying an xlsx": (text_plain_carrying_xlsx, "people"),
    "7bit text/plain of base64 xlsx": (text_plain_7bit_base64_text_of_xlsx, "people"),
    "x-uuencode transfer encoding": (x_uuencode_transfer_encoding, "people"),
    "uuencoded block in the body": (uuencoded_block_in_body, "people"),
    "multipart without a boundary": (multipart_without_boundary, "people"),
    "multipart with its boundary never used": (multipart_boundary_never_used, "people"),
    "message/rfc822 with unusual headers": (rfc822_with_unusual_headers, "people"),
    "message/partial": (message_partial_fragment, "unscannable"),
    "roster in X- headers": (roster_in_x_headers, "people"),
    "roster in display names": (roster_in_display_names, "people"),
    "unknown transfer encoding x-foo": (unknown_transfer_encoding, "people"),
    "transfer encoding base65": (base65_transfer_encoding, "people"),
    "7bit over base64": (seven_bit_over_base64, "people"),
    "quoted-printable over base64": (quoted_printable_over_base64, "people"),
    "x-gzip64": (x_gzip64, "people"),
    "base64 of base64": (base64_of_base64, "people"),
    "data: URI image": (data_uri_image, "people"),
    "data: URI link to an xlsx": (data_uri_link_to_xlsx, "people"),
    "roster in the epilogue": (roster_in_epilogue, "people"),
    "roster in the preamble": (roster_in_preamble, "people"),
    "odd-case parameters, LF only": (odd_case_parameters_and_lf_only, "people"),
    "CRLF and LF mixed": (crlf_lf_mixture, "people"),
    "RFC 2231 continued name, Shift_JIS CSV": (rfc2231_continued_name_shift_jis_csv, "people"),
    "ISO-2022-JP-2004 body": (iso_2022_jp_2004_body, "people"),
    "8-bit headers and body": (eight_bit_headers_and_body, "people"),
    "text/csv without a name": (text_csv_without_a_name, "people"),
    "Latin-1 label over Shift_JIS": (latin1_label_over_shift_jis, "people"),
    "html comment and script": (html_script_and_comment, "people"),
    "html tags inside values": (html_tags_inside_values, "people"),
    "base64 block pasted in the body": (base64_block_pasted_in_body, "people"),
    "quoted-printable soft breaks": (qp_soft_breaks_inside_values, "people"),
    "html attachment without a name": (html_attachment_without_name, "people"),
    "roster where the blank line should be": (roster_where_the_blank_line_should_be, "people"),
    "part without a blank line": (part_without_a_blank_line, "people"),
    "UTF-16 body with a BOM": (utf16_body_with_a_bom, "people"),
    "UTF-16BE body, no BOM, ASCII label": (utf16be_body_unlabelled, "people"),
    "UTF-32 HTML labelled UTF-8": (utf32_html_labelled_utf8, "people"),
    "base64 CSV in a folded header": (base64_csv_in_a_folded_header, "people"),
}
