"""``sekisho web``: the people's side, server-rendered, Japanese first, no JavaScript.

The web never speaks SMTP: it records decisions (approve, reject, cancel) in the store,
and the gateway's scheduler carries them out. Opening a quarantined original is the one
place raw personal data is shown, and every opening is audited.

The pages come in families, one router each (``routes_session``, ``routes_messages``,
``routes_admin``, ``routes_audit``, ``routes_incidents``), sharing one ``context.Web``: the store, the policy in
force (``policy.source.PolicySource``, as the gateway reads it) and the role checks.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import PlainTextResponse, Response

from sekisho.policy import Policy, default_policy
from sekisho.policy.source import PolicySource
from sekisho.store import Database
from sekisho.store.blobs import Blobs
from sekisho.store.journal import Journal
from sekisho.store.links import LinkStore
from sekisho.web import (
    routes_admin,
    routes_audit,
    routes_incidents,
    routes_messages,
    routes_minimise,
    routes_second_factor,
    routes_session,
)
from sekisho.web.context import Web
from sekisho.web.security import SECURITY_HEADERS


def create_app(
    database: Database,
    spool: Blobs,
    secret: str,
    policy: Policy | None = None,
    links: LinkStore | None = None,
    public_url: str | None = None,
    journal: Journal | None = None,
    web_url: str = "",
    ldap_url: str = "",
) -> FastAPI:
    """The staff web UI. With ``links``, message pages show each recipient's link and let
    the sender, approvers and admins take it back; with ``public_url`` too (and ``secret``
    the gateway's, so the public listener can read what this signs), "ask to delete"."""
    app = FastAPI(title="Sekisho", docs_url=None, redoc_url=None, openapi_url=None)
    web = Web(
        database,
        spool,
        secret,
        PolicySource(policy or default_policy(), database.latest_policy),
        links=links,
        public_url=public_url,
        journal=journal,
        web_url=web_url,
        ldap_url=ldap_url,
    )

    @app.middleware("http")
    async def security_headers(request: Request, call_next):  # type: ignore[no-untyped-def]
        response = await call_next(request)
        response.headers.update(SECURITY_HEADERS)
        if request.url.scheme == "https":  # served over TLS (or a trusted proxy says so)
            response.headers["Strict-Transport-Security"] = "max-age=31536000"
        return response

    @app.exception_handler(Exception)
    async def failure(request: Request, exc: Exception) -> Response:
        """A failure's page carries the security headers too (the outermost handler runs
        outside the middleware above)."""
        return PlainTextResponse(
            "内部エラー / internal error", status_code=500, headers=SECURITY_HEADERS
        )

    families = (
        routes_session,
        routes_second_factor,
        routes_messages,
        routes_minimise,
        routes_admin,
        routes_audit,
        routes_incidents,
    )
    for family in families:
        app.include_router(family.router(web))
    return app
