"""What every page of the staff UI shares: the store, the policy in force, sessions, the
templates, and the checks of who may see and do what. The routers (``web/routes_*.py``)
take one ``Web`` and ask it; the role checks are FastAPI dependencies, so a route says
who it is for in its signature.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from sekisho.actions.links import LinkSigner
from sekisho.addresses import same_mailbox
from sekisho.detect import Detector
from sekisho.detect.entities import label
from sekisho.policy import Policy
from sekisho.policy.source import PolicySource
from sekisho.store import Database, State, User, utcnow
from sekisho.store.blobs import Blobs
from sekisho.store.journal import Journal
from sekisho.store.links import LinkStore
from sekisho.store.logins import LoginThrottle
from sekisho.store.web_sessions import WebSessions
from sekisho.web.directory import DirectorySettings
from sekisho.web.link_status import link_status
from sekisho.web.security import SESSION_COOKIE, Session, Sessions

APPROVERS = {"approver", "admin"}
AUDITORS = {"auditor", "admin", "approver"}
ADMINS = {"admin"}
ROLES = ("sender", "approver", "auditor", "admin")
FORBIDDEN = "権限がありません / forbidden"


def home_of(user: User) -> str:
    """Where a person lands after signing in: their work."""
    return "/queue" if user.role in APPROVERS else "/audit" if user.role == "auditor" else "/mine"


def safe_next(target: str) -> str:
    """Only paths of this site (no open redirect through the login form)."""
    return target if target.startswith("/") and not target.startswith("//") else ""


@dataclass(frozen=True)
class Viewer:
    """The signed-in user and their session (the CSRF token is in it)."""

    user: User
    session: Session


@dataclass
class Web:
    database: Database
    spool: Blobs
    secret: str
    policies: PolicySource
    links: LinkStore | None = None
    public_url: str | None = None
    journal: Journal | None = None  # what left, for incidents
    web_url: str = ""  # this UI's address as staff reach it: links in notices need it whole
    ldap_url: str = ""  # directory sign-in, with the policy's ``directory`` section
    templates: Jinja2Templates = field(init=False)
    sessions: Sessions = field(init=False)
    signer: LinkSigner = field(init=False)
    limiter: LoginThrottle = field(init=False)

    def __post_init__(self) -> None:
        self.templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
        self.templates.env.filters["label"] = label
        self.sessions = Sessions(WebSessions(self.database))
        self.signer = LinkSigner(self.secret, self.web_url)
        self.limiter = LoginThrottle(self.database)  # in the store: one count for all workers

    @property
    def policy(self) -> Policy:
        return self.policies.current()

    # -- who is asking ------------------------------------------------------------------

    def directory(self) -> DirectorySettings | None:
        """Directory sign-in's settings, when both its address and the policy say so."""
        found = self.policy.directory
        if not self.ldap_url or not found:
            return None
        return DirectorySettings(
            url=self.ldap_url,
            user_dn=str(found["user_dn"]),
            groups_base=str(found["groups_base"]),
            roles=dict(found.get("roles") or {}),  # type: ignore[call-overload]
            departments=dict(found.get("departments") or {}),  # type: ignore[call-overload]
        )

    def viewer(self, request: Request) -> Viewer:
        """The signed-in user, or a redirect to the login page; one who still has a
        one-time password is sent to the change form from every page."""
        viewer = self.signed_in_any(request)
        user = viewer.user
        if user.must_change_password:
            raise HTTPException(status_code=303, headers={"Location": "/password"})
        if user.totp_secret or user.role in self.policy.second_factor:
            # Enrolled, or required by the policy for this role: once per session.
            if not user.totp_secret:
                raise HTTPException(status_code=303, headers={"Location": "/totp"})
            if viewer.session.second_factor_at is None:
                raise HTTPException(status_code=303, headers={"Location": "/login/code"})
        return viewer

    def signed_in_any(self, request: Request) -> Viewer:
        """The signed-in user, one-time password or not (the change form, logout)."""
        session = self.sessions.read(request.cookies.get(SESSION_COOKIE))
        user = self.database.user(session.username) if session else None
        if session is None or user is None or user.disabled:  # disabling ends every session
            raise HTTPException(status_code=303, headers={"Location": "/login"})
        return Viewer(user, session)

    def role(self, roles: set[str]) -> Callable[[Request], Viewer]:
        """A dependency: the viewer if their role is one of ``roles``, else 403."""

        def dependency(request: Request) -> Viewer:
            viewer = self.viewer(request)
            if viewer.user.role not in roles:
                raise HTTPException(status_code=403, detail=FORBIDDEN)
            return viewer

        return dependency

    @staticmethod
    def check_csrf(viewer: Viewer, token: str) -> None:
        if not token or token != viewer.session.csrf:
            raise HTTPException(status_code=403, detail="不正なリクエストです / invalid CSRF token")

    # -- what they may see and do -------------------------------------------------------

    def own(self, user: User, sender: str) -> bool:
        """The sender's address is the user's, in any spelling (case, sub-address, ``%``)."""
        return same_mailbox(sender, user.username, self.policy.recipient_delimiter)

    def in_departments(self, user: User, sender: str) -> bool:
        """An approver limited to departments (policy sender groups) sees and decides only
        their mail; one without departments, all of it."""
        policy = self.policy
        return not user.departments or any(
            policy.sender_in_group(sender, d) for d in user.departments
        )

    def may_take_back(self, user: User, sender: str) -> bool:
        """Revoke and ask to delete: the sender for their own mail, approvers, admins."""
        return user.role in APPROVERS or self.own(user, sender)

    @staticmethod
    def sender_of(record: Any, rows: list) -> str:  # type: ignore[type-arg]
        """The message's sender: its record's, or (left as links only) its links'."""
        if record is not None:
            return record.mail_from
        return rows[0].sender if rows else ""

    @staticmethod
    def left(record: Any, status: Any) -> bool:
        """The message reached its recipients (links went out, or it was relayed)."""
        return status.has_links or (record is not None and record.state == State.DELIVERED)

    def viewable(self, request: Request, sekisho_id: str) -> tuple[Viewer, Any, str]:
        """The viewer, the message (None when it left as links only, so the message table
        never held it) and its sender; 404 when neither exists, 403 when not theirs."""
        viewer = self.viewer(request)
        record = self.database.get(sekisho_id)
        rows = self.links.recipients(sekisho_id) if self.links and not record else []
        sender = self.sender_of(record, rows)
        if record is None and not sender:
            raise HTTPException(status_code=404)
        user = viewer.user
        if not self.own(user, sender) and (
            user.role not in APPROVERS | {"auditor"}
            # An approver limited to departments sees only their mail, as they decide.
            or (user.role == "approver" and not self.in_departments(user, sender))
        ):
            raise HTTPException(status_code=403, detail=FORBIDDEN)
        return viewer, record, sender

    # -- pages --------------------------------------------------------------------------

    def page(
        self, request: Request, name: str, session: Session | None, **context: Any
    ) -> HTMLResponse:
        lang = "en" if request.cookies.get("lang") == "en" else "ja"  # Japanese first
        return self.templates.TemplateResponse(
            request, name, {"session": session, "lang": lang, **context}
        )

    def message_page(
        self,
        request: Request,
        viewer: Viewer,
        record: Any,
        sekisho_id: str,
        error: str | None = None,
        done: str | None = None,
    ) -> HTMLResponse:
        rows = self.links.recipients(sekisho_id) if self.links else []
        status = link_status(rows, utcnow())
        sender = self.sender_of(record, rows)
        policy = self.policy
        context: dict[str, Any] = {"classes": [], "required": 1}
        if record is not None:
            context["classes"] = [(r, policy.recipient_class(r)) for r in record.rcpt_to]
            context["required"] = policy.approvals_required(record.records, record.entities)
        return self.page(
            request,
            "message.html",
            viewer.session,
            user=viewer.user,
            record=record,
            sekisho_id=sekisho_id,
            sender=sender,
            links=status,
            error=error,
            done=done,
            own_mail=self.own(viewer.user, sender),
            may_take_back=self.may_take_back(viewer.user, sender),
            may_ask_delete=self.public_url is not None and self.left(record, status),
            reminder_hours=policy.deletion_reminder_hours,
            **context,
        )


@cache
def shared_detector() -> Detector:
    """One detector for the web process, made on first use (an export of an incident's
    people, a minimisation): its dictionaries cost a second and tens of megabytes that
    the approval pages never need."""
    return Detector()
