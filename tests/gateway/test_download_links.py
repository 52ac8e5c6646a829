"""Action ``link``: attachments out of the message, sealed; each recipient's copy names only
their own link; the public listener serves a file after a code mailed to that recipient,
and refuses it once revoked, expired or used up."""

from __future__ import annotations

import asyncio
import mailbox
import re
from datetime import timedelta
from email import message_from_bytes
from email import policy as email_policy
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sekisho.gateway.pipeline import Pipeline
from sekisho.gateway.submission import Submission
from sekisho.gateway.upstream import MaildirUpstream
from sekisho.policy import parse_policy
from sekisho.scan import Scanner
from sekisho.store import Database, Spool, utcnow
from sekisho.store.blobs import DatabaseBlobs, held_files, link_files
from sekisho.store.links import LinkStore, link_state
from sekisho.store.sealed import BlobStore
from sekisho.web.public import Clock, create_public_app
from tests.extract.builders import eml_bytes
from tests.factories import csv_bytes, roster_rows

SECRET = "test-secret"
PUBLIC = "https://files.city.example.lg.jp"
RECIPIENTS = ["a@care1.example.jp", "b@care2.example.jp", "c@care3.example.jp"]
POLICY = """
organisation: {internal_domains: [city.example.lg.jp]}
partners:
  - {name: 信頼先, domains: [trusted.example.jp], link_code: false}
link_days: 7
link_max_downloads: 3
rules:
  - {name: personal-outside, when: {beyond_partner_allowance: true}, action: link}
"""
ROSTER = csv_bytes(roster_rows(20), encoding="cp932")
LINK = re.compile(re.escape(PUBLIC) + r"/d/([A-Za-z0-9_-]{43})")


class Setup:
    def __init__(self, tmp_path: Path, url: str | None = None, blobs: str | None = None) -> None:
        self.database = Database(url or f"sqlite:///{tmp_path / 'l.db'}")
        blobs = blobs or str(tmp_path / "blobs")
        self.store = LinkStore(self.database, BlobStore(link_files(self.database, blobs)), SECRET)
        self.maildir = tmp_path / "maildir"
        self.pipeline = Pipeline(
            Scanner(),
            parse_policy(POLICY),
            self.database,
            held_files(self.database, tmp_path / "spool", blobs),
            MaildirUpstream(self.maildir),
            link_store=self.store,
            public_url=PUBLIC,
        )
        self.clock = Clock()
        self.client = TestClient(create_public_app(self.store, SECRET, self.clock))

    def send(self, recipients: list[str], data: bytes | None = None) -> str:
        data = data or eml_bytes("名簿を送ります。", {"名簿_介護.csv": ROSTER}, charset="utf-8")
        outcome = asyncio.run(
            self.pipeline.process(
                Submission.received(
                    "clerk@city.example.lg.jp", recipients, data.replace(b"\n", b"\r\n")
                )
            )
        )
        assert outcome.action == "link", outcome
        return outcome.sekisho_id

    def copies(self) -> dict[str, bytes]:
        out = {}
        for message in mailbox.Maildir(self.maildir):
            out[message["X-Original-To"]] = message.as_bytes()
        return out

    def tokens(self) -> dict[str, str]:
        found = {}
        for address, raw in self.copies().items():
            (token,) = set(LINK.findall(_text(raw)))
            found[address] = token
        return found

    def code(self) -> str:
        (notice,) = self.database.notices_to_send()
        self.database.claim_notice(notice.id, utcnow())
        self.database.notice_sent(notice.id)
        subject = message_from_bytes(notice.body, policy=email_policy.default)["Subject"]
        return re.search(r"\b(\d{6})\b", subject).group(1)  # type: ignore[union-attr]

    def confirm(self, token: str) -> None:
        assert self.client.post(f"/d/{token}/code").status_code == 200
        response = self.client.post(
            f"/d/{token}/verify", data={"code": self.code()}, follow_redirects=False
        )
        assert response.status_code == 303


def _text(raw: bytes) -> str:
    """Every text part of a message, decoded (the link part is base64 on the wire)."""
    message = message_from_bytes(raw, policy=email_policy.default)
    return "\n".join(
        part.get_content() for part in message.walk() if part.get_content_type() == "text/plain"
    )


@pytest.fixture
def setup(tmp_path: Path) -> Setup:
    return Setup(tmp_path)


def test_each_recipient_gets_a_copy_without_attachment_naming_only_their_link(setup: Setup) -> None:
    sekisho_id = setup.send(RECIPIENTS)
    copies = setup.copies()
    assert sorted(copies) == RECIPIENTS
    for raw in copies.values():
        message = message_from_bytes(raw, policy=email_policy.default)
        assert not any(part.is_attachment() for part in message.walk())
        assert {part.get_content_type() for part in message.walk()} <= {
            "multipart/mixed",
            "text/plain",
        }
        assert "名簿を送ります。" in message.get_body(("plain",)).get_content()
        assert len(set(LINK.findall(_text(raw)))) == 1
    tokens = setup.tokens()
    assert len(set(tokens.values())) == 3  # each its own
    assert sekisho_id not in "".join(tokens.values())
    rows = setup.store.recipients(sekisho_id)
    assert [r.address for r in rows] == RECIPIENTS
    assert all(r.sent_at is not None and link_state(r, utcnow()) == "active" for r in rows)


def test_the_database_holds_neither_tokens_nor_file_names_nor_contents(
    setup: Setup, tmp_path: Path
) -> None:
    setup.send(RECIPIENTS[:1])
    (token,) = setup.tokens().values()
    raw = (tmp_path / "l.db").read_bytes() + b"".join(
        p.read_bytes() for p in (tmp_path / "blobs").iterdir()
    )
    assert token.encode() not in raw
    assert "名簿_介護".encode() not in raw and "名簿_介護".encode("cp932") not in raw
    assert ROSTER[:40] not in raw


def test_download_after_the_mailed_code_returns_the_original_bytes(setup: Setup) -> None:
    setup.send(RECIPIENTS)
    token = setup.tokens()[RECIPIENTS[0]]
    page = setup.client.get(f"/d/{token}")
    assert page.status_code == 200
    assert "名簿_介護.csv" in page.text and "clerk@city.example.lg.jp" in page.text
    # No download before the mailbox is confirmed.
    early = setup.client.get(f"/d/{token}/f/1", follow_redirects=False)
    assert early.status_code == 303
    setup.confirm(token)
    response = setup.client.get(f"/d/{token}/f/1")
    assert response.status_code == 200
    assert response.content == ROSTER
    assert "filename*=UTF-8''" in response.headers["content-disposition"]
    (link,) = [
        r
        for r in setup.store.recipients(setup.store.by_token(token).sekisho_id)
        if r.address == RECIPIENTS[0]
    ]  # type: ignore[union-attr]
    assert link.downloads == 1 and link.confirmed_at is not None
    kinds = [e.kind for e in setup.store.events(link.id)]
    assert kinds == ["view", "code_sent", "code_confirmed", "download"]
    audited = [e.action for e in setup.database.events()]
    assert "link.download" in audited and "link.view" in audited


def test_a_forwarded_link_needs_the_code_again(setup: Setup) -> None:
    setup.send(RECIPIENTS[:1])
    (token,) = setup.tokens().values()
    setup.confirm(token)
    other_browser = TestClient(setup.client.app)
    assert other_browser.get(f"/d/{token}/f/1", follow_redirects=False).status_code == 303


def test_a_partner_without_codes_downloads_at_once(setup: Setup) -> None:
    setup.send(["x@trusted.example.jp", RECIPIENTS[0]])
    tokens = setup.tokens()
    # The partner may receive no personal data, so the rule applies; its links ask no code.
    response = setup.client.get(f"/d/{tokens['x@trusted.example.jp']}/f/1")
    assert response.status_code == 200 and response.content == ROSTER


def test_revoking_one_recipient_leaves_the_others_working(setup: Setup) -> None:
    sekisho_id = setup.send(RECIPIENTS)
    tokens = setup.tokens()
    assert (
        setup.store.revoke(sekisho_id, "officer@city.example.lg.jp", utcnow(), RECIPIENTS[0]) == 1
    )
    gone = setup.client.get(f"/d/{tokens[RECIPIENTS[0]]}")
    assert gone.status_code == 410 and "取り消されました" in gone.text and "名簿" not in gone.text
    assert setup.client.get(f"/d/{tokens[RECIPIENTS[1]]}").status_code == 200
    assert setup.store.revoke(sekisho_id, "officer@city.example.lg.jp", utcnow()) == 2
    assert setup.client.get(f"/d/{tokens[RECIPIENTS[1]]}").status_code == 410


def test_expiry_and_used_up_downloads(setup: Setup) -> None:
    setup.send(RECIPIENTS[:2])
    tokens = setup.tokens()
    first, second = tokens[RECIPIENTS[0]], tokens[RECIPIENTS[1]]
    setup.confirm(first)
    for _ in range(3):
        assert setup.client.get(f"/d/{first}/f/1").status_code == 200
    used = setup.client.get(f"/d/{first}/f/1")
    assert used.status_code == 410 and "上限" in used.text
    setup.clock.fixed = utcnow() + timedelta(days=7, minutes=1)
    expired = setup.client.get(f"/d/{second}")
    assert expired.status_code == 410 and "有効期限" in expired.text


def test_unknown_and_malformed_tokens_are_404(setup: Setup) -> None:
    setup.send(RECIPIENTS[:1])
    for path in ("/d/" + "A" * 43, "/d/short", "/d/" + "%" * 43, "/d/" + "A" * 43 + "/f/1"):
        response = setup.client.get(path)
        assert response.status_code == 404, path
        assert "見つかりません" in response.text


def test_a_guessed_code_locks_the_link_after_five_tries(setup: Setup) -> None:
    setup.send(RECIPIENTS[:1])
    (token,) = setup.tokens().values()
    setup.client.post(f"/d/{token}/code")
    real = setup.code()
    wrong = "000000" if real != "000000" else "111111"
    statuses = [
        setup.client.post(f"/d/{token}/verify", data={"code": wrong}).status_code for _ in range(6)
    ]
    assert statuses == [400, 400, 400, 400, 403, 403]
    late = setup.client.post(f"/d/{token}/verify", data={"code": real}, follow_redirects=False)
    assert late.status_code == 403  # even the right code, once locked
    assert setup.client.get(f"/d/{token}/f/1", follow_redirects=False).status_code == 303


def test_a_damaged_or_missing_blob_is_an_error_page_and_audited(
    setup: Setup, tmp_path: Path
) -> None:
    setup.send(RECIPIENTS[:1])
    (token,) = setup.tokens().values()
    setup.confirm(token)
    (blob,) = (tmp_path / "blobs").iterdir()
    data = bytearray(blob.read_bytes())
    data[40] ^= 0xFF
    blob.write_bytes(bytes(data))
    damaged = setup.client.get(f"/d/{token}/f/1")
    assert damaged.status_code == 500 and "読み出せません" in damaged.text
    assert ROSTER[:20] not in damaged.content
    blob.unlink()
    assert setup.client.get(f"/d/{token}/f/1").status_code == 500
    assert [e.action for e in setup.database.events()].count("link.blob_damaged") == 2
    (link,) = setup.store.recipients(setup.store.by_token(token).sekisho_id)  # type: ignore[union-attr]
    assert link.downloads == 0  # nothing served, nothing counted


def test_a_transfer_under_way_finishes_after_revocation_and_the_next_is_refused(
    setup: Setup,
) -> None:
    from sekisho.store.links import Visit

    sekisho_id = setup.send(["x@trusted.example.jp"])  # a partner whose links ask no code
    (link,) = setup.store.recipients(sekisho_id)
    (file,) = setup.store.files(sekisho_id)
    stream = setup.store.blobs.open(file.blob, file.key, file.size)
    assert setup.store.begin_download(link, 1, Visit(), utcnow()) is not None
    setup.store.revoke(sekisho_id, "officer", utcnow())
    assert b"".join(stream) == ROSTER
    assert setup.store.begin_download(link, 1, Visit(), utcnow()) is None


def test_a_retried_relay_does_not_send_a_copy_twice(setup: Setup) -> None:
    data = eml_bytes("名簿を送ります。", {"名簿_介護.csv": ROSTER}, charset="utf-8")
    first = setup.send(RECIPIENTS, data)
    again = setup.send(RECIPIENTS, data)  # the MTA retried: same envelope and bytes, same ID
    assert first == again
    assert len(list(mailbox.Maildir(setup.maildir))) == 3


def test_a_sealed_file_is_not_its_plaintext(tmp_path: Path) -> None:
    from sekisho.store.sealed import CHUNK, BlobDamaged, seal

    data = bytes(range(256)) * (CHUNK // 128 + 3)  # three chunks
    key, sealed = seal(data)
    assert data[:64] not in sealed
    blobs = BlobStore(tmp_path)
    key = blobs.put("x.sealed", data)
    assert b"".join(blobs.open("x.sealed", key, len(data))) == data
    path = tmp_path / "x.sealed"
    whole = path.read_bytes()
    path.write_bytes(whole[: -(CHUNK // 2)])  # cut short
    with pytest.raises(BlobDamaged):
        blobs.open("x.sealed", key, len(data))
    # The chunks swapped: each authenticates its number, so the stream breaks.
    head, size = 12, CHUNK + 16
    chunks = [whole[head + i * size : head + (i + 1) * size] for i in range(3)]
    path.write_bytes(whole[:head] + chunks[1] + chunks[0] + chunks[2])
    with pytest.raises(BlobDamaged):
        b"".join(blobs.open("x.sealed", key, len(data)))


def test_every_file_in_postgresql_with_blobs_db(tmp_path: Path, postgres_cluster) -> None:  # type: ignore[no-untyped-def]
    """``--blobs db``: several hosts share nothing but PostgreSQL; the sealed files live
    in it, as sealed as on disk, and the command line finds them there."""
    import json

    from click.testing import CliRunner

    from sekisho.cli.main import cli

    url = postgres_cluster.new_database()
    setup = Setup(tmp_path, url, blobs="db")
    sekisho_id = setup.send(RECIPIENTS)
    token = setup.tokens()[RECIPIENTS[0]]
    setup.confirm(token)
    response = setup.client.get(f"/d/{token}/f/1")
    assert response.status_code == 200 and response.content == ROSTER
    assert not (tmp_path / "blobs").exists() and not (tmp_path / "spool").exists()
    stored = DatabaseBlobs(setup.database, "links")
    (name,) = stored.names()
    assert ROSTER[:40] not in stored.read(name)
    shown = CliRunner().invoke(
        cli, ["message", "show", sekisho_id, "--db", url, "--blobs", "db", "--format", "json"]
    )
    assert shown.exit_code == 0, shown.output
    assert [r["downloads"] for r in json.loads(shown.output)["recipients"]] == [1, 0, 0]
    revoked = CliRunner().invoke(
        cli, ["message", "revoke", sekisho_id, "--db", url, "--blobs", "db", "--actor", "ciso"]
    )
    assert revoked.exit_code == 0, revoked.output
    assert setup.client.get(f"/d/{token}/f/1").status_code == 410


def _cli(setup: Setup, tmp_path: Path, *args: str):  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from sekisho.cli.main import cli

    common = ["--db", f"sqlite:///{tmp_path / 'l.db'}", "--blobs", str(tmp_path / "blobs")]
    return CliRunner().invoke(cli, ["message", *args[:2], *common, *args[2:]])


def test_message_show_revoke_and_unknown_ids_from_the_command_line(
    setup: Setup, tmp_path: Path
) -> None:
    import json

    sekisho_id = setup.send(RECIPIENTS)
    tokens = setup.tokens()
    shown = _cli(setup, tmp_path, "show", sekisho_id, "--format", "json")
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.output)
    assert data["sekisho_id"] == sekisho_id and data["action"] == "link"
    assert [r["address"] for r in data["recipients"]] == RECIPIENTS
    assert {r["link_state"] for r in data["recipients"]} == {"active"}
    assert all(
        r["downloads"] == 0 and r["deletion_confirmed_at"] is None for r in data["recipients"]
    )
    revoked = _cli(setup, tmp_path, "revoke", sekisho_id, "--recipient", RECIPIENTS[1])
    assert revoked.exit_code == 0 and "1" in revoked.output
    assert setup.client.get(f"/d/{tokens[RECIPIENTS[1]]}").status_code == 410
    states = [
        r["link_state"]
        for r in json.loads(_cli(setup, tmp_path, "show", sekisho_id, "--format", "json").output)[
            "recipients"
        ]
    ]
    assert states == ["active", "revoked", "active"]
    unknown = _cli(setup, tmp_path, "show", "nosuchid")
    assert unknown.exit_code == 2 and "no message" in unknown.output
    stranger = _cli(setup, tmp_path, "revoke", sekisho_id, "--recipient", "z@example.com")
    assert stranger.exit_code == 2


def test_ask_delete_confirmations_are_single_use_and_signed(setup: Setup, tmp_path: Path) -> None:
    import json

    from sekisho.actions.deletion import request_composer

    sekisho_id = setup.send(RECIPIENTS[:2])
    asked = _cli(
        setup, tmp_path, "ask-delete", sekisho_id, "--secret", SECRET, "--public-url", PUBLIC
    )
    assert asked.exit_code == 0, asked.output
    requests = setup.database.notices_to_send()
    assert sorted(n.recipient for n in requests) == RECIPIENTS[:2]
    urls = {}
    for notice in requests:
        (token,) = re.findall(re.escape(PUBLIC) + r"/x/(\S+)", _text(notice.body))
        urls[notice.recipient] = token
    first = urls[RECIPIENTS[0]]
    tampered = first[:-2] + ("AA" if not first.endswith("AA") else "BB")
    assert setup.client.get(f"/x/{tampered}").status_code == 404
    assert setup.client.get(f"/x/{first}").status_code == 200
    unticked = setup.client.post(f"/x/{first}", data={"note": ""})
    assert unticked.status_code == 400
    done = setup.client.post(
        f"/x/{first}",
        data={"deleted": "yes", "note": "山田 太郎 様の件、削除しました 090-1234-5678"},
    )
    assert done.status_code == 200 and "記録しました" in done.text
    again = setup.client.post(f"/x/{first}", data={"deleted": "yes"})
    assert again.status_code == 410
    data = json.loads(_cli(setup, tmp_path, "show", sekisho_id, "--format", "json").output)
    confirmed = [r["deletion_confirmed_at"] is not None for r in data["recipients"]]
    assert confirmed == [True, False]
    (row,) = [r for r in setup.store.recipients(sekisho_id) if r.address == RECIPIENTS[0]]
    assert "090-1234-5678" not in (row.deletion_note or "")  # stored masked
    # One reminder, to the one who has not confirmed, once.
    compose = request_composer(SECRET, PUBLIC)
    assert setup.store.remind_deletions(utcnow(), 0, compose) == 1
    assert setup.store.remind_deletions(utcnow(), 0, compose) == 0
    reminders = [n for n in setup.database.notices_to_send() if n.kind.startswith("delete-remind")]
    assert [n.recipient for n in reminders] == [RECIPIENTS[1]]


def test_a_gateway_without_a_public_url_says_why_link_mail_waits(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from sekisho.policy import default_policy

    assert default_policy().sends_links and parse_policy(POLICY).sends_links
    assert not parse_policy("rules: [{name: r, when: {}, action: deliver}]").sends_links
    bare = Pipeline(
        Scanner(),
        default_policy(),
        Database(f"sqlite:///{tmp_path / 'b.db'}"),
        Spool(tmp_path / "spool"),
        MaildirUpstream(tmp_path / "maildir"),
    )
    with caplog.at_level("WARNING"):
        assert bare.warn_if_links_cannot_leave()
    assert "--public-url" in caplog.text and "保留" in caplog.text
    assert not Setup(tmp_path / "configured").pipeline.warn_if_links_cannot_leave()


def test_an_unknown_token_costs_what_a_real_one_does(setup: Setup) -> None:
    """Timing cannot tell a near miss from a wild guess: every well-formed token, real or
    not, is looked up by its SHA-256 in one identical indexed query, so the database never
    compares the token itself and a shared prefix changes nothing. (The wall-clock figures
    are printed by bench/links.py, not asserted here.)"""
    from sqlalchemy import event

    from sekisho.store.links import token_hash

    setup.send(RECIPIENTS[:1])
    real = setup.tokens()[RECIPIENTS[0]]
    near_miss = real[:-1] + ("A" if real[-1] != "A" else "B")
    guess = "Q" * 43
    seen: list[tuple[str, tuple]] = []

    def capture(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        seen.append((statement, tuple(parameters)))

    event.listen(setup.database.engine, "before_cursor_execute", capture)
    try:
        queries = {}
        for token in (real, near_miss, guess):
            seen.clear()
            assert setup.store.by_token(token) is not None or token != real
            (queries[token],) = [(s, p) for s, p in seen if "link_recipients" in s]
    finally:
        event.remove(setup.database.engine, "before_cursor_execute", capture)
    statements = {statement for statement, _ in queries.values()}
    assert len(statements) == 1  # one shape of query for all three
    for token, (_, parameters) in queries.items():
        assert parameters == (token_hash(token),) and token not in str(parameters)
    assert setup.client.get(f"/d/{near_miss}").status_code == 404
    assert setup.client.get(f"/d/{guess}").status_code == 404
