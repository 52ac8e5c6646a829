"""``sekisho policy check`` (a dry run of the policy on a message) and ``policy lint``."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape

from sekisho.extract.mail import read_head
from sekisho.policy import PolicyError, evaluate, facts_from_report, lint, load_policy, trace
from sekisho.policy.conditions import CONDITIONS
from sekisho.scan import Scanner


@click.group("policy")
def policy_group() -> None:
    """Check and lint the sending policy."""


@policy_group.command("lint")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def lint_command(path: Path) -> None:
    """Report every error of a policy file with its line number."""
    errors = lint(path.read_text(encoding="utf-8"))
    out = Console(highlight=False, soft_wrap=True)
    for error in errors:
        out.print(f"{escape(str(path))}:{error.line}: {escape(error.message)}")
    if errors:
        out.print(f"[red]{len(errors)}件のエラー / {len(errors)} error(s)[/]")
        sys.exit(1)
    out.print("[green]問題ありません / policy is valid[/]")


@policy_group.command("check")
@click.option(
    "--policy",
    "policy_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Policy file (default: the embedded default).",
)
@click.option("--from", "sender", help="Envelope sender (default: the From header).")
@click.option(
    "--to",
    "recipients",
    multiple=True,
    help="Envelope recipient; repeatable (default: To, Cc, Bcc).",
)
@click.argument("message", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def check_command(
    policy_path: Path | None, sender: str | None, recipients: tuple[str, ...], message: Path
) -> None:
    """Print the verdict, the matching rule and the reasons for MESSAGE, without sending."""
    try:
        policy = load_policy(policy_path)
    except PolicyError as exc:
        raise click.UsageError(f"policy: {exc}") from exc
    data = message.read_bytes()
    head = read_head(data)
    mail_from = sender or next(iter(head.addresses("From")), "")
    rcpts = list(recipients) or head.addresses("To", "Cc", "Bcc")
    report = Scanner().scan_bytes(data, message.name, kind="eml")
    attachments = report.attachments
    from sekisho.policy import Attachment

    facts = facts_from_report(
        report,
        mail_from,
        rcpts,
        head.visible_recipients,
        len(data),
        [Attachment(a.name, a.kind, a.size, a.flags) for a in attachments],
    )
    verdict = evaluate(policy, facts)
    out = Console(highlight=False, soft_wrap=True)
    out.print(f"[bold]判定 verdict: {escape(verdict.header)}[/]")
    out.print(f"  ルール rule: {escape(verdict.rule)}")
    if verdict.minutes:
        out.print(f"  遅延 delay: {verdict.minutes} min")
    if verdict.role:
        out.print(
            f"  承認者 approver: {escape(verdict.role)}"
            + (f" (then {verdict.then})" if verdict.then else "")
        )
    for reason in verdict.reasons:
        out.print(f"  - [{escape(reason.rule)}] {escape(reason.ja)}")
        out.print(f"    {escape(reason.en)}")
    out.print("  ルールの評価 rules tried:")
    for name, failed in trace(policy, facts):
        if failed is None:
            out.print(f"    ✓ {escape(name)}")
        else:
            doc = CONDITIONS[failed].doc
            out.print(f"    ✗ {escape(name)}: {escape(failed)} — {escape(doc)}")
    classes = ", ".join(f"{r} ({policy.recipient_class(r)})" for r in rcpts)
    out.print(f"  宛先 recipients: {escape(classes)}")
    out.print(
        f"  個人情報 personal data: {facts.records}人 / people; {escape(str(facts.entities))}"
    )
    if facts.unscannable:
        out.print(f"  [red]スキャン不可 unscannable:[/] {escape('; '.join(facts.problems))}")
