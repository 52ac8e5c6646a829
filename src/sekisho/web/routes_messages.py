"""Messages: the approval queue, one message's page (its links, taking it back), the
quarantined original, decisions, and the sender's own mail."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sekisho.errors import DecisionError
from sekisho.store import State, utcnow
from sekisho.web.context import APPROVERS, FORBIDDEN, Viewer, Web
from sekisho.web.link_status import link_status


def router(web: Web) -> APIRouter:
    routes = APIRouter()
    database = web.database
    signed_in = Depends(web.viewer)  # the signed-in user, or the login page
    as_approver = Depends(web.role(APPROVERS))  # the signed-in approver (admin), or 403

    @routes.get("/queue", response_class=HTMLResponse)
    def queue(request: Request, viewer: Viewer = as_approver) -> HTMLResponse:
        held = [
            r for r in database.messages(State.HELD) if web.in_departments(viewer.user, r.mail_from)
        ]
        return web.page(request, "queue.html", viewer.session, user=viewer.user, messages=held)

    @routes.get("/messages/{sekisho_id}", response_class=HTMLResponse)
    def message(request: Request, sekisho_id: str) -> HTMLResponse:
        viewer, record, _ = web.viewable(request, sekisho_id)
        return web.message_page(request, viewer, record, sekisho_id)

    @routes.post("/messages/{sekisho_id}/revoke", response_class=HTMLResponse)
    def revoke(
        request: Request, sekisho_id: str, recipient: str = Form(""), csrf: str = Form("")
    ) -> HTMLResponse:
        """One recipient's link (``recipient``) or all of the message's; at once."""
        viewer, record, sender = web.viewable(request, sekisho_id)
        web.check_csrf(viewer, csrf)
        if web.links is None or not web.may_take_back(viewer.user, sender):
            raise HTTPException(status_code=403, detail=FORBIDDEN)
        known = {r.address for r in web.links.recipients(sekisho_id)}
        if recipient and recipient not in known:
            raise HTTPException(status_code=400, detail="宛先がありません / not a recipient")
        count = web.links.revoke(sekisho_id, viewer.user.username, utcnow(), recipient or None)
        done = f"{count}件のリンクを取り消しました / {count} link(s) revoked"
        return web.message_page(request, viewer, record, sekisho_id, done=done)

    @routes.post("/messages/{sekisho_id}/ask-delete", response_class=HTMLResponse)
    def ask_delete(request: Request, sekisho_id: str, csrf: str = Form("")) -> HTMLResponse:
        """Mail every recipient a request to delete the message, with a signed link."""
        from sekisho.actions.deletion import request_composer

        viewer, record, sender = web.viewable(request, sekisho_id)
        web.check_csrf(viewer, csrf)
        links, public_url = web.links, web.public_url
        if links is None or public_url is None or not web.may_take_back(viewer.user, sender):
            raise HTTPException(status_code=403, detail=FORBIDDEN)
        status = link_status(links.recipients(sekisho_id), utcnow())
        if not web.left(record, status):
            raise HTTPException(
                status_code=409, detail="まだ送信されていません / the message has not left"
            )
        addresses = (
            list(record.rcpt_to) if record is not None else [r.address for r in status.recipients]
        )
        queued = links.ask_to_delete(
            sekisho_id,
            addresses,
            viewer.user.username,
            utcnow(),
            request_composer(web.secret, public_url),
        )
        done = f"{queued}件の削除依頼を送ります / {queued} deletion request(s) queued"
        return web.message_page(request, viewer, record, sekisho_id, done=done)

    @routes.post("/messages/{sekisho_id}/original", response_class=HTMLResponse)
    def original(
        request: Request,
        sekisho_id: str,
        viewer: Viewer = as_approver,
        reason: str = Form(""),
        csrf: str = Form(""),
    ) -> HTMLResponse:
        """The quarantined original: a POST with the viewer's reason (a link on another
        site cannot open it), audited with the reason."""
        web.check_csrf(viewer, csrf)
        reason = reason.strip()[:500]
        if not reason:
            raise HTTPException(status_code=400, detail="理由を書いてください / a reason is needed")
        record = database.get(sekisho_id)
        if record is None:
            raise HTTPException(status_code=404)
        if not web.in_departments(viewer.user, record.mail_from):
            raise HTTPException(status_code=403, detail=FORBIDDEN)
        if record.spool_removed_at is not None:
            raise HTTPException(
                status_code=410,
                detail="保存期間を過ぎたため原本は削除されました / "
                "the original was removed after the retention period",
            )
        database.audit(
            viewer.user.username,
            "original.viewed",
            sekisho_id,
            {"size": record.size, "reason": reason},
        )
        text = web.spool.read(record.spool_name).decode("utf-8", "replace")
        return web.page(request, "original.html", viewer.session, record=record, text=text)

    def decide(
        request: Request, viewer: Viewer, sekisho_id: str, approve: bool, comment: str, csrf: str
    ) -> Response:
        web.check_csrf(viewer, csrf)
        record = database.get(sekisho_id)
        if record is not None and not web.in_departments(viewer.user, record.mail_from):
            raise HTTPException(
                status_code=403, detail="担当外の部署のメールです / not your departments' mail"
            )
        policy = web.policy
        required = policy.approvals_required(record.records, record.entities) if record else 1
        try:
            database.decide(
                sekisho_id,
                approve=approve,
                actor=viewer.user.username,
                comment=comment,
                required=required,
                delimiters=policy.recipient_delimiter,
            )
        except DecisionError as exc:
            record = database.get(sekisho_id)
            if record is None:
                raise HTTPException(status_code=404) from exc
            response = web.message_page(
                request, viewer, record, sekisho_id, f"{exc.reason_ja} / {exc}"
            )
            response.status_code = 409
            return response
        return RedirectResponse("/queue", status_code=303)

    @routes.post("/messages/{sekisho_id}/approve")
    @routes.post("/messages/{sekisho_id}/reject")
    def approve_or_reject(
        request: Request,
        sekisho_id: str,
        viewer: Viewer = as_approver,
        comment: str = Form(""),
        csrf: str = Form(""),
    ) -> Response:
        approve = request.url.path.endswith("/approve")
        return decide(request, viewer, sekisho_id, approve, comment, csrf)

    @routes.get("/mine", response_class=HTMLResponse)
    def mine(request: Request, viewer: Viewer = signed_in) -> HTMLResponse:
        user = viewer.user
        records = database.messages_from(user.username, web.policy.recipient_delimiter)
        linked = [
            m for m in (web.links.link_messages() if web.links else []) if web.own(user, m[1])
        ]
        return web.page(
            request,
            "mine.html",
            viewer.session,
            user=user,
            messages=records,
            linked=linked,
            error=None,
        )

    @routes.post("/messages/{sekisho_id}/cancel")
    def cancel(sekisho_id: str, viewer: Viewer = signed_in, csrf: str = Form("")) -> Response:
        web.check_csrf(viewer, csrf)
        try:
            database.cancel(
                sekisho_id,
                actor=viewer.user.username,
                delimiters=web.policy.recipient_delimiter,
            )
        except DecisionError as exc:
            raise HTTPException(status_code=409, detail=f"{exc.reason_ja} / {exc}") from exc
        return RedirectResponse("/mine", status_code=303)

    return routes
