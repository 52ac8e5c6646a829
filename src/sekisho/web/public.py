"""The listener that faces outside: recipients open their download links here.

It is a separate application on its own port (``sekisho web --public-listen``), so that
only these few pages are exposed to the Internet, behind the organisation's reverse proxy;
the staff UI stays inside. Recipients have no account: the link's token says whose link it
is, and before the first download a code mailed to that address proves the mailbox (a
forwarded link does not carry it). The confirmation lives in a cookie of this listener
only (its own name and path), signed, naming the link.

Pages are Japanese first with English. Unknown links are 404, revoked, expired and used-up
ones 410, each with a page that says so and nothing else.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from fastapi.templating import Jinja2Templates
from itsdangerous import BadSignature, URLSafeTimedSerializer

from sekisho.actions.link_mail import size_label
from sekisho.actions.notices import link_code
from sekisho.japan_time import japan_time
from sekisho.store import Notice, utcnow
from sekisho.store.links import (
    CODE_MINUTES,
    CODE_TRIES,
    TOKEN_LENGTH,
    LinkStore,
    Visit,
    link_state,
)
from sekisho.store.models import LinkRecipient
from sekisho.store.sealed import BlobDamaged
from sekisho.web.security import SECURITY_HEADERS

CONFIRM_COOKIE = "sekisho_link"
CONFIRM_SECONDS = 24 * 3600
_TOKEN = re.compile(rf"[A-Za-z0-9_-]{{{TOKEN_LENGTH}}}")
CODE_INTERVAL_SECONDS = 60  # one code a minute per link: the mailbox is not a spam target

_GONE = {
    "revoked": (
        "このリンクは取り消されました",
        "This link was revoked",
        "差出人がこのリンクを取り消しました。ファイルは受け取れません。",
        "The sender revoked this link. The files can no longer be downloaded.",
    ),
    "expired": (
        "このリンクは有効期限が切れました",
        "This link has expired",
        "有効期限を過ぎたため、ファイルは受け取れません。差出人にお問い合わせください。",
        "The link has expired. Please ask the sender.",
    ),
    "exhausted": (
        "ダウンロード回数の上限に達しました",
        "No downloads left",
        "このリンクで許されたダウンロード回数を使い切りました。差出人にお問い合わせください。",
        "Every download this link allows has been used. Please ask the sender.",
    ),
}


class Clock:
    """The time the pages go by; tests set it (expiry is tested without sleeping)."""

    def __init__(self) -> None:
        self.fixed: datetime | None = None

    def now(self) -> datetime:
        return self.fixed or utcnow()


def create_public_app(
    store: LinkStore,
    secret: str,
    clock: Clock | None = None,
    redact_note: Callable[[str], str] | None = None,
) -> FastAPI:
    app = FastAPI(title="Sekisho links", docs_url=None, redoc_url=None, openapi_url=None)
    templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates" / "public"))
    confirmations = URLSafeTimedSerializer(secret, salt="sekisho-link-confirmed")
    clock = clock or Clock()
    app.state.clock = clock
    redact_note = redact_note or _masking_with_the_detector()

    @app.middleware("http")
    async def security_headers(request: Request, call_next):  # type: ignore[no-untyped-def]
        response = await call_next(request)
        response.headers.update(SECURITY_HEADERS)
        response.headers["Referrer-Policy"] = "no-referrer"  # the token is in the path
        return response

    def page(
        status: int, title_ja: str, title_en: str, say_ja: str = "", say_en: str = "", **more
    ) -> HTMLResponse:  # type: ignore[no-untyped-def]
        context = {
            "title_ja": title_ja,
            "title_en": title_en,
            "say_ja": say_ja,
            "say_en": say_en,
            **more,
        }
        return HTMLResponse(
            templates.env.get_template("page.html").render(context), status_code=status
        )

    def unknown() -> HTMLResponse:
        return page(
            404,
            "リンクが見つかりません",
            "Link not found",
            "このリンクは存在しません。URL が途中で切れていないかご確認ください。",
            "There is no such link. Please check that the URL is complete.",
            say_class="error",
        )

    def visit(request: Request) -> Visit:
        client = request.client.host if request.client else ""
        return Visit(client, request.headers.get("user-agent", ""))

    def find(token: str) -> tuple[LinkRecipient | None, Response | None]:
        """The link of ``token`` if it may be used now; else the page to answer with."""
        if not _TOKEN.fullmatch(token):
            return None, unknown()
        link = store.by_token(token)
        if link is None:
            return None, unknown()
        state = link_state(link, clock.now())
        if state != "active":
            title_ja, title_en, say_ja, say_en = _GONE[state]
            return None, page(410, title_ja, title_en, say_ja, say_en, say_class="error")
        return link, None

    def confirmed(request: Request, link: LinkRecipient) -> bool:
        if not link.code_required:
            return True
        return link.id in _confirmed_ids(confirmations, request.cookies.get(CONFIRM_COOKIE))

    def overview(request: Request, token: str, link: LinkRecipient, **say) -> HTMLResponse:  # type: ignore[no-untyped-def]
        files = [
            {"number": f.number, "name": store.file_name(f), "size": size_label(f.size)}
            for f in store.files(link.sekisho_id)
        ]
        return page(
            say.pop("status", 200),
            "ファイルの受け取り",
            "Files for you",
            files=files,
            sender=link.sender,
            address=link.address,
            expires=japan_time(link.expires_at),
            left=link.max_downloads - link.downloads,
            confirmed=confirmed(request, link),
            base=f"/d/{token}",
            **say,
        )

    @app.get("/d/{token}", response_class=HTMLResponse)
    def open_link(request: Request, token: str) -> Response:
        link, refusal = find(token)
        if link is None:
            return refusal  # type: ignore[return-value]
        store.record(link, "view", visit(request), clock.now())
        return overview(request, token, link)

    @app.post("/d/{token}/code", response_class=HTMLResponse)
    def send_code(request: Request, token: str) -> Response:
        link, refusal = find(token)
        if link is None:
            return refusal  # type: ignore[return-value]
        now = clock.now()
        if link.locked_at is not None:
            return _locked(overview, request, token, link)
        if link.code_expires_at is not None:
            asked = (link.code_expires_at - now).total_seconds()
            if asked > CODE_MINUTES * 60 - CODE_INTERVAL_SECONDS:
                return overview(
                    request,
                    token,
                    link,
                    say_ja="確認コードは送信済みです。1分ほど待ってから再度お試しください。",
                    say_en="A code was just sent. Please wait a minute before asking again.",
                )
        code = store.new_code(link, visit(request), now)
        if code is None:
            return _locked(overview, request, token, link)
        kind = f"code:{link.id}:{int(now.timestamp())}"
        store.database.queue_notice(
            Notice(
                sekisho_id=link.sekisho_id,
                kind=kind[:32],
                recipient=link.address,
                body=link_code(link.address, code, link.sekisho_id),
                secret=True,  # the code is wiped from the outbox once sent (only its hash stays)
                ready=True,
                attempts=0,
            )
        )
        return overview(
            request,
            token,
            link,
            say_ja=f"{link.address} に確認コードを送りました（10分間有効）。",
            say_en=f"A code was sent to {link.address} (valid for 10 minutes).",
        )

    @app.post("/d/{token}/verify", response_class=HTMLResponse)
    def verify(request: Request, token: str, code: str = Form("")) -> Response:
        link, refusal = find(token)
        if link is None:
            return refusal  # type: ignore[return-value]
        result = store.check_code(link, code[:16], visit(request), clock.now())
        if result == "ok":
            ids = _confirmed_ids(confirmations, request.cookies.get(CONFIRM_COOKIE))
            response = RedirectResponse(f"/d/{token}", status_code=303)
            response.set_cookie(
                CONFIRM_COOKIE,
                confirmations.dumps([*ids[-19:], link.id]),
                max_age=CONFIRM_SECONDS,
                path="/d/",
                httponly=True,
                samesite="strict",
                secure=request.url.scheme == "https",
            )
            return response
        if result == "locked":
            return _locked(overview, request, token, store.get(link.id) or link)
        if result == "expired":
            return overview(
                request,
                token,
                link,
                status=400,
                say_class="error",
                say_ja="確認コードの有効期限が切れています。もう一度コードを送ってください。",
                say_en="The code has expired. Please ask for a new one.",
            )
        fresh = store.get(link.id) or link
        left = max(0, CODE_TRIES - fresh.code_tries)
        return overview(
            request,
            token,
            fresh,
            status=400,
            say_class="error",
            say_ja=f"確認コードが違います（あと {left} 回）。",
            say_en=f"Wrong code ({left} tries left).",
        )

    @app.get("/d/{token}/f/{number}")
    def download(request: Request, token: str, number: int) -> Response:
        link, refusal = find(token)
        if link is None:
            return refusal  # type: ignore[return-value]
        if not confirmed(request, link):
            return RedirectResponse(f"/d/{token}", status_code=303)
        files = {f.number: f for f in store.files(link.sekisho_id)}
        file = files.get(number)
        if file is None:
            return unknown()
        now = clock.now()
        try:
            stream = store.blobs.open(file.blob, file.key, file.size)
        except BlobDamaged as exc:
            store.record(link, "blob_damaged", visit(request), now, error=str(exc))
            return page(
                500,
                "ファイルを用意できません",
                "The file is not available",
                "ファイルを読み出せませんでした。差出人にお問い合わせください（記録済み）。",
                "The file could not be read. Please ask the sender (this was recorded).",
                say_class="error",
            )
        counted = store.begin_download(link, number, visit(request), now)
        if counted is None:  # revoked, expired or used up between the page and now
            stream.close()  # type: ignore[attr-defined]
            link, refusal = find(token)
            return refusal or page(410, *_GONE["exhausted"], say_class="error")
        name = store.file_name(file)
        return StreamingResponse(
            stream,
            media_type="application/octet-stream",
            headers={
                "Content-Length": str(file.size),
                "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}",
            },
        )

    @app.get("/x/{token}", response_class=HTMLResponse)
    def deletion_page(token: str) -> Response:
        row = _deletion_row(token)
        if row is None:
            return unknown()
        if row.deletion_confirmed_at is not None:
            return _already(page)
        return page(
            200,
            "削除の確認",
            "Confirm the deletion",
            deletion=True,
            address=row.address,
            sender=row.sender,
            sekisho_id=row.sekisho_id,
            action=f"/x/{token}",
        )

    @app.post("/x/{token}", response_class=HTMLResponse)
    def confirm_deletion(
        request: Request, token: str, deleted: str = Form(""), note: str = Form("")
    ) -> Response:
        row = _deletion_row(token)
        if row is None:
            return unknown()
        if deleted != "yes":
            return page(
                400,
                "削除の確認",
                "Confirm the deletion",
                "削除したことを確認するには、チェックを入れてください。",
                "Please tick the box to confirm the deletion.",
                say_class="error",
                deletion=True,
                address=row.address,
                sender=row.sender,
                sekisho_id=row.sekisho_id,
                action=f"/x/{token}",
            )
        masked = redact_note(note[:2000]) if note.strip() else ""
        result = store.confirm_deletion(row.id, masked, visit(request), clock.now())
        if result == "used":
            return _already(page)
        if result != "ok":
            return unknown()
        return page(
            200,
            "ご協力ありがとうございました",
            "Thank you",
            "削除の確認を記録しました。",
            "Your confirmation was recorded.",
        )

    def _deletion_row(token: str) -> LinkRecipient | None:
        from sekisho.actions.deletion import read_confirmation

        rid = read_confirmation(secret, token[:512])
        return store.get(rid) if rid is not None else None

    return app


def _already(page) -> HTMLResponse:  # type: ignore[no-untyped-def]
    return page(
        410,
        "確認済みです",
        "Already confirmed",
        "この確認リンクは使用済みです（削除の確認は記録されています）。",
        "This confirmation link was used already (the deletion is recorded).",
        say_class="error",
    )


def _masking_with_the_detector() -> Callable[[str], str]:
    """A recipient's note may name people: it is stored masked, like everything else."""
    holder: dict[str, object] = {}

    def mask(text: str) -> str:
        if "detector" not in holder:
            from sekisho.scan import Scanner

            holder["detector"] = Scanner().detector
        from sekisho.detect.redact import redact

        return redact(holder["detector"], text)

    return mask


def _locked(overview, request: Request, token: str, link: LinkRecipient) -> HTMLResponse:  # type: ignore[no-untyped-def]
    return overview(
        request,
        token,
        link,
        status=403,
        say_class="error",
        say_ja="確認コードを5回間違えたため、このリンクはロックされました。差出人にお問い合わせください。",
        say_en="The code was entered wrongly 5 times; this link is locked. Please ask the sender.",
    )


def _confirmed_ids(confirmations: URLSafeTimedSerializer, cookie: str | None) -> list[int]:
    if not cookie:
        return []
    try:
        ids = confirmations.loads(cookie, max_age=CONFIRM_SECONDS)
    except BadSignature:
        return []
    return [i for i in ids if isinstance(i, int)] if isinstance(ids, list) else []
