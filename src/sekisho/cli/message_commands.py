"""``sekisho message``: what became of one message, and taking it back (scripts and the
operations team use these; the names and the JSON shape are kept stable)."""

from __future__ import annotations

import sys

import click
import orjson

from sekisho.cli.main import BLOBS_OPTION, DB_OPTION

_SECRET_OPTION = click.option(
    "--secret", envvar="SEKISHO_SECRET", default="", help="The installation's secret."
)


@click.group("message")
def message_group() -> None:
    """One message: its state and its links; revoke them, ask recipients to delete it."""


def _links(database_url: str, blob_dir: str, secret: str):  # type: ignore[no-untyped-def]
    from sekisho.cli.main import link_store
    from sekisho.store import Database

    database = Database(database_url)
    return database, link_store(database, blob_dir, secret or "-")


def message_summary(database, links, sekisho_id: str) -> dict | None:  # type: ignore[no-untyped-def]
    """The contract of ``message show --format json``; None for an unknown ID."""
    from sekisho.store import utcnow
    from sekisho.store.links import link_state

    record = database.get(sekisho_id)
    rows = {r.address: r for r in links.recipients(sekisho_id)}
    if record is None and not rows:
        return None
    now = utcnow()
    addresses = list(record.rcpt_to) if record is not None else list(rows)
    recipients = []
    for address in addresses:
        row = rows.get(address)
        recipients.append(
            {
                "address": address,
                "link_state": link_state(row, now) if row is not None else "none",
                "downloads": row.downloads if row is not None else 0,
                "code_confirmed_at": _iso(row.confirmed_at) if row is not None else None,
                "deletion_confirmed_at": _iso(row.deletion_confirmed_at)
                if row is not None
                else None,
            }
        )
    return {
        "sekisho_id": sekisho_id,
        "state": record.state if record is not None else "delivered",
        "action": (record.then or record.action) if record is not None else "link",
        "recipients": recipients,
    }


def _iso(moment) -> str | None:  # type: ignore[no-untyped-def]
    return moment.isoformat() + "Z" if moment is not None else None


@message_group.command("show")
@click.argument("sekisho_id")
@click.option("--format", "fmt", type=click.Choice(["human", "json"]), default="human")
@DB_OPTION
@BLOBS_OPTION
def show(sekisho_id: str, fmt: str, database_url: str, blob_dir: str) -> None:
    """State of SEKISHO_ID and, per recipient, its link and deletion confirmation."""
    database, links = _links(database_url, blob_dir, "")
    summary = message_summary(database, links, sekisho_id)
    if summary is None:
        raise click.UsageError(f"メッセージがありません / no message {sekisho_id!r}")
    if fmt == "json":
        sys.stdout.buffer.write(orjson.dumps(summary, option=orjson.OPT_INDENT_2) + b"\n")
        return
    click.echo(f"{sekisho_id}: {summary['state']} ({summary['action']})")
    for r in summary["recipients"]:
        deleted = r["deletion_confirmed_at"] or "-"
        click.echo(
            f"  {r['address']}: リンク link {r['link_state']}, ダウンロード downloads "
            f"{r['downloads']}, 削除確認 deletion confirmed {deleted}"
        )


@message_group.command("revoke")
@click.argument("sekisho_id")
@click.option("--recipient", default=None, help="Only this recipient's link.")
@click.option("--actor", default="cli", show_default=True, help="Who revokes (audit log).")
@DB_OPTION
@BLOBS_OPTION
def revoke(
    sekisho_id: str, recipient: str | None, actor: str, database_url: str, blob_dir: str
) -> None:
    """Revoke SEKISHO_ID's links (all, or one recipient's): effective at once."""
    from sekisho.store import utcnow

    _, links = _links(database_url, blob_dir, "")
    rows = links.recipients(sekisho_id)
    if not rows:
        raise click.UsageError(f"リンクのあるメッセージがありません / no links for {sekisho_id!r}")
    if recipient is not None and recipient not in {r.address for r in rows}:
        raise click.UsageError(f"宛先がありません / {recipient!r} is not a recipient")
    count = links.revoke(sekisho_id, actor, utcnow(), recipient)
    click.echo(f"{count}件のリンクを取り消しました / {count} link(s) revoked")


@message_group.command("ask-delete")
@click.argument("sekisho_id")
@click.option("--actor", default="cli", show_default=True, help="Who asks (audit log).")
@click.option(
    "--public-url",
    envvar="SEKISHO_PUBLIC_URL",
    required=True,
    help="Base URL of the public listener (the confirmation links point there).",
)
@DB_OPTION
@BLOBS_OPTION
@_SECRET_OPTION
def ask_delete(
    sekisho_id: str, actor: str, public_url: str, database_url: str, blob_dir: str, secret: str
) -> None:
    """Mail each recipient of SEKISHO_ID a request to delete it, with a confirmation link."""
    from sekisho.actions.deletion import request_composer
    from sekisho.store import utcnow

    if not secret:
        raise click.UsageError("--secret (or SEKISHO_SECRET) is needed to sign the links")
    database, links = _links(database_url, blob_dir, secret)
    summary = message_summary(database, links, sekisho_id)
    if summary is None:
        raise click.UsageError(f"メッセージがありません / no message {sekisho_id!r}")
    addresses = [r["address"] for r in summary["recipients"]]
    queued = links.ask_to_delete(
        sekisho_id, addresses, actor, utcnow(), request_composer(secret, public_url)
    )
    click.echo(f"{queued}件の削除依頼を送信待ちにしました / {queued} deletion request(s) queued")
