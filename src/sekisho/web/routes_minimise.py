"""「必要な情報だけにする」: the sender of a held roster reduces a table attachment to counts or
to the needed columns, previews the result (masked where it is still personal), and sends
the minimised message instead — the original is never sent (``minimised``, audited) and
the new one is scanned by a gateway like any received message, so policy decides on what
it now holds. Approvers return a held message to its sender with "please minimise"."""

from __future__ import annotations

import secrets
from typing import Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from sekisho.actions import notices
from sekisho.actions.minimise_mail import (
    TableAttachment,
    addressed_to,
    display_names,
    minimised_name,
    replace_attachment,
    route_values,
    table_attachments,
)
from sekisho.detect.mask import mask_text
from sekisho.errors import DecisionError
from sekisho.minimise import MinimiseError, Result, Table, minimise, split, tables_of
from sekisho.minimise import Request as Wanted
from sekisho.scan import Scanner
from sekisho.store import State
from sekisho.store.models import Notice
from sekisho.web.context import APPROVERS, FORBIDDEN, Viewer, Web, shared_detector


def router(web: Web) -> APIRouter:
    routes = APIRouter()
    database = web.database
    as_approver = Depends(web.role(APPROVERS))

    def held_own(request: Request, sekisho_id: str) -> tuple[Viewer, Any]:
        """The sender's own held message, or 403/409."""
        viewer, record, sender = web.viewable(request, sekisho_id)
        if record is None or not web.own(viewer.user, sender):
            raise HTTPException(status_code=403, detail=FORBIDDEN)
        if record.state != State.HELD:
            raise HTTPException(
                status_code=409,
                detail="承認待ちのメールではありません / the message is not held",
            )
        return viewer, record

    def page(  # type: ignore[no-untyped-def]
        request: Request,
        viewer: Viewer,
        record: Any,
        found: list[TableAttachment],
        number: int,
        table: Table | None = None,
        **more: Any,
    ):
        """The form (and what was asked of it); ``table`` when a minimisation already read
        the chosen one (its columns), else it is read here."""
        chosen = next((a for a in found if a.number == number), found[0] if found else None)
        problem = ""
        if chosen is not None and table is None:
            try:
                table = tables_of(chosen.data, chosen.name, shared_detector())[0]
            except MinimiseError as exc:
                problem = exc.both()
        return web.page(
            request,
            "minimise.html",
            viewer.session,
            record=record,
            attachments=found,
            chosen=chosen,
            table=table,
            problem=problem,
            min_cell=web.policy.min_cell,
            **more,
        )

    def send_instead(  # type: ignore[no-untyped-def]
        request: Request,
        viewer: Viewer,
        record: Any,
        messages: list[tuple[list[str] | None, bytes]],
        detail: dict[str, Any],
        done: str,
    ):
        """The minimised message(s) (recipients, or None for the original's) queued for
        the gateway in place of the held one; their blobs go again if it is too late."""
        parts = []
        for recipients, data in messages:
            new_id = secrets.token_hex(12)
            blob = f"{new_id}.minimised.eml"
            web.spool.write(blob, data)
            parts.append((new_id, recipients, blob))
        try:
            database.minimise(
                record.sekisho_id,
                actor=viewer.user.username,
                parts=parts,
                detail=detail,
                delimiters=web.policy.recipient_delimiter,
            )
        except DecisionError as exc:
            for _, _, blob in parts:
                web.spool.remove(blob)
            raise HTTPException(status_code=409, detail=f"{exc.reason_ja} / {exc}") from exc
        ids = "、".join(new_id for new_id, _, _ in parts)
        return web.message_page(
            request,
            viewer,
            database.get(record.sekisho_id),
            record.sekisho_id,
            done=done.format(ids=ids, count=len(parts)),
        )

    @routes.get("/messages/{sekisho_id}/minimise", response_class=HTMLResponse)
    def form(request: Request, sekisho_id: str, attachment: int = 0) -> HTMLResponse:
        viewer, record = held_own(request, sekisho_id)
        found = table_attachments(web.spool.read(record.spool_name))
        return page(request, viewer, record, found, attachment)

    @routes.post("/messages/{sekisho_id}/minimise", response_class=HTMLResponse)
    def minimise_message(
        request: Request,
        sekisho_id: str,
        attachment: int = Form(0),
        mode: str = Form("aggregate"),
        columns: list[str] = Form([]),  # noqa: B008 — FastAPI reads repeated fields so
        keep_columns: list[str] = Form([]),  # noqa: B008
        age_bands: str = Form(""),
        split_column: str = Form(""),
        step: str = Form("preview"),
        csrf: str = Form(""),
    ) -> Response:
        viewer, record = held_own(request, sekisho_id)
        web.check_csrf(viewer, csrf)
        original = web.spool.read(record.spool_name)  # read once: its tables, its rebuilding
        found = table_attachments(original)
        chosen = next((a for a in found if a.number == attachment), None)
        if chosen is None:
            raise HTTPException(status_code=400, detail="添付ファイルがありません / no such table")
        if mode == "split":
            return split_message(
                request, viewer, record, original, found, chosen, split_column, step
            )
        if mode == "keep":
            columns = keep_columns
        try:
            wanted = Wanted(
                aggregate=columns if mode == "aggregate" else (),
                keep=columns if mode == "keep" else (),
                age_bands=(age_bands or None) if mode == "aggregate" else None,
                min_cell=web.policy.min_cell,
            )
            result = minimise(chosen.data, chosen.name, wanted, shared_detector())
        except MinimiseError as exc:
            return page(
                request, viewer, record, found, attachment, error=exc.both(), picked=columns
            )
        scanner = Scanner(shared_detector())
        after = scanner.scan_bytes(result.data, f"out{result.suffix}", summary=True)
        if step != "send":
            return page(
                request,
                viewer,
                record,
                found,
                attachment,
                result.table,
                preview=_preview(result, kept=bool(wanted.keep)),
                people_before=record.records,
                people_after=after.detection.records,
                picked=columns,
                mode=mode,
                age_bands=age_bands,
            )
        data = replace_attachment(
            original, chosen.number, minimised_name(chosen.name, result.suffix), result.data
        )
        detail = {
            "how": "aggregate" if wanted.aggregate or wanted.age_bands else "keep",
            "attachment": chosen.number,
            "rows_in": result.rows_in,
            "rows_out": result.rows_out,
            "people_after": after.detection.records,
        }
        done = (
            "必要な情報だけにしたメール（{ids}）を送信処理に回しました。元のメールは送信されません / "
            "the minimised message ({ids}) is being scanned and sent; the original is not sent"
        )
        return send_instead(request, viewer, record, [(None, data)], detail, done)

    def split_message(
        request: Request,
        viewer: Viewer,
        record: Any,
        original: bytes,
        found: list[TableAttachment],
        chosen: TableAttachment,
        column: str,
        step: str,
    ) -> Response:
        """Each recipient their own rows: the column's values routed to the recipients
        (the policy's mapping, else the value in a recipient's display name); one message
        per recipient who has rows; rows routed to nobody are left out, and said so."""
        names = display_names(original, record.rcpt_to)
        try:
            values = split(chosen.data, chosen.name, column, detector=shared_detector())
            route = route_values(values.parts, names, web.policy.minimise_recipients)
            routed = split(chosen.data, chosen.name, column, route, detector=shared_detector())
        except MinimiseError as exc:
            return page(
                request, viewer, record, found, chosen.number, error=exc.both(), mode="split"
            )
        plan = [
            (
                address,
                sorted(v for v, to in route.items() if to == address),
                routed.parts[address].rows if address in routed.parts else 0,
            )
            for address in record.rcpt_to
        ]
        if step != "send" or not routed.parts:
            nothing = "どの宛先にも行を割り当てられません / no rows match any recipient"
            return page(
                request,
                viewer,
                record,
                found,
                chosen.number,
                routed.table,
                mode="split",
                split_column=column,
                split_plan=plan,
                left_out=sorted(routed.left_out.items()),
                error=None if routed.parts else nothing,
            )
        messages = []
        for address, part in routed.parts.items():
            data = replace_attachment(
                original, chosen.number, minimised_name(chosen.name, part.suffix), part.data
            )
            messages.append(([address], addressed_to(data, address, names.get(address, ""))))
        detail = {
            "how": "split",
            "attachment": chosen.number,
            "rows_in": routed.table.rows,
            "rows_out": sum(p.rows for p in routed.parts.values()),
            "left_out": sum(routed.left_out.values()),
        }
        done = (
            "宛先ごとに分けた{count}通を送信処理に回しました。元のメールは送信されません / "
            "{count} message(s), one per recipient, are being scanned and sent; "
            "the original is not sent"
        )
        return send_instead(request, viewer, record, messages, detail, done)

    @routes.post("/messages/{sekisho_id}/ask-minimise", response_class=HTMLResponse)
    def ask_minimise(
        request: Request,
        sekisho_id: str,
        viewer: Viewer = as_approver,
        minimise_comment: str = Form(""),
        csrf: str = Form(""),
    ) -> HTMLResponse:
        """Return a held message to its sender: please send only what is needed."""
        web.check_csrf(viewer, csrf)
        record = database.get(sekisho_id)
        if record is None:
            raise HTTPException(status_code=404)
        if not web.in_departments(viewer.user, record.mail_from):
            raise HTTPException(status_code=403, detail=FORBIDDEN)
        comment = minimise_comment.strip()[:2000]
        if not comment:
            raise HTTPException(
                status_code=400, detail="コメントを書いてください / a comment is needed"
            )
        body = notices.minimise_asked(
            record.mail_from,
            sekisho_id,
            record.subject_masked,
            viewer.user.username,
            comment,
            web.signer.url(sekisho_id, "minimise"),
        )
        notice = Notice(
            sekisho_id=sekisho_id,
            kind="minimise-asked",
            recipient=record.mail_from,
            body=body,
            secret=False,
            ready=True,
            attempts=0,
        )
        if not database.ask_to_minimise(sekisho_id, viewer.user.username, comment, notice):
            raise HTTPException(
                status_code=409, detail="承認待ちのメールではありません / the message is not held"
            )
        done = "送信者に「必要な情報だけに」と依頼しました / the sender was asked to minimise"
        return web.message_page(request, viewer, record, sekisho_id, done=done)

    return routes


def _preview(result: Result, kept: bool) -> dict[str, Any]:
    """The result's first rows for the page: with kept columns, the cells of those that
    are personal masked (a kept name column shows 山田 **); counts show as they are."""
    header = [str(c) for c in result.head[0]] if result.head else []
    personal = {c.name for c in result.table.columns if c.personal} if kept else set()
    masked = [i for i, name in enumerate(header) if name in personal]
    shown = []
    for row in result.head[1:]:
        cells = ["" if c is None else str(c) for c in row]
        for i in masked:
            if i < len(cells):
                cells[i] = mask_text(cells[i])
        shown.append(cells)
    return {"header": header, "rows": shown, "more": max(0, result.rows_out - len(shown))}
