"""Incidents for admins and auditors: open one from a message, see what left and whether a
report to the PPC is due, record what the officer learns, revoke every link, close it."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sekisho.incident import assess, gather
from sekisho.incident.facts import timeline
from sekisho.incident.people import PeopleList, affected_people, people_xlsx
from sekisho.japan_time import from_japan_time, japan_local
from sekisho.store import utcnow
from sekisho.store.incidents import Incidents
from sekisho.store.people_exports import SECOND_APPROVAL_ABOVE, ExportRefused, PeopleExports
from sekisho.store.sent_search import SentMessage, find_sent
from sekisho.web.context import Viewer, Web, shared_detector

INCIDENT_ROLES = {"admin", "auditor"}


def router(web: Web) -> APIRouter:
    routes = APIRouter()
    database = web.database
    incidents = Incidents(database)
    exports = PeopleExports(database)
    as_officer = Depends(web.role(INCIDENT_ROLES))  # an admin or an auditor, or 403
    as_admin = Depends(web.role({"admin"}))

    def facts_of(incident_id: int):  # type: ignore[no-untyped-def]
        try:
            return gather(database, incident_id, web.links, web.journal)
        except KeyError as exc:
            raise HTTPException(status_code=404) from exc

    def known(sekisho_id: str) -> None:
        """404 unless the message is in the store (held, released) or in the journal."""
        found = database.get(sekisho_id) is not None or (
            web.journal is not None and web.journal.entry(sekisho_id) is not None
        )
        if not found:
            raise HTTPException(
                status_code=404, detail="該当するメールがありません / no such message"
            )

    def incident_page(
        request: Request, viewer: Viewer, incident_id: int, done: str | None = None
    ) -> HTMLResponse:
        facts = facts_of(incident_id)
        policy = web.policy
        assessment = assess(facts, policy.organisation_kind, policy.special_care_entities)
        return web.page(
            request,
            "incident.html",
            viewer.session,
            facts=facts,
            assessment=assessment,
            special=[e for e in policy.special_care_entities if facts.entities.get(e)],
            timeline=timeline(database, incident_id),
            is_admin=viewer.user.role == "admin",
            exports=exports.of_incident(incident_id),
            me=viewer.user.username,
            second_approval_above=SECOND_APPROVAL_ABOVE,
            discovered_local=japan_local(facts.discovered_at),
            done=done,
        )

    @routes.get("/incidents", response_class=HTMLResponse)
    def index(
        request: Request,
        viewer: Viewer = as_officer,
        sender: str = "",
        since: str = "",
        until: str = "",
        domain: str = "",
    ) -> HTMLResponse:
        """The incidents, and a search for the messages of a new one (sender, Japan-time
        range, recipient domain) when nobody has the message's Sekisho ID."""
        searched = any(v.strip() for v in (sender, since, until, domain))
        found: list[SentMessage] = []
        if searched:
            try:
                start = from_japan_time(since) if since.strip() else None
                end = from_japan_time(until) if until.strip() else None
            except ValueError as exc:
                raise HTTPException(status_code=400, detail="日時が不正です / bad date") from exc
            found = find_sent(database, sender=sender, since=start, until=end, domain=domain)
        return web.page(
            request,
            "incidents.html",
            viewer.session,
            incidents=incidents.newest(),
            searched=searched,
            found=found,
            query={"sender": sender, "since": since, "until": until, "domain": domain},
        )

    @routes.post("/incidents")
    def open_from_search(
        viewer: Viewer = as_officer,
        sekisho_id: list[str] = Form([]),  # noqa: B008 — FastAPI's way to read a list
        csrf: str = Form(""),
    ) -> Response:
        web.check_csrf(viewer, csrf)
        chosen = [s.strip() for s in sekisho_id if s.strip()]
        if not chosen:
            raise HTTPException(
                status_code=400, detail="メールを選んでください / choose at least one message"
            )
        for one in chosen:
            known(one)
        number = incidents.open(chosen, viewer.user.username, utcnow())
        return RedirectResponse(f"/incidents/{number}", status_code=303)

    @routes.post("/messages/{sekisho_id}/incident")
    def open_incident(
        sekisho_id: str, viewer: Viewer = as_officer, csrf: str = Form("")
    ) -> Response:
        web.check_csrf(viewer, csrf)
        known(sekisho_id)
        number = incidents.open([sekisho_id], viewer.user.username, utcnow())
        return RedirectResponse(f"/incidents/{number}", status_code=303)

    @routes.get("/incidents/{incident_id}", response_class=HTMLResponse)
    def incident(request: Request, incident_id: int, viewer: Viewer = as_officer) -> HTMLResponse:
        return incident_page(request, viewer, incident_id)

    @routes.post("/incidents/{incident_id}/record", response_class=HTMLResponse)
    def record(
        request: Request,
        incident_id: int,
        viewer: Viewer = as_officer,
        discovered: str = Form(""),
        cause: str = Form(""),
        notes: str = Form(""),
        unlawful_intent: str = Form(""),
        key_leaked: str = Form(""),
        override: str = Form(""),
        override_reason: str = Form(""),
        csrf: str = Form(""),
    ) -> HTMLResponse:
        web.check_csrf(viewer, csrf)
        facts_of(incident_id)  # 404 for an unknown incident
        values: dict = {
            "cause": cause.strip()[:5000],
            "notes": notes.strip()[:5000],
            "unlawful_intent": bool(unlawful_intent),
            "key_leaked": True if key_leaked else None,
            "override_required": {"required": True, "not_required": False}.get(override),
            "override_reason": override_reason.strip()[:2000],
        }
        if values["override_required"] is not None and not values["override_reason"]:
            raise HTTPException(
                status_code=400,
                detail="判断を上書きする理由を記入してください / an override needs its reason",
            )
        if discovered.strip():
            try:
                values["discovered_at"] = from_japan_time(discovered)
            except ValueError as exc:
                raise HTTPException(status_code=400, detail="日時が不正です / bad date") from exc
        incidents.record(incident_id, viewer.user.username, **values)
        return incident_page(request, viewer, incident_id, "記録しました / recorded")

    @routes.post("/incidents/{incident_id}/revoke", response_class=HTMLResponse)
    def revoke_all(
        request: Request, incident_id: int, viewer: Viewer = as_admin, csrf: str = Form("")
    ) -> HTMLResponse:
        web.check_csrf(viewer, csrf)
        facts_of(incident_id)
        count = 0
        if web.links is not None:
            for sekisho_id in incidents.messages(incident_id):
                count += web.links.revoke(sekisho_id, viewer.user.username, utcnow())
        # What matters for the report: how many were revoked before anyone downloaded.
        unread = sum(
            1 for r in facts_of(incident_id).recipients if r.revoked_at and not r.downloads
        )
        done = (
            f"{count}件のリンクを取り消しました（ダウンロード前に取り消したもの {unread}件）/ "
            f"{count} link(s) revoked; {unread} link(s) in all never downloaded"
        )
        return incident_page(request, viewer, incident_id, done)

    @routes.post("/incidents/{incident_id}/ask-delete", response_class=HTMLResponse)
    def ask_delete(
        request: Request, incident_id: int, viewer: Viewer = as_admin, csrf: str = Form("")
    ) -> HTMLResponse:
        """Every recipient of every message that left is asked to delete it (a signed
        confirmation link each; one reminder later)."""
        from sekisho.actions.deletion import request_composer

        web.check_csrf(viewer, csrf)
        facts = facts_of(incident_id)
        if web.links is None or web.public_url is None:
            raise HTTPException(
                status_code=409, detail="公開URLが設定されていません / no public URL configured"
            )
        compose = request_composer(web.secret, web.public_url)
        queued = 0
        for message in facts.left:
            addresses = [r.address for r in message.recipients]
            queued += web.links.ask_to_delete(
                message.sekisho_id, addresses, viewer.user.username, utcnow(), compose
            )
        done = f"{queued}件の削除依頼を送ります / {queued} deletion request(s) queued"
        return incident_page(request, viewer, incident_id, done)

    @routes.post("/incidents/{incident_id}/add", response_class=HTMLResponse)
    def add_message(
        request: Request,
        incident_id: int,
        viewer: Viewer = as_officer,
        sekisho_id: str = Form(""),
        csrf: str = Form(""),
    ) -> HTMLResponse:
        """A related message (another copy of the same roster, a follow-up) joins it."""
        web.check_csrf(viewer, csrf)
        facts_of(incident_id)
        sekisho_id = sekisho_id.strip()
        known(sekisho_id)
        added = incidents.add(incident_id, sekisho_id, viewer.user.username)
        done = "追加しました / added" if added else "すでに含まれています / already part of it"
        return incident_page(request, viewer, incident_id, done)

    def people_of(incident_id: int) -> PeopleList:
        if web.journal is None:
            raise HTTPException(
                status_code=409, detail="保管コピーが設定されていません / no journal configured"
            )
        return affected_people(web.journal, incidents.messages(incident_id), shared_detector())

    def people_file(incident_id: int, listed: PeopleList) -> Response:
        title = f"インシデント {incident_id} 本人一覧（取扱注意）"
        return Response(
            people_xlsx(listed, title),
            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={
                "Content-Disposition": f'attachment; filename="incident-{incident_id}-people.xlsx"',
                "Cache-Control": "no-store",
            },
        )

    def refused(exc: ExportRefused) -> HTTPException:
        return HTTPException(status_code=409, detail=str(exc))

    @routes.post("/incidents/{incident_id}/exports")
    def request_export(
        request: Request, incident_id: int, viewer: Viewer = as_admin, csrf: str = Form("")
    ) -> Response:
        """The list of the people, for telling them: at once up to the threshold; above it
        the request waits for a second admin."""
        web.check_csrf(viewer, csrf)
        facts_of(incident_id)
        listed = people_of(incident_id)
        now, actor = utcnow(), viewer.user.username
        export = exports.request(incident_id, actor, now, len(listed.people))
        if len(listed.people) > SECOND_APPROVAL_ABOVE:
            done = (
                f"{len(listed.people):,}人分の一覧です。別の管理者の承認を待っています / "
                f"{len(listed.people):,} people: waiting for a second admin's approval"
            )
            return incident_page(request, viewer, incident_id, done)
        try:
            exports.claim(export.id, actor, now, len(listed.people))
        except ExportRefused as exc:
            raise refused(exc) from exc
        return people_file(incident_id, listed)

    @routes.post(
        "/incidents/{incident_id}/exports/{export_id}/approve", response_class=HTMLResponse
    )
    def approve_export(
        request: Request,
        incident_id: int,
        export_id: int,
        viewer: Viewer = as_admin,
        csrf: str = Form(""),
    ) -> HTMLResponse:
        web.check_csrf(viewer, csrf)
        export = exports.get(export_id)
        if export is None or export.incident_id != incident_id:
            raise HTTPException(status_code=404)
        try:
            exports.approve(export_id, viewer.user.username, utcnow())
        except ExportRefused as exc:
            raise refused(exc) from exc
        return incident_page(request, viewer, incident_id, "承認しました / approved")

    @routes.post("/incidents/{incident_id}/exports/{export_id}/download")
    def download_export(
        incident_id: int, export_id: int, viewer: Viewer = as_admin, csrf: str = Form("")
    ) -> Response:
        web.check_csrf(viewer, csrf)
        export = exports.get(export_id)
        if export is None or export.incident_id != incident_id:
            raise HTTPException(status_code=404)
        listed = people_of(incident_id)
        try:
            exports.claim(export_id, viewer.user.username, utcnow(), len(listed.people))
        except ExportRefused as exc:
            raise refused(exc) from exc
        return people_file(incident_id, listed)

    @routes.post("/incidents/{incident_id}/close")
    def close(incident_id: int, viewer: Viewer = as_officer, csrf: str = Form("")) -> Response:
        web.check_csrf(viewer, csrf)
        facts_of(incident_id)
        incidents.close(incident_id, viewer.user.username, utcnow())
        return RedirectResponse(f"/incidents/{incident_id}", status_code=303)

    return routes
