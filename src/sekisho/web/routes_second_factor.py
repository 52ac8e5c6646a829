"""The second factor: TOTP (RFC 6238, any authenticator app) enrolled from a QR code made
here, with ten one-time recovery codes; asked once per session after the password. The
policy's ``second_factor`` names the roles that must use it; anyone may enrol."""

from __future__ import annotations

import hashlib
import io
import secrets

import pyotp
import segno
from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sekisho.web.context import Viewer, Web, home_of

ISSUER = "Sekisho"
RECOVERY_CODES = 10


def recovery_hash(code: str) -> str:
    """Recovery codes are random (50 bits each): a plain hash is enough to keep them."""
    return hashlib.sha256(code.strip().lower().replace("-", "").encode()).hexdigest()


def router(web: Web) -> APIRouter:
    routes = APIRouter()
    database = web.database
    signed_in_any = Depends(web.signed_in_any)

    def password_first(viewer: Viewer) -> None:
        if viewer.user.must_change_password:
            raise HTTPException(status_code=303, headers={"Location": "/password"})

    def may_enrol(viewer: Viewer) -> None:
        """A new secret only from a session that gave the current one (else a stolen
        password would enrol the thief's phone)."""
        password_first(viewer)
        if viewer.user.totp_secret and viewer.session.second_factor_at is None:
            raise HTTPException(status_code=303, headers={"Location": "/login/code"})

    @routes.get("/login/code", response_class=HTMLResponse)
    def code_form(request: Request, viewer: Viewer = signed_in_any) -> Response:
        password_first(viewer)
        if not viewer.user.totp_secret:
            return RedirectResponse("/totp", status_code=303)
        return web.page(request, "code.html", viewer.session, error=None)

    @routes.post("/login/code", response_class=HTMLResponse)
    def check_code(
        request: Request, viewer: Viewer = signed_in_any, code: str = Form(""), csrf: str = Form("")
    ) -> Response:
        """The authenticator's six digits, or one recovery code (spent)."""
        web.check_csrf(viewer, csrf)
        password_first(viewer)
        user = viewer.user
        client = request.client.host if request.client else "?"
        refused, _ = web.limiter.verdict(user.username, client)
        if refused or not user.totp_secret:
            raise HTTPException(status_code=429, detail="試行回数が多すぎます / too many attempts")
        digits = code.strip().replace(" ", "")
        good = (
            digits.isdigit() and pyotp.TOTP(user.totp_secret).verify(digits, valid_window=1)
        ) or (
            len(digits) >= 10 and database.use_recovery_code(user.username, recovery_hash(digits))
        )
        if not good:
            web.limiter.failed(user.username, client)
            database.audit(user.username, "login.second_factor_failed", None, {"client": client})
            page = web.page(
                request,
                "code.html",
                viewer.session,
                error="コードが違います / wrong code",
            )
            page.status_code = 401
            return page
        web.sessions.store.second_factor_given(viewer.session.id)
        database.audit(user.username, "login.second_factor", None, {"client": client})
        return RedirectResponse(home_of(viewer.user), status_code=303)

    @routes.get("/totp", response_class=HTMLResponse)
    def enrol(request: Request, viewer: Viewer = signed_in_any) -> HTMLResponse:
        """A new secret, pending until a code from the app confirms it."""
        may_enrol(viewer)
        secret = pyotp.random_base32()
        database.begin_second_factor(viewer.user.username, secret)
        grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
        return web.page(
            request, "totp.html", viewer.session, secret=grouped, codes=None, error=None
        )

    @routes.get("/totp/qr.png")
    def qr(viewer: Viewer = signed_in_any) -> Response:
        may_enrol(viewer)
        user = database.user(viewer.user.username)
        if user is None or not user.totp_pending:
            raise HTTPException(status_code=404)
        uri = pyotp.TOTP(user.totp_pending).provisioning_uri(name=user.username, issuer_name=ISSUER)
        buffer = io.BytesIO()
        segno.make(uri, error="m").save(buffer, kind="png", scale=6, border=4)
        return Response(buffer.getvalue(), media_type="image/png")

    @routes.post("/totp", response_class=HTMLResponse)
    def confirm(
        request: Request, viewer: Viewer = signed_in_any, code: str = Form(""), csrf: str = Form("")
    ) -> HTMLResponse:
        web.check_csrf(viewer, csrf)
        may_enrol(viewer)
        user = database.user(viewer.user.username)
        pending = user.totp_pending if user is not None else None
        if not pending or not pyotp.TOTP(pending).verify(code.strip(), valid_window=1):
            page = web.page(
                request,
                "totp.html",
                viewer.session,
                secret="",
                codes=None,
                error="コードが違います。もう一度読み取ってください / wrong code: scan again",
            )
            page.status_code = 400
            return page
        codes = [
            "-".join(secrets.token_hex(5)[i : i + 5] for i in (0, 5)) for _ in range(RECOVERY_CODES)
        ]
        database.confirm_second_factor(user.username, [recovery_hash(c) for c in codes])  # type: ignore[union-attr]
        web.sessions.store.second_factor_given(viewer.session.id)
        return web.page(request, "totp.html", viewer.session, secret="", codes=codes, error=None)

    return routes
