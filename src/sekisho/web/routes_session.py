"""Signing in and out, the signed links of notice mails, the language switch, and the
service's own endpoints (health, metrics)."""

from __future__ import annotations

import time

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from prometheus_client import REGISTRY, CollectorRegistry, Gauge, generate_latest

from sekisho.store import State
from sekisho.web import directory, passwords
from sekisho.web.context import APPROVERS, Viewer, Web, home_of, safe_next
from sekisho.web.directory import DIRECTORY_MARK
from sekisho.web.security import (
    SESSION_COOKIE,
    SESSION_SECONDS,
    check_password,
    hash_password,
    spend_a_check,
)

# What a login form may carry (an address is at most 254 characters; the audit log keeps
# names, and a megabyte of "name" is not one).
MAX_USERNAME = 254
MAX_PASSWORD = 1024


def _same_origin(request: Request) -> bool:
    """A POST from this site's own pages: the browser's Origin (or, without one, its
    Sec-Fetch-Site) says so; a client that sends neither (curl, the tests) is not a
    browser being steered by another site."""
    origin = request.headers.get("origin")
    if origin is not None and origin != "null":
        return origin.rstrip("/") == f"{request.url.scheme}://{request.url.netloc}"
    return request.headers.get("sec-fetch-site", "same-origin") in ("same-origin", "none")


def router(web: Web) -> APIRouter:
    routes = APIRouter()
    database = web.database
    signed_in = Depends(web.viewer)  # the signed-in user, or the login page
    signed_in_any = Depends(web.signed_in_any)  # … even with a one-time password still

    @routes.get("/lang/{code}")
    def switch_language(code: str, next: str = "/") -> Response:
        response = RedirectResponse(safe_next(next) or "/", status_code=303)
        response.set_cookie(
            "lang",
            "en" if code == "en" else "ja",
            max_age=365 * 24 * 3600,
            samesite="lax",
            httponly=True,
        )
        return response

    @routes.get("/healthz", response_class=PlainTextResponse)
    def healthz() -> str:
        database.ping()
        return "ok"

    @routes.get("/metrics")
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
        # In `sekisho run` with one process the gateway shares this one: its counters
        # (verdicts, scan latency) are in the default registry.
        body = generate_latest(registry) + generate_latest(REGISTRY)
        return Response(body, media_type="text/plain; version=0.0.4")

    @routes.get("/login")
    def login_form(request: Request, next: str = "") -> Response:
        return web.page(request, "login.html", None, error=None, next=safe_next(next))

    @routes.post("/login")
    def login(
        request: Request, username: str = Form(...), password: str = Form(...), next: str = Form("")
    ) -> Response:
        if not _same_origin(request):
            # A foreign page must not sign a visitor's browser in (login CSRF).
            raise HTTPException(status_code=403, detail="別のサイトからのログインは受け付けません")
        if len(username) > MAX_USERNAME or len(password) > MAX_PASSWORD:
            raise HTTPException(status_code=400, detail="長すぎます / too long")
        client = request.client.host if request.client else "?"
        refused, delay = web.limiter.verdict(username, client)
        if refused:
            database.audit(
                username.lower(), "login.refused", None, {"client": client, "why": "throttled"}
            )
            response = web.page(
                request,
                "login.html",
                None,
                error="試行回数が多すぎます。しばらく待ってください / too many attempts",
            )
            response.status_code = 429
            return response
        if delay:  # an account many have guessed at: every try slower, none refused
            time.sleep(delay)
        user = database.user(username)
        settings = web.directory()
        if settings is not None and (user is None or user.password_hash.startswith(DIRECTORY_MARK)):
            # Not a local account: the directory says who this is (local ones, the
            # first admin and break-glass, are never looked up there).
            try:
                found = directory.sign_in(settings, username, password)
            except directory.DirectoryDown:
                database.audit(
                    username.lower(), "login.failed", None, {"client": client, "why": "directory"}
                )
                response = web.page(
                    request,
                    "login.html",
                    None,
                    error="ディレクトリ（LDAP）に接続できません。ローカルの管理者アカウントは使えます / "
                    "the directory does not answer; local admin accounts still work",
                )
                response.status_code = 503
                return response
            if found is not None:
                database.sync_directory_user(
                    username, found.role, list(found.departments), DIRECTORY_MARK
                )
                user = database.user(username)
                if user is not None and not user.disabled:
                    return start_session(request, user, client, next)
            user = None  # refused by the directory (or disabled here)
        elif user is None or user.disabled:
            spend_a_check(password)
        if user is None or user.disabled or not check_password(user.password_hash, password):
            web.limiter.failed(username, client)
            database.audit(username.lower(), "login.failed", None, {"client": client})
            response = web.page(
                request,
                "login.html",
                None,
                error="ユーザー名またはパスワードが違います / wrong user name or password",
            )
            response.status_code = 401
            return response
        return start_session(request, user, client, next)

    def start_session(request: Request, user, client: str, next: str) -> Response:  # type: ignore[no-untyped-def]
        """The session of a person whose password was accepted, and where they go."""
        database.audit(user.username, "login", None, {"client": client})
        home = home_of(user)
        if user.must_change_password:
            home, next = "/password", ""
        response = RedirectResponse(safe_next(next) or home, status_code=303)
        response.set_cookie(
            SESSION_COOKIE,
            web.sessions.issue(user.username, client),
            max_age=SESSION_SECONDS,
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
        )
        return response

    @routes.get("/password", response_class=HTMLResponse)
    def password_form(request: Request, viewer: Viewer = signed_in_any) -> HTMLResponse:
        return web.page(
            request, "password.html", viewer.session, user=viewer.user, errors=[], done=None
        )

    @routes.post("/password", response_class=HTMLResponse)
    def change_password(
        request: Request,
        viewer: Viewer = signed_in_any,
        current: str = Form(""),
        new: str = Form(""),
        repeat: str = Form(""),
        csrf: str = Form(""),
    ) -> HTMLResponse:
        """One's own password: the current one, then a new one that meets the rules
        (``passwords``) twice. Ends the one-time password's hold on every page."""
        web.check_csrf(viewer, csrf)
        user = viewer.user
        errors = []
        if len(new) > MAX_PASSWORD or not check_password(user.password_hash, current):
            errors.append("現在のパスワードが違います / the current password is wrong")
        elif new != repeat:
            errors.append("新しいパスワードが一致しません / the new passwords differ")
        elif new == current:
            errors.append("今と同じパスワードです / that is the current password")
        else:
            errors = passwords.problems(new, user.username)
        if errors:
            response = web.page(
                request, "password.html", viewer.session, user=user, errors=errors, done=None
            )
            response.status_code = 400
            return response
        database.change_user(user.username, user.username, password_hash=hash_password(new))
        # Another browser that knew the old password is signed out; this one stays.
        web.sessions.store.end_all(user.username, "password", keep=viewer.session.id)
        home = home_of(user)
        return web.page(
            request,
            "password.html",
            viewer.session,
            user=user,
            errors=[],
            done=home,
        )

    @routes.get("/sessions", response_class=HTMLResponse)
    def sessions(request: Request, viewer: Viewer = signed_in) -> HTMLResponse:
        """Where one is signed in (browser sessions), to end any of them."""
        return web.page(
            request,
            "sessions.html",
            viewer.session,
            sessions=web.sessions.store.of_user(viewer.user.username),
            current=viewer.session.id,
        )

    @routes.post("/sessions/end")
    def end_session(
        viewer: Viewer = signed_in, session_id: str = Form(""), csrf: str = Form("")
    ) -> Response:
        web.check_csrf(viewer, csrf)
        web.sessions.store.end_one(session_id, viewer.user.username, "ended by its user")
        target = "/login" if session_id == viewer.session.id else "/sessions"
        return RedirectResponse(target, status_code=303)

    @routes.post("/logout")
    def logout(request: Request, viewer: Viewer = signed_in_any, csrf: str = Form("")) -> Response:
        web.check_csrf(viewer, csrf)
        web.sessions.store.end(request.cookies.get(SESSION_COOKIE) or "", "logout")
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE)
        return response

    def usable_link(request: Request, token: str):  # type: ignore[no-untyped-def]
        """(the signed-in user, the link) or the response that sends them elsewhere."""
        session = web.sessions.read(request.cookies.get(SESSION_COOKIE))
        user = database.user(session.username) if session else None
        if session is None or user is None or user.disabled:
            return None, None, RedirectResponse(f"/login?next=/link/{token}", status_code=303)
        if user.must_change_password:  # the link keeps until the password is changed
            return None, None, RedirectResponse("/password", status_code=303)
        if (user.totp_secret or user.role in web.policy.second_factor) and (
            session.second_factor_at is None
        ):  # and until the second factor is given
            return None, None, RedirectResponse("/login/code", status_code=303)
        found = web.signer.read(token)
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
        return Viewer(user, session), found, None

    @routes.get("/link/{token}", response_class=HTMLResponse)
    def link(request: Request, token: str) -> Response:
        """A link from a notice mail: signed, single-use, only after logging in, and used
        by a button on this page (a GET another site makes the browser send uses nothing)."""
        viewer, found, elsewhere = usable_link(request, token)
        if elsewhere is not None:
            return elsewhere
        return web.page(request, "link.html", viewer.session, token=token, purpose=found.purpose)

    @routes.post("/link/{token}")
    def use_link(request: Request, token: str, csrf: str = Form("")) -> Response:
        viewer, found, elsewhere = usable_link(request, token)
        if elsewhere is not None:
            return elsewhere
        web.check_csrf(viewer, csrf)
        database.audit(
            viewer.user.username,
            "link.used",
            found.sekisho_id,
            {"nonce": found.nonce, "purpose": found.purpose},
        )
        page = "/minimise" if found.purpose == "minimise" else ""
        return RedirectResponse(f"/messages/{found.sekisho_id}{page}", status_code=303)

    @routes.get("/", include_in_schema=False)
    def home(viewer: Viewer = signed_in) -> Response:
        target = "/queue" if viewer.user.role in APPROVERS else "/mine"
        return RedirectResponse(target, status_code=303)

    return routes
