"""The audit log for auditors, approvers and admins: search, and the CSV export (itself
audited)."""

from __future__ import annotations

import csv
import io

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from sekisho.web.context import AUDITORS, Viewer, Web

FILTERS = ("actor", "action", "sekisho_id", "sender", "domain", "since", "until")


def _filters(request: Request) -> dict[str, str]:
    return {k: request.query_params.get(k, "") for k in FILTERS}


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

    @routes.get("/audit.csv")
    def audit_csv(request: Request, viewer: Viewer = as_auditor) -> Response:
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
        database.audit(viewer.user.username, "audit.exported", None, _filters(request))
        return Response(
            buffer.getvalue().encode("utf-8-sig"),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="sekisho-audit.csv"'},
        )

    return routes
