"""``sekisho web``: the people's side, server-rendered, Japanese first, no JavaScript.

The web never speaks SMTP: it records decisions (approve, reject, cancel) in the store,
and the gateway's scheduler carries them out. Opening a quarantined original is the one
place raw personal data is shown, and every opening is audited.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from prometheus_client import REGISTRY, CollectorRegistry, Gauge, generate_latest

from sekisho.actions.link_mail import JAPAN
from sekisho.actions.links import LinkSigner
from sekisho.addresses import same_mailbox
from sekisho.detect.entities import label
from sekisho.errors import DecisionError
from sekisho.policy import Policy, default_policy, lint, parse_policy
from sekisho.store import Database, State, User, utcnow
from sekisho.store.blobs import Blobs
from sekisho.store.links import LinkStore
from sekisho.store.logins import LoginThrottle
from sekisho.web.link_status import link_status
from sekisho.web.security import (
    SECURITY_HEADERS,
    SESSION_COOKIE,
    SESSION_SECONDS,
    Session,
    Sessions,
    check_password,
    hash_password,
    new_password,
)

APPROVERS = {"approver", "admin"}
AUDITORS = {"auditor", "admin", "approver"}
ROLES = ("sender", "approver", "auditor", "admin")


def from_japan_time(text: str) -> datetime:
    """A ``datetime-local`` field, read as Japan time, as the store's naive UTC."""
    moment = datetime.fromisoformat(text.strip()).replace(tzinfo=JAPAN)
    return moment.astimezone(UTC).replace(tzinfo=None)


def _safe_next(target: str) -> str:
    """Only paths of this site (no open redirect through the login form)."""
    return target if target.startswith("/") and not target.startswith("//") else ""


def create_app(
    database: Database,
    spool: Blobs,
    secret: str,
    policy: Policy | None = None,
    links: LinkStore | None = None,
    public_url: str | None = None,
) -> FastAPI:
    """The staff web UI. With ``links``, message pages show each recipient's link and let
    the sender, approvers and admins take it back; with ``public_url`` too (and ``secret``
    the gateway's, so the public listener can read what this signs), "ask to delete"."""
    app = FastAPI(title="Sekisho", docs_url=None, redoc_url=None, openapi_url=None)
    templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
    templates.env.filters["label"] = label
    start_policy = policy or default_policy()
    in_force: dict[str, Any] = {"version": None, "policy": start_policy}

    def current_policy() -> Policy:
        """The newest uploaded policy (parsed once per version), else the start-up one."""
        latest = database.latest_policy()
        if latest is not None and latest.id != in_force["version"]:
            in_force["version"], in_force["policy"] = latest.id, parse_policy(latest.text)
        return in_force["policy"]

    sessions = Sessions(secret)
    signer = LinkSigner(secret, "")
    limiter = LoginThrottle(database)  # in the store: one count for every web process

    @app.middleware("http")
    async def security_headers(request: Request, call_next):  # type: ignore[no-untyped-def]
        response = await call_next(request)
        response.headers.update(SECURITY_HEADERS)
        return response

    def current(request: Request) -> tuple[User, Session]:
        session = sessions.read(request.cookies.get(SESSION_COOKIE))
        user = database.user(session.username) if session else None
        if session is None or user is None or user.disabled:  # disabling ends every session
            raise HTTPException(status_code=303, headers={"Location": "/login"})
        return user, session

    def require(request: Request, roles: set[str]) -> tuple[User, Session]:
        user, session = current(request)
        if user.role not in roles:
            raise HTTPException(status_code=403, detail="権限がありません / forbidden")
        return user, session

    def check_csrf(session: Session, token: str) -> None:
        if not token or token != session.csrf:
            raise HTTPException(status_code=403, detail="不正なリクエストです / invalid CSRF token")

    def page(request: Request, name: str, session: Session | None, **context: Any) -> HTMLResponse:
        lang = "en" if request.cookies.get("lang") == "en" else "ja"  # Japanese first
        return templates.TemplateResponse(
            request, name, {"session": session, "lang": lang, **context}
        )

    @app.get("/lang/{code}")
    def switch_language(code: str, next: str = "/") -> Response:
        response = RedirectResponse(_safe_next(next) or "/", status_code=303)
        response.set_cookie(
            "lang",
            "en" if code == "en" else "ja",
            max_age=365 * 24 * 3600,
            samesite="lax",
            httponly=True,
        )
        return response

    def message_page(
        request: Request,
        session: Session,
        user: User,
        record: Any,
        sekisho_id: str,
        error: str | None = None,
        done: str | None = None,
    ) -> HTMLResponse:
        rows = links.recipients(sekisho_id) if links else []
        status = link_status(rows, utcnow())
        sender = sender_of(record, rows)
        context: dict[str, Any] = {"classes": [], "required": 1}
        if record is not None:
            context["classes"] = [(r, current_policy().recipient_class(r)) for r in record.rcpt_to]
            context["required"] = current_policy().approvals_required(
                record.records, record.entities
            )
        return page(
            request,
            "message.html",
            session,
            user=user,
            record=record,
            sekisho_id=sekisho_id,
            sender=sender,
            links=status,
            error=error,
            done=done,
            own_mail=own(user, sender),
            may_take_back=may_take_back(user, sender),
            may_ask_delete=public_url is not None and left(record, status),
            reminder_hours=current_policy().deletion_reminder_hours,
            **context,
        )

    def sender_of(record: Any, rows: list) -> str:  # type: ignore[type-arg]
        """The message's sender: its record's, or (left as links only) its links'."""
        if record is not None:
            return record.mail_from
        return rows[0].sender if rows else ""

    def left(record: Any, status: Any) -> bool:
        """The message reached its recipients (links went out, or it was relayed)."""
        return status.has_links or (record is not None and record.state == State.DELIVERED)

    def may_take_back(user: User, sender: str) -> bool:
        """Revoke and ask to delete: the sender for their own mail, approvers, admins."""
        return user.role in APPROVERS or own(user, sender)

    def viewable(request: Request, sekisho_id: str) -> tuple[User, Session, Any, str]:
        """The user, their session, the message (None when it left as links only, so the
        message table never held it) and its sender; 404 when neither exists, 403 when
        not theirs."""
        user, session = current(request)
        record = database.get(sekisho_id)
        sender = sender_of(record, links.recipients(sekisho_id) if links and not record else [])
        if record is None and not sender:
            raise HTTPException(status_code=404)
        if user.role not in APPROVERS | {"auditor"} and not own(user, sender):
            raise HTTPException(status_code=403, detail="権限がありません / forbidden")
        return user, session, record, sender

    @app.get("/healthz", response_class=PlainTextResponse)
    def healthz() -> str:
        database.ping()
        return "ok"

    @app.get("/metrics")
    def metrics() -> Response:
        registry = CollectorRegistry()
        gauge = Gauge(
            "sekisho_messages",
            "Messages known to the gateway, by state",
            ["state"],
            registry=registry,
        )
        counts = database.count_by_state()
        for state in State:
            gauge.labels(state=str(state)).set(counts.get(state, 0))
        # In `sekisho run` the gateway shares this process: its counters (verdicts, scan
        # latency) are in the default registry.
        body = generate_latest(registry) + generate_latest(REGISTRY)
        return Response(body, media_type="text/plain; version=0.0.4")

    @app.get("/login", response_class=HTMLResponse)
    def login_form(request: Request, next: str = "") -> HTMLResponse:
        return page(request, "login.html", None, error=None, next=_safe_next(next))

    @app.post("/login")
    def login(
        request: Request, username: str = Form(...), password: str = Form(...), next: str = Form("")
    ) -> Response:
        client = request.client.host if request.client else "?"
        keys = (f"user:{username.lower()}", f"client:{client}")
        if limiter.blocked(*keys):
            response = page(
                request,
                "login.html",
                None,
                error="試行回数が多すぎます。しばらく待ってください / too many attempts",
            )
            response.status_code = 429
            return response
        user = database.user(username)
        if user is None or user.disabled or not check_password(user.password_hash, password):
            limiter.failed(*keys)
            database.audit(username.lower(), "login.failed", None, {"client": client})
            response = page(
                request,
                "login.html",
                None,
                error="ユーザー名またはパスワードが違います / wrong user name or password",
            )
            response.status_code = 401
            return response
        database.audit(user.username, "login", None, {"client": client})
        home = (
            "/queue" if user.role in APPROVERS else "/audit" if user.role == "auditor" else "/mine"
        )
        target = _safe_next(next) or home
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(
            SESSION_COOKIE,
            sessions.issue(user.username),
            max_age=SESSION_SECONDS,
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
        )
        return response

    @app.post("/logout")
    def logout(request: Request, csrf: str = Form("")) -> Response:
        _, session = current(request)
        check_csrf(session, csrf)
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE)
        return response

    @app.get("/link/{token}")
    def link(request: Request, token: str) -> Response:
        """A link from a notice mail: signed, single-use, and only after logging in."""
        session = sessions.read(request.cookies.get(SESSION_COOKIE))
        if session is None or database.user(session.username) is None:
            return RedirectResponse(f"/login?next=/link/{token}", status_code=303)
        user = database.user(session.username)
        assert user is not None
        found = signer.read(token)
        if found is None:
            raise HTTPException(
                status_code=400, detail="無効なリンクです / invalid or expired link"
            )
        if any(
            e.detail.get("nonce") == found.nonce
            for e in database.events(action="link.used", sekisho_id=found.sekisho_id)
        ):
            raise HTTPException(
                status_code=410, detail="このリンクは使用済みです / this link was already used"
            )
        database.audit(
            user.username,
            "link.used",
            found.sekisho_id,
            {"nonce": found.nonce, "purpose": found.purpose},
        )
        return RedirectResponse(f"/messages/{found.sekisho_id}", status_code=303)

    @app.get("/", include_in_schema=False)
    def home(request: Request) -> Response:
        user, _ = current(request)
        return RedirectResponse("/queue" if user.role in APPROVERS else "/mine", status_code=303)

    @app.get("/queue", response_class=HTMLResponse)
    def queue(request: Request) -> HTMLResponse:
        user, session = require(request, APPROVERS)
        held = [r for r in database.messages(State.HELD) if in_departments(user, r.mail_from)]
        return page(request, "queue.html", session, user=user, messages=held)

    def own(user: User, sender: str) -> bool:
        """The sender's address is the user's, in any spelling (case, sub-address, ``%``)."""
        return same_mailbox(sender, user.username, current_policy().recipient_delimiter)

    def in_departments(user: User, sender: str) -> bool:
        """An approver limited to departments (policy sender groups) sees and decides only
        their mail; one without departments, all of it."""
        return not user.departments or any(
            current_policy().sender_in_group(sender, d) for d in user.departments
        )

    @app.get("/messages/{sekisho_id}", response_class=HTMLResponse)
    def message(request: Request, sekisho_id: str) -> HTMLResponse:
        user, session, record, _ = viewable(request, sekisho_id)
        return message_page(request, session, user, record, sekisho_id)

    @app.post("/messages/{sekisho_id}/revoke", response_class=HTMLResponse)
    def revoke(
        request: Request, sekisho_id: str, recipient: str = Form(""), csrf: str = Form("")
    ) -> HTMLResponse:
        """One recipient's link (``recipient``) or all of the message's; at once."""
        user, session, record, sender = viewable(request, sekisho_id)
        check_csrf(session, csrf)
        if links is None or not may_take_back(user, sender):
            raise HTTPException(status_code=403, detail="権限がありません / forbidden")
        known = {r.address for r in links.recipients(sekisho_id)}
        if recipient and recipient not in known:
            raise HTTPException(status_code=400, detail="宛先がありません / not a recipient")
        count = links.revoke(sekisho_id, user.username, utcnow(), recipient or None)
        return message_page(
            request,
            session,
            user,
            record,
            sekisho_id,
            done=f"{count}件のリンクを取り消しました / {count} link(s) revoked",
        )

    @app.post("/messages/{sekisho_id}/ask-delete", response_class=HTMLResponse)
    def ask_delete(request: Request, sekisho_id: str, csrf: str = Form("")) -> HTMLResponse:
        """Mail every recipient a request to delete the message, with a signed link."""
        from sekisho.actions.deletion import request_composer

        user, session, record, sender = viewable(request, sekisho_id)
        check_csrf(session, csrf)
        if links is None or public_url is None or not may_take_back(user, sender):
            raise HTTPException(status_code=403, detail="権限がありません / forbidden")
        status = link_status(links.recipients(sekisho_id), utcnow())
        if not left(record, status):
            raise HTTPException(
                status_code=409, detail="まだ送信されていません / the message has not left"
            )
        addresses = (
            list(record.rcpt_to) if record is not None else [r.address for r in status.recipients]
        )
        queued = links.ask_to_delete(
            sekisho_id, addresses, user.username, utcnow(), request_composer(secret, public_url)
        )
        return message_page(
            request,
            session,
            user,
            record,
            sekisho_id,
            done=f"{queued}件の削除依頼を送ります / {queued} deletion request(s) queued",
        )

    @app.get("/admin/links", response_class=HTMLResponse)
    def bulk_revoke_form(request: Request) -> HTMLResponse:
        _, session = require(request, {"admin"})
        return page(request, "links_admin.html", session, done=None, error=None, form={})

    @app.post("/admin/links", response_class=HTMLResponse)
    def bulk_revoke(
        request: Request,
        sender: str = Form(""),
        start: str = Form(""),
        end: str = Form(""),
        csrf: str = Form(""),
    ) -> HTMLResponse:
        """Every link of one sender in a time range (a compromised mailbox); audited."""
        admin, session = require(request, {"admin"})
        check_csrf(session, csrf)
        form = {"sender": sender, "start": start, "end": end}
        try:
            first, last = from_japan_time(start), from_japan_time(end)
        except ValueError:
            first = last = None
        error = done = None
        if "@" not in sender or first is None or last is None or first > last:
            error = (
                "送信者と期間（開始 ≦ 終了）を確認してください / "
                "check the sender and the time range (start ≤ end)"
            )
        elif links is None:
            raise HTTPException(status_code=409, detail="リンクは使われていません / no links")
        else:
            count = links.revoke_sender(sender.strip(), first, last, admin.username, utcnow())
            done = (
                f"{sender} のリンク {count}件を取り消しました / {count} link(s) of {sender} revoked"
            )
        response = page(request, "links_admin.html", session, done=done, error=error, form=form)
        if error:
            response.status_code = 400
        return response

    @app.get("/messages/{sekisho_id}/original", response_class=HTMLResponse)
    def original(request: Request, sekisho_id: str) -> HTMLResponse:
        user, session = require(request, APPROVERS)
        record = database.get(sekisho_id)
        if record is None:
            raise HTTPException(status_code=404)
        if record.spool_removed_at is not None:
            raise HTTPException(
                status_code=410,
                detail="保存期間を過ぎたため原本は削除されました / "
                "the original was removed after the retention period",
            )
        database.audit(user.username, "original.viewed", sekisho_id, {"size": record.size})
        text = spool.read(record.spool_name).decode("utf-8", "replace")
        return page(request, "original.html", session, record=record, text=text)

    def decide(
        request: Request, sekisho_id: str, approve: bool, comment: str, csrf: str
    ) -> Response:
        user, session = require(request, APPROVERS)
        check_csrf(session, csrf)
        record = database.get(sekisho_id)
        if record is not None and not in_departments(user, record.mail_from):
            raise HTTPException(
                status_code=403, detail="担当外の部署のメールです / not your departments' mail"
            )
        required = (
            current_policy().approvals_required(record.records, record.entities) if record else 1
        )
        try:
            database.decide(
                sekisho_id,
                approve=approve,
                actor=user.username,
                comment=comment,
                required=required,
                delimiters=current_policy().recipient_delimiter,
            )
        except DecisionError as exc:
            record = database.get(sekisho_id)
            if record is None:
                raise HTTPException(status_code=404) from exc
            response = message_page(
                request, session, user, record, sekisho_id, f"{exc.reason_ja} / {exc}"
            )
            response.status_code = 409
            return response
        return RedirectResponse("/queue", status_code=303)

    @app.post("/messages/{sekisho_id}/approve")
    def approve(
        request: Request, sekisho_id: str, comment: str = Form(""), csrf: str = Form("")
    ) -> Response:
        return decide(request, sekisho_id, True, comment, csrf)

    @app.post("/messages/{sekisho_id}/reject")
    def reject(
        request: Request, sekisho_id: str, comment: str = Form(""), csrf: str = Form("")
    ) -> Response:
        return decide(request, sekisho_id, False, comment, csrf)

    @app.get("/mine", response_class=HTMLResponse)
    def mine(request: Request) -> HTMLResponse:
        user, session = current(request)
        records = database.messages_from(user.username, current_policy().recipient_delimiter)
        linked = [m for m in (links.link_messages() if links else []) if own(user, m[1])]
        return page(
            request, "mine.html", session, user=user, messages=records, linked=linked, error=None
        )

    @app.post("/messages/{sekisho_id}/cancel")
    def cancel(request: Request, sekisho_id: str, csrf: str = Form("")) -> Response:
        user, session = current(request)
        check_csrf(session, csrf)
        try:
            database.cancel(
                sekisho_id, actor=user.username, delimiters=current_policy().recipient_delimiter
            )
        except DecisionError as exc:
            raise HTTPException(status_code=409, detail=f"{exc.reason_ja} / {exc}") from exc
        return RedirectResponse("/mine", status_code=303)

    def users_page(
        request: Request,
        session: Session,
        created: tuple[str, str] | None = None,
        error: str | None = None,
    ) -> HTMLResponse:
        """The accounts, with a one-time password to show once or an error (then 400)."""
        response = page(
            request, "users.html", session, users=database.users(), created=created, error=error
        )
        if error:
            response.status_code = 400
        return response

    @app.get("/admin/users", response_class=HTMLResponse)
    def users(request: Request) -> HTMLResponse:
        _, session = require(request, {"admin"})
        return users_page(request, session)

    @app.post("/admin/users", response_class=HTMLResponse)
    def add_user(
        request: Request,
        username: str = Form(""),
        role: str = Form(""),
        departments: str = Form(""),
        csrf: str = Form(""),
    ) -> HTMLResponse:
        admin, session = require(request, {"admin"})
        check_csrf(session, csrf)
        groups = [d.strip() for d in departments.split(",") if d.strip()]
        error = None
        if "@" not in username or role not in ROLES:
            error = "メールアドレスと役割を確認してください / check the address and the role"
        elif database.user(username) is not None:
            error = "すでに登録されています / already exists"
        elif any(g not in current_policy().sender_groups for g in groups):
            error = "ポリシーにない部署です / not a sender group of the policy"
        created = None
        if error is None:
            password = new_password()
            database.add_user(username, hash_password(password), role, groups, actor=admin.username)
            created = (username.lower(), password)
        return users_page(request, session, created, error)

    @app.post("/admin/users/change", response_class=HTMLResponse)
    def change_user(
        request: Request,
        username: str = Form(""),
        role: str = Form(""),
        change: str = Form(""),
        csrf: str = Form(""),
    ) -> HTMLResponse:
        """One account: new role, disable/enable, or a new one-time password (shown once)."""
        admin, session = require(request, {"admin"})
        check_csrf(session, csrf)
        target, error, created = database.user(username), None, None
        if target is None or change not in ("role", "disable", "enable", "password"):
            error = "利用者または操作が不正です / unknown user or change"
        elif change == "role" and role not in ROLES:
            error = "役割を確認してください / check the role"
        elif target.username == admin.username and change in ("role", "disable"):
            error = "自分自身の役割変更・無効化はできません / not on your own account"
        elif change == "password":
            password = new_password()
            database.change_user(
                target.username, admin.username, password_hash=hash_password(password)
            )
            created = (target.username, password)
        else:
            database.change_user(
                target.username,
                admin.username,
                role=role if change == "role" else None,
                disabled={"disable": True, "enable": False}.get(change),
            )
        return users_page(request, session, created, error)

    @app.get("/admin/policy", response_class=HTMLResponse)
    def policy_page(request: Request) -> HTMLResponse:
        _, session = require(request, {"admin"})
        latest = database.latest_policy()
        return page(
            request,
            "policy.html",
            session,
            latest=latest,
            text=latest.text if latest else "",
            errors=[],
            saved=None,
        )

    @app.post("/admin/policy", response_class=HTMLResponse)
    def upload_policy(request: Request, text: str = Form(""), csrf: str = Form("")) -> HTMLResponse:
        admin, session = require(request, {"admin"})
        check_csrf(session, csrf)
        errors = lint(text)
        saved = None if errors else database.save_policy(text, admin.username)
        response = page(
            request,
            "policy.html",
            session,
            latest=database.latest_policy(),
            text=text,
            errors=errors,
            saved=saved,
        )
        if errors:
            response.status_code = 400
        return response

    def _filters(request: Request) -> dict[str, str]:
        return {
            k: request.query_params.get(k, "")
            for k in ("actor", "action", "sekisho_id", "sender", "domain", "since", "until")
        }

    @app.get("/audit", response_class=HTMLResponse)
    def audit(request: Request) -> HTMLResponse:
        _, session = require(request, AUDITORS)
        filters = _filters(request)
        return page(
            request, "audit.html", session, events=database.events(**filters), filters=filters
        )

    @app.get("/audit.csv")
    def audit_csv(request: Request) -> Response:
        user, _ = require(request, AUDITORS)
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["id", "at", "actor", "action", "sekisho_id", "detail", "hash"])
        for event in database.events(**_filters(request)):
            writer.writerow(
                [
                    event.id,
                    event.at.isoformat(),
                    event.actor,
                    event.action,
                    event.sekisho_id or "",
                    event.detail,
                    event.hash,
                ]
            )
        database.audit(user.username, "audit.exported", None, _filters(request))
        return Response(
            buffer.getvalue().encode("utf-8-sig"),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="sekisho-audit.csv"'},
        )

    return app
