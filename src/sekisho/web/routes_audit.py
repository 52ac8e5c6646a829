"""The audit log for auditors, approvers and admins: search, and the CSV export (itself
audited)."""

from __future__ import annotations

import csv
import io
from datetime import datetime

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from sekisho.web.context import AUDITORS, Viewer, Web

FILTERS = ("actor", "action", "sekisho_id", "sender", "domain", "since", "until")


def _filters(request: Request) -> dict[str, str]:
    return _checked({k: request.query_params.get(k, "") for k in FILTERS})


def _checked(given: dict[str, str]) -> dict[str, str]:
    """The search, its dates checked (a bad one is the searcher's mistake: 400, not 500)."""
    filters = {k: given.get(k, "")[:256] for k in FILTERS}
    for key in ("since", "until"):
        if filters[key]:
            try:
                datetime.fromisoformat(filters[key])
            except ValueError as exc:
                raise HTTPException(
                    status_code=400, detail=f"日付が不正です / bad date in {key}"
                ) from exc
    return filters


_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """A cell Excel will not run: text that starts like a formula (=HYPERLINK(…), +cmd|…,
    @sum(…)) gets a leading apostrophe. Anyone can type a user name that lands here."""
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return value


def router(web: Web) -> APIRouter:
    routes = APIRouter()
    database = web.database
    as_auditor = Depends(web.role(AUDITORS))  # the signed-in auditor (approver, admin), or 403

    @routes.get("/audit", response_class=HTMLResponse)
    def audit(request: Request, viewer: Viewer = as_auditor) -> HTMLResponse:
        filters = _filters(request)
        return web.page(
            request,
            "audit.html",
            viewer.session,
            events=database.events(**filters),
            filters=filters,
        )

    @routes.post("/audit.csv")
    def audit_csv(
        request: Request,
        viewer: Viewer = as_auditor,
        csrf: str = Form(""),
        actor: str = Form(""),
        action: str = Form(""),
        sekisho_id: str = Form(""),
        sender: str = Form(""),
        domain: str = Form(""),
        since: str = Form(""),
        until: str = Form(""),
    ) -> Response:
        """The search as CSV: a POST with the CSRF token (another site cannot make a
        browser export), itself audited."""
        web.check_csrf(viewer, csrf)
        given = {"actor": actor, "action": action, "sekisho_id": sekisho_id, "sender": sender,
                 "domain": domain, "since": since, "until": until}  # fmt: skip
        filters = _checked(given)
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["id", "at", "actor", "action", "sekisho_id", "detail", "hash"])
        for event in database.events(**filters):
            row = [
                event.id,
                event.at.isoformat(),
                event.actor,
                event.action,
                event.sekisho_id or "",
                str(event.detail),
                event.hash,
            ]
            writer.writerow([spreadsheet_safe(cell) for cell in row])
        database.audit(viewer.user.username, "audit.exported", None, filters)
        return Response(
            buffer.getvalue().encode("utf-8-sig"),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="sekisho-audit.csv"'},
        )

    return routes
