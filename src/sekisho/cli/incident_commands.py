"""``sekisho incident``: open an incident from a message, see its facts, and the report to
the Personal Information Protection Commission (JSON; the names and the shape are kept
stable for scripts)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import orjson

from sekisho.cli.main import BLOBS_OPTION, DB_OPTION, policy_option


@click.group("incident")
def incident_group() -> None:
    """After a mis-send: who is affected, whether a report is due, the report."""


def _stores(database_url: str, blobs: str):  # type: ignore[no-untyped-def]
    from sekisho.cli.main import link_store
    from sekisho.store import Database
    from sekisho.store.blobs import journal_files
    from sekisho.store.journal import Journal

    database = Database(database_url)
    return (
        database,
        link_store(database, blobs, "-"),
        Journal(database, journal_files(database, blobs)),
    )


def _facts(database_url: str, blobs: str, incident_id: int):  # type: ignore[no-untyped-def]
    from sekisho.incident import gather

    database, links, journal = _stores(database_url, blobs)
    try:
        return gather(database, incident_id, links, journal)
    except KeyError as exc:
        raise click.UsageError(
            f"インシデント {incident_id} はありません / no incident {incident_id}"
        ) from exc


@incident_group.command("open")
@click.argument("sekisho_ids", nargs=-1, required=True)
@click.option("--by", "actor", default="cli", show_default=True, help="Who opens it (audit log).")
@DB_OPTION
@BLOBS_OPTION
def open_incident(
    sekisho_ids: tuple[str, ...], actor: str, database_url: str, blob_dir: str
) -> None:
    """Open an incident about one or more messages; prints its number."""
    from sekisho.store import utcnow
    from sekisho.store.incidents import Incidents

    database, links, journal = _stores(database_url, blob_dir)
    for sekisho_id in sekisho_ids:
        known = (
            database.get(sekisho_id) is not None
            or journal.entry(sekisho_id) is not None
            or links.recipients(sekisho_id)
        )
        if not known:
            raise click.UsageError(f"メール {sekisho_id} はありません / no message {sekisho_id}")
    click.echo(Incidents(database).open(list(sekisho_ids), actor, utcnow()))


@incident_group.command("find")
@click.option("--sender", default="", help="The sender's address, or part of it.")
@click.option("--since", default="", help="Received at or after (Japan time, 2026-12-01T09:00).")
@click.option("--until", default="", help="Received before (Japan time).")
@click.option("--domain", default="", help="A recipient's domain (subdomains included).")
@DB_OPTION
def find(sender: str, since: str, until: str, domain: str, database_url: str) -> None:
    """The messages an incident may concern, as JSON (IDs, times, addresses, people
    counts; never content): pass the IDs to ``incident open``."""
    from sekisho.store import Database
    from sekisho.store.sent_search import find_sent

    if not any(v.strip() for v in (sender, since, until, domain)):
        raise click.UsageError("検索条件を指定してください / give at least one criterion")
    found = find_sent(
        Database(database_url),
        sender=sender,
        since=_japan_time(since, "--since"),
        until=_japan_time(until, "--until"),
        domain=domain,
    )
    payload = [
        {
            "sekisho_id": m.sekisho_id,
            "at": m.at.isoformat() + "Z",
            "sender": m.sender,
            "recipients": list(m.recipients),
            "people": m.records,
            "state": m.state,
        }
        for m in found
    ]
    sys.stdout.buffer.write(orjson.dumps(payload, option=orjson.OPT_INDENT_2) + b"\n")


def _japan_time(text: str, option: str):  # type: ignore[no-untyped-def]
    from sekisho.japan_time import from_japan_time

    if not text.strip():
        return None
    try:
        return from_japan_time(text)
    except ValueError as exc:
        raise click.BadParameter(
            f"{text!r}: 日時の形式 2026-12-01T09:00", param_hint=option
        ) from exc


@incident_group.command("show")
@click.argument("incident_id", type=int)
@click.option("--format", "fmt", type=click.Choice(["json"]), default="json", show_default=True)
@DB_OPTION
@BLOBS_OPTION
def show(incident_id: int, fmt: str, database_url: str, blob_dir: str) -> None:
    """The facts of an incident: what left, to whom, what the recipients did."""
    facts = _facts(database_url, blob_dir, incident_id)
    payload = {
        "incident": facts.incident_id,
        "opened_at": facts.opened_at.isoformat(),
        "discovered_at": facts.discovered_at.isoformat(),
        "closed_at": facts.closed_at.isoformat() if facts.closed_at else None,
        "people": facts.people,
        "entities": facts.entities,
        "messages": [
            {
                "sekisho_id": m.sekisho_id,
                "left": m.left,
                "how": m.how,
                "records": m.records,
                "entities": m.entities,
                "encrypted": m.encrypted,
                "journaled": m.journaled,
                "journal": m.journal,
                "recipients": [
                    {
                        "address": r.address,
                        "delivered": r.delivered,
                        "link": r.link,
                        "downloads": r.downloads,
                        "revoked": r.revoked_at is not None,
                        "deletion_confirmed": r.deletion_confirmed_at is not None,
                    }
                    for r in m.recipients
                ],
            }
            for m in facts.messages
        ],
    }
    sys.stdout.buffer.write(orjson.dumps(payload, option=orjson.OPT_INDENT_2) + b"\n")


@incident_group.command("report")
@click.argument("incident_id", type=int)
@click.option(
    "--kind",
    type=click.Choice(["ppc", "press"]),
    default="ppc",
    show_default=True,
    help="ppc: the report to the PPC; press: a press-release draft (docx only).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["json", "docx"]), default="json", show_default=True
)
@click.option(
    "--out", type=click.Path(dir_okay=False), default=None, help="Write here (docx: required)."
)
@DB_OPTION
@BLOBS_OPTION
@policy_option("Policy file (organisation kind, special-care entity types).")
def report(
    incident_id: int,
    kind: str,
    fmt: str,
    out: str | None,
    database_url: str,
    blob_dir: str,
    policy_path,  # type: ignore[no-untyped-def]
) -> None:
    """The report to the Personal Information Protection Commission (whether it is due,
    why, the deadlines, its items pre-filled), or a press-release draft."""
    from sekisho.incident import assess
    from sekisho.incident.report import ppc_report
    from sekisho.policy import load_policy

    if fmt == "docx" and not out:
        raise click.UsageError("--format docx needs --out FILE / docx には --out が必要です")
    if kind == "press" and fmt != "docx":
        raise click.UsageError("--kind press is a docx / 報道発表案は docx のみです")
    policy = load_policy(policy_path)
    facts = _facts(database_url, blob_dir, incident_id)
    assessment = assess(facts, policy.organisation_kind, policy.special_care_entities)
    if fmt == "docx":
        from sekisho.incident.documents import ppc_docx, press_docx
        from sekisho.incident.facts import timeline
        from sekisho.store import Database

        assert out is not None
        if kind == "ppc":
            ppc_docx(facts, assessment, Path(out))
        else:
            events = timeline(Database(database_url), incident_id)
            press_docx(facts, assessment, events, Path(out))
        return
    payload = orjson.dumps(ppc_report(facts, assessment), option=orjson.OPT_INDENT_2) + b"\n"
    if out:
        Path(out).write_bytes(payload)
    else:
        sys.stdout.buffer.write(payload)
