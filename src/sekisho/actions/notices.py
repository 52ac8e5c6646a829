"""Notices to the sender, Japanese first with English below: what was found (masked, and
how many people), what happens now, and what the sender can do."""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from sekisho.detect.entities import label
from sekisho.policy import MessageFacts, Verdict

FROM = "Sekisho <sekisho-noreply@localhost>"


@dataclass(frozen=True, slots=True)
class NoticeContext:
    sekisho_id: str
    subject: str
    facts: MessageFacts
    verdict: Verdict
    cancel_url: str = ""
    minimise_url: str = ""  # the policy suggests minimising: where to do it


def _findings(facts: MessageFacts) -> tuple[str, str]:
    if not facts.entities:
        return "個人情報は検出されませんでした。", "No personal data was found."
    lines_ja = [f"検出された個人情報: {facts.records}人分"]
    lines_en = [f"Personal data found: {facts.records} people"]
    for entity, count in sorted(facts.entities.items()):
        samples = ", ".join(facts.samples.get(entity, ()))
        lines_ja.append(f"  - {label(entity)}: {count}件 (例: {samples})")
        lines_en.append(f"  - {label(entity, 'en')}: {count} (e.g. {samples})")
    if facts.unscannable:
        lines_ja.append("  - 内容を確認できない部分: " + "; ".join(facts.problems[:5]))
        lines_en.append("  - Parts that could not be read: " + "; ".join(facts.problems[:5]))
    return "\n".join(lines_ja), "\n".join(lines_en)


def _reasons(verdict: Verdict) -> tuple[str, str]:
    ja = "\n".join(f"  - {r.ja}" for r in verdict.reasons if r.ja) or "  -"
    en = "\n".join(f"  - {r.en}" for r in verdict.reasons if r.en) or "  -"
    return ja, en


def automatic_mail(to: str, subject: str, body: str, sekisho_id: str) -> bytes:
    """A mail Sekisho writes itself (a notice, a code, a deletion request): marked
    auto-generated and tied to the message it is about."""
    message = EmailMessage()
    message["From"] = FROM
    message["To"] = to
    message["Subject"] = f"[Sekisho] {subject}"
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain="sekisho.invalid")
    message["X-Sekisho-Notice-For"] = sekisho_id
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(body, charset="utf-8")
    return message.as_bytes()


def _message(
    to: str, subject_ja: str, subject_en: str, body_ja: str, body_en: str, ctx: NoticeContext
) -> bytes:
    body = f"{body_ja}\n\n--- English ---\n\n{body_en}\n\n(Sekisho ID: {ctx.sekisho_id})\n"
    return automatic_mail(to, f"{subject_ja} / {subject_en}", body, ctx.sekisho_id)


def held(ctx: NoticeContext) -> bytes:
    found_ja, found_en = _findings(ctx.facts)
    why_ja, why_en = _reasons(ctx.verdict)
    role = ctx.verdict.role or "承認者"
    after_ja, after_en = {
        "encrypt": (
            "承認後は添付ファイルを暗号化して送信し、パスワードは別途あなたにだけお知らせします。",
            "Once approved, its attachments are encrypted and the password is sent to you alone.",
        ),
        "link": (
            "承認後は添付ファイルを宛先ごとのダウンロードリンクにして送信します（取り消し可能）。",
            "Once approved, its attachments leave as a download link per recipient "
            "(which can be revoked).",
        ),
    }.get(ctx.verdict.then or "", ("承認されると送信されます。", "Once approved, it is sent."))
    first_ja = first_en = ""
    if ctx.minimise_url:
        first_ja = (
            "\n相手に必要なのが件数や一部の列だけなら、名簿を送る必要はありません。"
            f"次のページで「必要な情報だけにする」を選ぶと、集計値や必要な列だけにして送れます:\n"
            f"{ctx.minimise_url}\n\n"
        )
        first_en = (
            "\nIf the recipient needs counts or a few columns, the roster need not leave: "
            f"minimise it on this page:\n{ctx.minimise_url}\n\n"
        )
    return _message(
        ctx.facts.sender,
        "送信を保留しました",
        "Your message is held for approval",
        f"件名「{ctx.subject}」のメールは送信されず、{role}の承認待ちになっています。\n{first_ja}{after_ja}\n\n理由:\n{why_ja}\n\n{found_ja}",
        f'Your message "{ctx.subject}" has not been sent; it waits for approval by {role}.\n{first_en}{after_en}\n\nWhy:\n{why_en}\n\n{found_en}',
        ctx,
    )


def minimise_asked(
    to: str, sekisho_id: str, subject: str, by: str, comment: str, url: str
) -> bytes:
    """An approver returns a held message to its sender: please minimise it first."""
    body = (
        f"件名「{subject}」のメールについて、{by} から「必要な情報だけにして送ってください」"
        f"という依頼がありました。\n\nコメント: {comment}\n\n"
        f"次のページで、名簿を集計値や必要な列だけにして送れます（このメールは承認待ちのままです）:\n{url}"
        f"\n\n--- English ---\n\n{by} asks you to send only what the recipient needs for your "
        f'message "{subject}".\n\nComment: {comment}\n\nMinimise it here (it stays held '
        f"until then):\n{url}\n\n(Sekisho ID: {sekisho_id})\n"
    )
    return automatic_mail(
        to, "必要な情報だけにしてください / Please minimise your message", body, sekisho_id
    )


def rejected(ctx: NoticeContext) -> bytes:
    found_ja, found_en = _findings(ctx.facts)
    why_ja, why_en = _reasons(ctx.verdict)
    return _message(
        ctx.facts.sender,
        "送信できませんでした",
        "Your message was not sent",
        f"件名「{ctx.subject}」のメールはポリシーにより送信されませんでした。\n\n理由:\n{why_ja}\n\n{found_ja}\n\n必要な情報だけに減らす（集計値にする等）か、情報セキュリティ担当にご相談ください。",
        f'Your message "{ctx.subject}" was not sent, by policy.\n\nWhy:\n{why_en}\n\n{found_en}\n\nSend only what the recipient needs (totals instead of the list), or ask the security officer.',
        ctx,
    )


def delayed(ctx: NoticeContext) -> bytes:
    why_ja, why_en = _reasons(ctx.verdict)
    link = (
        ctx.cancel_url
        or f"(取り消し用リンクは Web 画面の提供後に有効になります / cancel link: sekisho web, ID {ctx.sekisho_id})"
    )
    return _message(
        ctx.facts.sender,
        f"{ctx.verdict.minutes}分後に送信します",
        f"Your message leaves in {ctx.verdict.minutes} minutes",
        f"件名「{ctx.subject}」のメールは{ctx.verdict.minutes}分後に送信されます。宛先や添付に誤りがあれば、それまでに取り消してください。\n取り消し: {link}\n\n理由:\n{why_ja}",
        f'Your message "{ctx.subject}" leaves in {ctx.verdict.minutes} minutes. If a recipient or an attachment is wrong, cancel it before then.\nCancel: {link}\n\nWhy:\n{why_en}',
        ctx,
    )


def password(ctx: NoticeContext, secret: str, names: list[str]) -> bytes:
    files = "\n".join(f"  - {n}" for n in names)
    return _message(
        ctx.facts.sender,
        "暗号化した添付ファイルのパスワード",
        "Password of the encrypted attachments",
        f"件名「{ctx.subject}」の添付ファイルを暗号化して送信しました。\nパスワード: {secret}\n\n受信者には、メールとは別の方法（電話など）でお伝えください。\n暗号化したファイル:\n{files}",
        f'The attachments of "{ctx.subject}" were encrypted and sent.\nPassword: {secret}\n\nGive it to the recipients by another channel than mail (a phone call).\nEncrypted files:\n{files}',
        ctx,
    )


def expired(ctx: NoticeContext) -> bytes:
    return _message(
        ctx.facts.sender,
        "承認されないまま期限切れになりました",
        "Your held message expired without a decision",
        f"件名「{ctx.subject}」のメールは承認期限までに判断されなかったため、送信されませんでした。",
        f'Your message "{ctx.subject}" was not decided in time and was not sent.',
        ctx,
    )


def rejected_by_approver(ctx: NoticeContext, approver: str, comment: str) -> bytes:
    return _message(
        ctx.facts.sender,
        "承認されませんでした",
        "Your held message was rejected",
        f"件名「{ctx.subject}」のメールは{approver}により却下され、送信されませんでした。\n\nコメント:\n  {comment}",
        f'Your message "{ctx.subject}" was rejected by {approver} and was not sent.\n\nComment:\n  {comment}',
        ctx,
    )


def link_code(to: str, code: str, sekisho_id: str) -> bytes:
    """The one-time code that proves a link's recipient reads the mailbox it was sent to."""
    return automatic_mail(
        to,
        f"確認コード {code} / Your code {code}",
        f"ダウンロードページで次の確認コードを入力してください（10分間有効）: {code}\n"
        "心当たりがない場合は、このメールを無視してください。\n\n"
        f"Enter this code on the download page (valid for 10 minutes): {code}\n"
        "If you did not ask for it, ignore this mail.\n",
        sekisho_id,
    )
