import asyncio
from pathlib import Path

from sekisho.actions.links import LinkSigner
from sekisho.gateway.pipeline import Pipeline
from sekisho.gateway.submission import Submission
from sekisho.gateway.upstream import MaildirUpstream
from sekisho.policy import default_policy
from sekisho.scan import Scanner
from sekisho.store import Database, Spool
from tests.extract.builders import eml_bytes, zip_bytes


def test_delay_notice_carries_a_signed_cancel_link(tmp_path: Path) -> None:
    import mailbox
    from email import message_from_bytes, policy

    signer = LinkSigner("shared-secret", "https://sekisho.city.example.lg.jp")
    pipeline = Pipeline(
        Scanner(),
        default_policy(),
        Database(f"sqlite:///{tmp_path / 'd.db'}"),
        Spool(tmp_path / "spool"),
        MaildirUpstream(tmp_path / "maildir"),
        links=signer,
    )
    data = eml_bytes(
        "資料です", {"a.zip": zip_bytes({"a.txt": b"hello"})}, charset="utf-8"
    ).replace(b"\n", b"\r\n")
    outcome = asyncio.run(
        pipeline.process(
            Submission.received("clerk@city.example.lg.jp", ["someone@example.com"], data)
        )
    )
    assert outcome.action == "delay"
    (notice,) = [
        message_from_bytes(m.as_bytes(), policy=policy.default)
        for m in mailbox.Maildir(tmp_path / "maildir")
    ]
    body = notice.get_body(("plain",)).get_content()
    url = next(
        word for word in body.split() if word.startswith("https://sekisho.city.example.lg.jp/link/")
    )
    link = LinkSigner("shared-secret", "").read(url.rsplit("/", 1)[1])
    assert link is not None and (link.sekisho_id, link.purpose) == (outcome.sekisho_id, "cancel")
    assert LinkSigner("another-secret", "").read(url.rsplit("/", 1)[1]) is None


def test_verdicts_and_scan_latency_are_counted(tmp_path: Path) -> None:
    from prometheus_client import REGISTRY

    before = REGISTRY.get_sample_value("sekisho_verdicts_total", {"action": "delay"}) or 0.0
    scans = REGISTRY.get_sample_value("sekisho_scan_seconds_count") or 0.0
    pipeline = Pipeline(
        Scanner(),
        default_policy(),
        Database(f"sqlite:///{tmp_path / 'd.db'}"),
        Spool(tmp_path / "spool"),
        MaildirUpstream(tmp_path / "maildir"),
    )
    data = eml_bytes(
        "資料です", {"a.zip": zip_bytes({"a.txt": b"hello"})}, charset="utf-8"
    ).replace(b"\n", b"\r\n")
    asyncio.run(
        pipeline.process(
            Submission.received("clerk@city.example.lg.jp", ["someone@example.com"], data)
        )
    )
    assert REGISTRY.get_sample_value("sekisho_verdicts_total", {"action": "delay"}) == before + 1
    assert REGISTRY.get_sample_value("sekisho_scan_seconds_count") == scans + 1


def test_every_relayed_message_reaches_the_audit_log_with_the_chain_intact(tmp_path: Path) -> None:
    from sekisho.store.audit import verify

    database = Database(f"sqlite:///{tmp_path / 'd.db'}")
    pipeline = Pipeline(
        Scanner(),
        default_policy(),
        database,
        Spool(tmp_path / "spool"),
        MaildirUpstream(tmp_path / "maildir"),
    )

    async def run() -> list[str]:
        ids = []
        for number in range(5):
            data = eml_bytes(f"会議のお知らせ {number}", charset="utf-8").replace(b"\n", b"\r\n")
            outcome = await pipeline.process(
                Submission.received(
                    "clerk@city.example.lg.jp", ["colleague@city.example.lg.jp"], data
                )
            )
            ids.append(outcome.sekisho_id)
        await pipeline.audit.flush()
        return ids

    ids = asyncio.run(run())
    events = database.events(action="message.relayed")
    assert sorted(e.sekisho_id for e in events) == sorted(ids)
    assert events[0].detail["verdict"].startswith("deliver")
    assert verify(database) == []
