"""The incident's documents as Word files (python-docx): the report to the Personal
Information Protection Commission, and a press-release draft in the structure municipal
releases use (概要, 経緯, 原因, 対応, 再発防止策, 問い合わせ先). Facts are filled in; what a
person must write is marked 【記入してください】. No personal data: counts, data items,
recipients' organisations (domains), dates."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from docx import Document

from sekisho.incident.assessment import Assessment
from sekisho.incident.facts import IncidentFacts
from sekisho.incident.report import BLANK, ppc_report
from sekisho.japan_time import to_japan

PPC_ITEMS = (
    ("summary", "概要"),
    ("data_items", "漏えい等が発生し、又は発生したおそれがある個人データの項目"),
    ("people", "漏えい等が発生し、又は発生したおそれがある個人データに係る本人の数"),
    ("cause", "原因"),
    ("secondary_damage", "二次被害又はそのおそれの有無及びその内容"),
    ("response_to_individuals", "本人への対応の実施状況"),
    ("publication", "公表の実施状況"),
    ("prevention", "再発防止のための措置"),
    ("other", "その他参考となる事項"),
)


def _japan(moment: datetime) -> str:
    local = to_japan(moment)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


def ppc_docx(facts: IncidentFacts, assessment: Assessment, path: Path) -> None:
    report = ppc_report(facts, assessment)
    document = Document()
    document.add_heading("個人情報保護委員会への漏えい等報告（案）", level=1)
    verdict = "報告が必要です。" if report["report_required"] else "報告は不要と判断されます。"
    document.add_paragraph(f"判定: {verdict}")
    for reason in report["reasons"]:
        document.add_paragraph(reason, style="List Bullet")
    if report["report_required"]:
        document.add_paragraph(
            f"速報の期限: {report['deadline_preliminary']}　確報の期限: {report['deadline_final']}"
        )
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for key, title in PPC_ITEMS:
        row = table.add_row().cells
        value = report["items"][key]
        row[0].text = title
        row[1].text = f"{value:,}人" if key == "people" else str(value)
    document.add_paragraph(
        f"発覚日時: {_japan(facts.discovered_at)}（インシデント {facts.incident_id}）"
    )
    document.save(str(path))


def press_docx(
    facts: IncidentFacts,
    assessment: Assessment,
    events: list[tuple[datetime, str, str]],
    path: Path,
) -> None:
    report = ppc_report(facts, assessment)
    recipients = facts.recipients
    document = Document()
    document.add_heading("個人情報を含むメールの誤送信について（案）", level=1)
    document.add_heading("1　概要", level=2)
    document.add_paragraph(
        f"本市職員が、{facts.people:,}人分の個人情報（{report['items']['data_items']}）を含む"
        f"電子メールを、誤って{len(recipients)}件の宛先に送信しました。"
        "関係者の皆様に多大なご迷惑とご心配をおかけしますことを、深くお詫び申し上げます。"
    )
    document.add_heading("2　経緯", level=2)
    for moment, _actor, what in events:
        document.add_paragraph(f"{_japan(moment)}　{what}", style="List Bullet")
    document.add_heading("3　原因", level=2)
    document.add_paragraph(facts.cause or BLANK)
    document.add_heading("4　対応", level=2)
    revoked, confirmed, downloaded = facts.counts()
    lines = []
    if revoked:
        lines.append(f"送信先{revoked}件のダウンロードリンクを取り消しました。")
    if confirmed:
        lines.append(f"送信先{confirmed}件から削除の確認を得ました。")
    if downloaded:
        lines.append(f"送信先{downloaded}件はファイルを取得しており、削除を依頼しています。")
    lines.append("対象となる皆様には、個別にお詫びとご説明をいたします。" + BLANK)
    for line in lines:
        document.add_paragraph(line, style="List Bullet")
    document.add_heading("5　再発防止策", level=2)
    document.add_paragraph(BLANK)
    document.add_heading("6　問い合わせ先", level=2)
    document.add_paragraph(BLANK)
    document.save(str(path))
