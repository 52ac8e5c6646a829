"""Is a report to the Personal Information Protection Commission due, why, and by when:
a pure function of an incident's facts and the organisation's policy.

The Act on the Protection of Personal Information (as amended in 2022; local governments
under it since April 2023) and its rules require a report when leaked personal data:

- includes special-care-required information (要配慮個人情報, and for a local government
  the kinds its ordinance adds, 条例要配慮個人情報) of even one person;
- may cause financial damage if misused (a credit card number);
- was leaked with unlawful intent (不正の目的);
- concerns more than 100 people for administrative organs and local governments (rule 43),
  more than 1,000 for businesses (rule 7).

Data protected by strong encryption whose key did not leak is exempt; so is data that did
not reach anyone (every link revoked before any download). A preliminary report (速報) is
due promptly — about 3 to 5 days from discovery, taken here as 5 — and the final report
(確報) within 30 days, 60 for unlawful intent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sekisho.detect.entities import CREDIT_CARD, label
from sekisho.incident.facts import IncidentFacts, entities_of

THRESHOLDS = {"local_government": 100, "business": 1000}
PRELIMINARY_DAYS = 5
FINAL_DAYS = 30
FINAL_DAYS_UNLAWFUL = 60


@dataclass(frozen=True)
class Reason:
    ja: str
    en: str


@dataclass(frozen=True)
class Assessment:
    required: bool
    reasons: tuple[Reason, ...]  # why it is required, or why it is not
    deadline_preliminary: date | None
    deadline_final: date | None


def assess(
    facts: IncidentFacts, kind: str = "local_government", special_care: tuple[str, ...] = ()
) -> Assessment:
    """Sekisho's answer, or the officer's when one is recorded (with its reason first and
    Sekisho's reasons after it, so the report shows both)."""
    found = _assess(facts, kind, special_care)
    if facts.override_required is None or facts.override_required == found.required:
        return found
    officer = Reason(
        f"担当者の判断: {facts.override_reason or '（理由未記入）'}",
        f"The officer's decision: {facts.override_reason or '(no reason recorded)'}",
    )
    if not facts.override_required:
        return Assessment(False, (officer, *found.reasons), None, None)
    return Assessment(True, (officer, *found.reasons), *_deadlines(facts))


def _assess(facts: IncidentFacts, kind: str, special_care: tuple[str, ...]) -> Assessment:
    threshold = THRESHOLDS.get(kind, THRESHOLDS["local_government"])
    left = facts.left
    if not left:
        return _not_required(Reason("送信されたメールはありません（保留・拒否のまま）。",
                                    "Nothing left: the messages were held or refused."))  # fmt: skip
    reached = [m for m in left if not _nobody_got_it(m)]
    if not reached:
        return _not_required(
            Reason(
                "リンクはダウンロード前にすべて取り消されました。漏えいはありません。",
                "Every link was revoked before any download: nothing was leaked.",
            )
        )
    # Sekisho tells a zip's password to the sender alone: not leaked unless the officer
    # records that it was passed on.
    exposed = [m for m in reached if not (m.encrypted and facts.key_leaked is not True)]
    if not exposed:
        return _not_required(
            Reason(
                "高度な暗号化（AES-256）がされ、鍵（パスワード）は送信者にのみ通知され"
                "漏えいしていません（報告対象外）。",
                "Strongly encrypted (AES-256) and the key (password), told to the sender "
                "only, did not leak: exempt.",
            )
        )
    people = sum(m.records for m in exposed)
    entities = entities_of(exposed)
    reasons = []
    special = [e for e in special_care if entities.get(e)]
    if special:
        names = "、".join(label(e) for e in special)
        reasons.append(
            Reason(
                f"要配慮個人情報（{names}）が含まれます（1人でも報告対象）。",
                f"Special-care-required information ({', '.join(special)}) is included "
                "(reportable for even one person).",
            )
        )
    if entities.get(CREDIT_CARD):
        reasons.append(
            Reason(
                "不正に利用されると財産的被害が生じるおそれのある情報（クレジットカード番号）が含まれます。",
                "Data whose misuse may cause financial damage (credit card numbers) is included.",
            )
        )
    if facts.unlawful_intent:
        reasons.append(
            Reason(
                "不正の目的による漏えいのおそれがあります。",
                "Possibly leaked with unlawful intent.",
            )
        )
    if people > threshold:
        organisation = "地方公共団体等" if kind == "local_government" else "事業者"
        reasons.append(
            Reason(
                f"本人の数が{people:,}人で、{organisation}の基準（{threshold:,}人超）を超えます。",
                f"{people:,} people: more than the {threshold:,} of the rule for "
                f"{'local governments' if kind == 'local_government' else 'businesses'}.",
            )
        )
    if not reasons:
        return _not_required(
            Reason(
                f"本人の数は{people:,}人（基準 {threshold:,}人超）で、要配慮個人情報・財産的被害の"
                "おそれのある情報・不正の目的のいずれにも当たりません。",
                f"{people:,} people (the rule: more than {threshold:,}), and no special-care data, "
                "no data open to financial misuse, no unlawful intent.",
            ),
        )
    return Assessment(True, tuple(reasons), *_deadlines(facts))


def _deadlines(facts: IncidentFacts) -> tuple[date, date]:
    """速報 and 確報, counted from the day of discovery."""
    discovered = facts.discovered_at.date()
    final_days = FINAL_DAYS_UNLAWFUL if facts.unlawful_intent else FINAL_DAYS
    return discovered + timedelta(days=PRELIMINARY_DAYS), discovered + timedelta(days=final_days)


def _nobody_got_it(message) -> bool:  # type: ignore[no-untyped-def]
    """Sent only as links, each revoked, none downloaded."""
    return bool(message.recipients) and all(
        r.link and r.downloads == 0 and r.revoked_at is not None for r in message.recipients
    )


def _not_required(*reasons: Reason) -> Assessment:
    return Assessment(False, reasons, None, None)
