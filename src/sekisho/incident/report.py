"""The report to the Personal Information Protection Commission, pre-filled from an
incident's facts: the items of the report form (規則 / 個人情報保護委員会への報告事項),
in Japanese, with ``BLANK`` where a person must write (cause, prevention). No personal
data: counts, entity types, recipients' organisations (domains), states and dates.

The JSON shape (``sekisho incident report --kind ppc --format json``) is a contract:
``report_required``, ``reasons``, ``deadline_preliminary``, ``deadline_final`` and
``items`` with ``summary``, ``data_items``, ``people``, ``cause``, ``secondary_damage``,
``response_to_individuals``, ``publication``, ``prevention``, ``other``.
"""

from __future__ import annotations

from sekisho.detect.entities import label
from sekisho.incident.assessment import Assessment
from sekisho.incident.facts import IncidentFacts

BLANK = "【記入してください】"


def ppc_report(facts: IncidentFacts, assessment: Assessment) -> dict:
    left = facts.left
    recipients = facts.recipients
    domains = sorted({r.address.rpartition("@")[2].lower() for r in recipients})
    revoked, confirmed, downloaded = facts.counts()
    hows = sorted({m.how for m in left})
    summary = (
        f"電子メールの誤送信により、{facts.people:,}人分の個人データを含むメール"
        f"{len(left)}通が{len(recipients)}件の宛先（{', '.join(domains) or 'なし'}）へ送信された"
        f"（送信方法: {', '.join(hows) or 'なし'}）。{facts.discovered_at:%Y年%m月%d日}に発覚。"
    )
    data_items = "、".join(label(e) for e in facts.entities) or "なし"
    actions = []
    if revoked:
        actions.append(f"ダウンロードリンク {revoked}件を取り消し")
    if confirmed:
        actions.append(f"{confirmed}件の宛先から削除の確認を得た")
    if downloaded:
        actions.append(f"{downloaded}件の宛先がダウンロード済み")
    secondary = (
        "現時点で二次被害は確認されていない。"
        if not downloaded
        else f"{downloaded}件の宛先がファイルを取得しており、二次被害のおそれを確認中。"
    )
    return {
        "incident": facts.incident_id,
        "report_required": assessment.required,
        "reasons": [r.ja for r in assessment.reasons],
        "reasons_en": [r.en for r in assessment.reasons],
        "deadline_preliminary": _date(assessment.deadline_preliminary),
        "deadline_final": _date(assessment.deadline_final),
        "discovered_at": facts.discovered_at.isoformat(),
        "items": {
            "summary": summary,
            "data_items": data_items,
            "people": facts.people,
            "cause": facts.cause or BLANK,
            "secondary_damage": secondary,
            "response_to_individuals": BLANK,
            "publication": BLANK,
            "prevention": BLANK,
            "other": "、".join(actions) or "なし",
        },
    }


def _date(value) -> str | None:  # type: ignore[no-untyped-def]
    return value.isoformat() if value is not None else None
