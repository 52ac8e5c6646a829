"""Whether a report to the PPC is due: the thresholds of each kind of organisation,
special-care data of even one person, card numbers, unlawful intent, and the exemptions
(encrypted with the key kept, links revoked before any download, nothing left)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from sekisho.incident import IncidentFacts, MessageLeft, RecipientState, assess

DISCOVERED = datetime(2026, 12, 1, 10, 0)
CENTRES = [f"center{i}@care{i}.example.jp" for i in range(11)]


def _facts(
    people: int,
    entities: tuple[str, ...] = ("PERSON_NAME",),
    *,
    encrypted: bool = False,
    key_leaked: bool | None = None,
    unlawful: bool = False,
    left: bool = True,
    links: dict[str, tuple[int, bool]] | None = None,  # address → (downloads, revoked)
) -> IncidentFacts:
    addresses = list(links) if links else CENTRES
    recipients = tuple(
        RecipientState(
            address=a,
            delivered=left,
            link=links is not None,
            downloads=links[a][0] if links else 0,
            revoked_at=DISCOVERED if links and links[a][1] else None,
        )
        for a in addresses
    )
    message = MessageLeft(
        sekisho_id="m1",
        sender="clerk@city.example.lg.jp",
        left=left,
        how="linked" if links else ("encrypted" if encrypted else "relayed"),
        records=people,
        entities=dict.fromkeys(entities, people),
        encrypted=encrypted,
        recipients=recipients,
        journal="kept",
    )
    return IncidentFacts(
        incident_id=1,
        opened_at=DISCOVERED,
        opened_by="ciso",
        discovered_at=DISCOVERED,
        unlawful_intent=unlawful,
        key_leaked=key_leaked,
        cause="",
        notes="",
        closed_at=None,
        messages=(message,),
    )


CASES = [
    # (name, facts, kind, special care, required, a word of the first reason)
    ("7,203 people, a city", _facts(7203), "local_government", (), True, "7,203人"),
    ("150 people, a city", _facts(150), "local_government", (), True, "100人超"),
    ("150 people, a business", _facts(150), "business", (), False, "1,000人超"),
    ("1,200 people, a business", _facts(1200), "business", (), True, "1,000人超"),
    ("100 people exactly, a city", _facts(100), "local_government", (), False, "100人超"),
    ("12 with health data", _facts(12, ("PERSON_NAME", "HEALTH_INFO")), "business",
     ("HEALTH_INFO",), True, "要配慮"),
    ("care levels under an ordinance", _facts(12, ("CARE_LEVEL",)), "local_government",
     ("HEALTH_INFO", "CARE_LEVEL"), True, "要配慮"),
    ("care levels without it", _facts(12, ("CARE_LEVEL",)), "local_government",
     ("HEALTH_INFO",), False, "12人"),
    ("2 card numbers", _facts(2, ("CREDIT_CARD",)), "local_government", (), True, "財産的被害"),
    ("unlawful intent", _facts(3, unlawful=True), "local_government", (), True, "不正の目的"),
    ("12 encrypted, password to the sender", _facts(12, ("HEALTH_INFO",), encrypted=True),
     "local_government", ("HEALTH_INFO",), False, "暗号化"),
    ("150 encrypted, password passed on", _facts(150, encrypted=True, key_leaked=True),
     "local_government", (), True, "100人超"),
    ("links revoked before any download",
     _facts(7203, links=dict.fromkeys(CENTRES, (0, True))), "local_government", (), False,
     "取り消され"),
    ("links, one downloaded",
     _facts(7203, links={a: (int(i == 0), True) for i, a in enumerate(CENTRES)}),
     "local_government", (), True, "100人超"),
    ("held, nothing left", _facts(7203, left=False), "local_government", (), False, "ありません"),
]  # fmt: skip


@pytest.mark.parametrize(("facts", "kind", "special", "required", "word"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])  # fmt: skip
def test_when_a_report_is_due(
    facts: IncidentFacts, kind: str, special: tuple[str, ...], required: bool, word: str
) -> None:
    result = assess(facts, kind, special)
    assert result.required is required
    assert any(word in r.ja for r in result.reasons), [r.ja for r in result.reasons]
    assert all(r.en for r in result.reasons)
    if required:
        assert result.deadline_preliminary == date(2026, 12, 6)
        final = date(2027, 1, 30) if facts.unlawful_intent else date(2026, 12, 31)
        assert result.deadline_final == final
    else:
        assert result.deadline_preliminary is None and result.deadline_final is None


def test_unlawful_intent_gives_sixty_days_for_the_final_report() -> None:
    result = assess(_facts(3, unlawful=True))
    assert result.deadline_final == date(2027, 1, 30)
    assert assess(_facts(150)).deadline_final == date(2026, 12, 31)


def test_the_officer_may_override_with_a_reason() -> None:
    from dataclasses import replace

    due = _facts(150)
    overridden = replace(
        due, override_required=False, override_reason="宛先は委託先で契約上の管理下"
    )
    result = assess(overridden)
    assert result.required is False and result.deadline_final is None
    assert "担当者の判断" in result.reasons[0].ja and "委託先" in result.reasons[0].ja
    assert any("100人超" in r.ja for r in result.reasons[1:])  # Sekisho's reasons still shown
    small = replace(_facts(12), override_required=True, override_reason="遺族への配慮")
    forced = assess(small)
    assert forced.required is True and forced.deadline_preliminary == date(2026, 12, 6)
    same = replace(due, override_required=True, override_reason="同意見")
    assert assess(same) == assess(due)  # agreeing changes nothing
