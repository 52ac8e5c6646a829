"""A table of policy cases: the city's example policy and the embedded default."""

from pathlib import Path

import pytest

from sekisho.policy import Attachment, MessageFacts, default_policy, evaluate, load_policy

EXAMPLE = load_policy(Path(__file__).resolve().parents[2] / "examples" / "policy.yaml")
DEFAULT = default_policy()

CLERK = "clerk@kourei.city.example.lg.jp"
COLLEAGUE = "colleague@city.example.lg.jp"
CENTRES = [f"center{i}@care.example.jp" for i in range(11)]
SURVEY = "chosa@chosa.example.co.jp"
OUTSIDER = "someone@example.com"
XLSX = Attachment("認定者一覧.xlsx", "xlsx", 900_000)
INCIDENT = {
    "JP_CARE_INSURANCE_NUMBER": 7203,
    "PERSON_NAME": 7203,
    "DATE_OF_BIRTH": 7203,
    "GENDER": 7203,
    "ADDRESS": 7203,
    "CARE_LEVEL": 7203,
}


def facts(
    recipients: list[str],
    *,
    visible: list[str] | None = None,
    entities: dict | None = None,
    records: int = 0,
    attachments: tuple = (),
    unscannable: bool = False,
    suspicious: bool = False,
) -> MessageFacts:
    return MessageFacts(
        sender=CLERK,
        recipients=tuple(recipients),
        visible=tuple(visible if visible is not None else recipients),
        entities=entities or {},
        records=records,
        attachments=attachments,
        unscannable=unscannable,
        suspicious_names=suspicious,
    )


CASES = [
    # (policy, facts, action, rule, modifiers)
    (
        "the incident: 7,203 residents to 11 care centres",
        EXAMPLE,
        facts(CENTRES, entities=INCIDENT, records=7203, attachments=(XLSX,)),
        "hold",
        "sensitive-outside",
        ("bcc",),
    ),
    (
        "the same survey answered with totals",
        EXAMPLE,
        facts(CENTRES, attachments=(Attachment("集計.xlsx", "xlsx", 9000),)),
        "delay",
        "external-with-attachments",
        ("bcc",),
    ),
    (
        "My Number to a partner",
        EXAMPLE,
        facts([SURVEY], entities={"JP_MY_NUMBER": 1, "PERSON_NAME": 1}, records=1),
        "reject",
        "my-number-outside",
        (),
    ),
    (
        "My Number inside",
        EXAMPLE,
        facts([COLLEAGUE], entities={"JP_MY_NUMBER": 1}, records=1),
        "deliver",
        "(no rule)",
        ("tag",),
    ),
    (
        "an encrypted zip to a centre",
        EXAMPLE,
        facts([CENTRES[0]], attachments=(Attachment("a.zip", "zip", 100),), unscannable=True),
        "hold",
        "unscannable-outside",
        (),
    ),
    (
        "a program renamed .xlsx",
        EXAMPLE,
        facts([COLLEAGUE], attachments=(Attachment("a.xlsx", "executable", 100),)),
        "reject",
        "programs",
        (),
    ),
    (
        "名簿.xlsx.exe",
        EXAMPLE,
        facts([COLLEAGUE], suspicious=True),
        "reject",
        "deceptive-names",
        (),
    ),
    (
        "survey contractor within its contract",
        EXAMPLE,
        facts(
            [SURVEY],
            entities={"PERSON_NAME": 3, "JP_CARE_INSURANCE_NUMBER": 3},
            records=3,
            attachments=(XLSX,),
        ),
        "encrypt",
        "partner-within-contract",
        (),
    ),
    (
        "survey contractor beyond its record limit",
        EXAMPLE,
        facts([SURVEY], entities={"PERSON_NAME": 60}, records=60),
        "hold",
        "personal-data-outside",
        (),
    ),
    (
        "survey contractor beyond its entity types",
        EXAMPLE,
        facts([SURVEY], entities={"PERSON_NAME": 2, "BANK_ACCOUNT": 2}, records=2),
        "hold",
        "personal-data-outside",
        (),
    ),
    (
        "one person's data to an outsider",
        EXAMPLE,
        facts([OUTSIDER], entities={"PHONE_NUMBER": 1}, records=1),
        "hold",
        "personal-data-outside",
        (),
    ),
    (
        "two outsiders in Bcc already",
        EXAMPLE,
        facts([OUTSIDER, "b@example.org"], visible=[]),
        "deliver",
        "(no rule)",
        (),
    ),
    ("plain external mail", EXAMPLE, facts([OUTSIDER]), "deliver", "(no rule)", ()),
    (
        "default: My Number outside",
        DEFAULT,
        facts([OUTSIDER], entities={"JP_MY_NUMBER": 1}, records=1),
        "reject",
        "my-number-outside",
        (),
    ),
    (
        "default: unscannable outside",
        DEFAULT,
        facts([OUTSIDER], unscannable=True),
        "hold",
        "unscannable-outside",
        (),
    ),
    (
        "default: personal data outside",
        DEFAULT,
        facts([OUTSIDER], entities={"PERSON_NAME": 5}, records=5),
        "hold",
        "personal-data-outside",
        (),
    ),
    (
        "default: two external recipients, attachment",
        DEFAULT,
        facts([OUTSIDER, "x@example.org"], attachments=(XLSX,)),
        "delay",
        "external-with-attachments",
        ("bcc",),
    ),
    ("default: internal", DEFAULT, facts([COLLEAGUE]), "deliver", "internal", ()),
]


@pytest.mark.parametrize(
    ("title", "policy", "message", "action", "rule", "modifiers"), CASES, ids=[c[0] for c in CASES]
)
def test_policy_case(title: str, policy, message, action: str, rule: str, modifiers: tuple) -> None:  # type: ignore[no-untyped-def]
    verdict = evaluate(policy, message)
    assert (verdict.action, verdict.rule, verdict.modifiers) == (action, rule, modifiers)


def test_reasons_are_readable_in_both_languages() -> None:
    verdict = evaluate(
        EXAMPLE, facts(CENTRES, entities=INCIDENT, records=7203, attachments=(XLSX,))
    )
    (bcc, hold) = verdict.reasons
    assert "Bcc" in bcc.ja and "Bcc" in bcc.en
    assert "要配慮個人情報" in hold.ja and "Sensitive data" in hold.en
    assert verdict.role == "統括情報セキュリティ責任者"
    assert verdict.then == "encrypt"
    assert verdict.header == "hold+bcc; rules=many-external-recipients,sensitive-outside"


def test_reason_templates_are_filled() -> None:
    verdict = evaluate(
        DEFAULT, facts([OUTSIDER], entities={"PERSON_NAME": 5, "PHONE_NUMBER": 5}, records=5)
    )
    assert verdict.reasons[0].ja.startswith("5人分の個人情報（氏名 5, 電話番号 5）")


def test_address_spellings_and_retention_keys() -> None:
    from sekisho.policy import parse_policy

    text = """
organisation:
  internal_domains: [city.example.lg.jp]
sender_groups:
  kourei: ["*@kourei.city.example.lg.jp"]
recipient_delimiter: "-"
quarantine_retention_days: 30
rules:
  - name: all
    action: deliver
"""
    policy = parse_policy(text)
    assert (policy.recipient_delimiter, policy.quarantine_retention_days) == ("-", 30)
    # %-routing through the city's own domain is mail to the outside
    assert policy.recipient_class("someone%outside.example@city.example.lg.jp") == "external"
    assert policy.recipient_class("Someone@City.Example.LG.JP") == "internal"
    assert policy.sender_in_group("Clerk-mobile@Kourei.City.Example.lg.jp", "kourei")
    defaults = parse_policy(text.replace('recipient_delimiter: "-"\n', ""))
    assert defaults.recipient_delimiter == "+"


def test_suggest_minimise_and_min_cell() -> None:
    from sekisho.policy import PolicyError, parse_policy

    text = """
min_cell: 5
rules:
  - name: roster
    when: {records_min: 101}
    action: hold
    suggest_minimise: true
"""
    policy = parse_policy(text + "minimise_recipients: {北部センター: [a@care1.example.jp]}\n")
    assert policy.min_cell == 5 and policy.rules[0].suggest_minimise is True
    assert policy.minimise_recipients == {"北部センター": ("a@care1.example.jp",)}
    assert parse_policy(text.replace("min_cell: 5\n", "")).min_cell == 3
    with pytest.raises(PolicyError, match="suggest_minimise needs hold"):
        parse_policy(text.replace("action: hold", "action: reject"))


def test_the_default_policy_suggests_minimising_large_rosters_to_partners() -> None:
    from sekisho.policy import default_policy, evaluate

    policy = default_policy()
    names = {"PERSON_NAME": 150, "PHONE_NUMBER": 150}
    large = evaluate(policy, facts(["a@care1.example.jp"], entities=names, records=150))
    small = evaluate(policy, facts(["a@care1.example.jp"], entities=names, records=20))
    assert large.action == "hold" and large.suggest_minimise
    assert small.action == "hold" and not small.suggest_minimise
