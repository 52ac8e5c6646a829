"""An admin's pages: accounts, the policy, and revoking a sender's links in bulk."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse

from sekisho.japan_time import from_japan_time
from sekisho.policy import lint
from sekisho.store import utcnow
from sekisho.web.context import ADMINS, ROLES, Viewer, Web
from sekisho.web.security import Session, hash_password, new_password


def router(web: Web) -> APIRouter:
    routes = APIRouter(prefix="/admin")
    database = web.database
    as_admin = Depends(web.role(ADMINS))  # the signed-in admin, or 403

    def users_page(
        request: Request,
        session: Session,
        created: tuple[str, str] | None = None,
        error: str | None = None,
    ) -> HTMLResponse:
        """The accounts, with a one-time password to show once or an error (then 400)."""
        response = web.page(
            request, "users.html", session, users=database.users(), created=created, error=error
        )
        if error:
            response.status_code = 400
        return response

    @routes.get("/users", response_class=HTMLResponse)
    def users(request: Request, admin: Viewer = as_admin) -> HTMLResponse:
        return users_page(request, admin.session)

    @routes.post("/users", response_class=HTMLResponse)
    def add_user(
        request: Request,
        admin: Viewer = as_admin,
        username: str = Form(""),
        role: str = Form(""),
        departments: str = Form(""),
        csrf: str = Form(""),
    ) -> HTMLResponse:
        web.check_csrf(admin, csrf)
        groups = [d.strip() for d in departments.split(",") if d.strip()]
        error = None
        if "@" not in username or role not in ROLES:
            error = "メールアドレスと役割を確認してください / check the address and the role"
        elif database.user(username) is not None:
            error = "すでに登録されています / already exists"
        elif any(g not in web.policy.sender_groups for g in groups):
            error = "ポリシーにない部署です / not a sender group of the policy"
        created = None
        if error is None:
            password = new_password()
            database.add_user(
                username,
                hash_password(password),
                role,
                groups,
                actor=admin.user.username,
                one_time=True,
            )
            created = (username.lower(), password)
        return users_page(request, admin.session, created, error)

    @routes.post("/users/change", response_class=HTMLResponse)
    def change_user(
        request: Request,
        admin: Viewer = as_admin,
        username: str = Form(""),
        role: str = Form(""),
        change: str = Form(""),
        csrf: str = Form(""),
    ) -> HTMLResponse:
        """One account: new role, disable/enable, or a new one-time password (shown once)."""
        web.check_csrf(admin, csrf)
        me = admin.user.username
        target, error, created = database.user(username), None, None
        if target is None or change not in ("role", "disable", "enable", "password", "sessions"):
            error = "利用者または操作が不正です / unknown user or change"
        elif change == "role" and role not in ROLES:
            error = "役割を確認してください / check the role"
        elif target.username == me and change in ("role", "disable"):
            error = "自分自身の役割変更・無効化はできません / not on your own account"
        elif change == "password":
            password = new_password()
            database.change_user(
                target.username, me, password_hash=hash_password(password), one_time=True
            )
            created = (target.username, password)
        elif change != "sessions":
            database.change_user(
                target.username,
                me,
                role=role if change == "role" else None,
                disabled={"disable": True, "enable": False}.get(change),
            )
        if error is None and target is not None and change != "enable":
            # A reset, a new role, disabling, or the admin's say: the sessions already
            # issued end at once (the person signs in again under the new terms).
            ended = web.sessions.store.end_all(target.username, f"admin: {change}")
            if change == "sessions":
                database.audit(me, "user.sessions_ended", None, {"username": target.username,
                                                                 "sessions": ended})  # fmt: skip
        return users_page(request, admin.session, created, error)

    @routes.get("/policy", response_class=HTMLResponse)
    def policy_page(request: Request, admin: Viewer = as_admin) -> HTMLResponse:
        latest = database.latest_policy()
        return web.page(
            request,
            "policy.html",
            admin.session,
            latest=latest,
            text=latest.text if latest else "",
            errors=[],
            saved=None,
        )

    @routes.post("/policy", response_class=HTMLResponse)
    def upload_policy(
        request: Request, admin: Viewer = as_admin, text: str = Form(""), csrf: str = Form("")
    ) -> HTMLResponse:
        web.check_csrf(admin, csrf)
        errors = lint(text)
        saved = None if errors else database.save_policy(text, admin.user.username)
        response = web.page(
            request,
            "policy.html",
            admin.session,
            latest=database.latest_policy(),
            text=text,
            errors=errors,
            saved=saved,
        )
        if errors:
            response.status_code = 400
        return response

    @routes.get("/links", response_class=HTMLResponse)
    def bulk_revoke_form(request: Request, admin: Viewer = as_admin) -> HTMLResponse:
        return web.page(request, "links_admin.html", admin.session, done=None, error=None, form={})

    @routes.post("/links", response_class=HTMLResponse)
    def bulk_revoke(
        request: Request,
        admin: Viewer = as_admin,
        sender: str = Form(""),
        start: str = Form(""),
        end: str = Form(""),
        csrf: str = Form(""),
    ) -> HTMLResponse:
        """Every link of one sender in a time range (a compromised mailbox); audited."""
        web.check_csrf(admin, csrf)
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
        elif web.links is None:
            raise HTTPException(status_code=409, detail="リンクは使われていません / no links")
        else:
            count = web.links.revoke_sender(
                sender.strip(), first, last, admin.user.username, utcnow()
            )
            done = (
                f"{sender} のリンク {count}件を取り消しました / {count} link(s) of {sender} revoked"
            )
        response = web.page(
            request, "links_admin.html", admin.session, done=done, error=error, form=form
        )
        if error:
            response.status_code = 400
        return response

    return routes
