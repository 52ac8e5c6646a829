"""Rules decide, the verdict says what to do (GNU Mailman's split): rules are evaluated in
order; modifiers (``bcc``, ``tag``) accumulate and evaluation goes on; the first terminal
action (deliver, delay, hold, encrypt, reject) ends it. Every match leaves a reason a
person can read, in Japanese with English."""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field

from sekisho.detect.entities import label
from sekisho.policy.facts import MessageFacts
from sekisho.policy.model import MODIFIER_ACTIONS, Policy, Rule


@dataclass(frozen=True, slots=True)
class Reason:
    rule: str
    ja: str
    en: str


@dataclass(frozen=True, slots=True)
class Verdict:
    action: str  # deliver | delay | hold | encrypt | reject
    rule: str
    reasons: tuple[Reason, ...] = ()
    modifiers: tuple[str, ...] = ()  # bcc, tag
    minutes: int = 0
    role: str | None = None
    then: str | None = None

    @property
    def header(self) -> str:
        """The value of X-Sekisho-Verdict: action, modifiers and the rules that matched."""
        parts = [self.action, *self.modifiers]
        rules = ",".join(r.rule for r in self.reasons) or self.rule
        return f"{'+'.join(parts)}; rules={rules}"


@dataclass(slots=True)
class _Context:
    policy: Policy
    facts: MessageFacts
    classes: dict[str, str] = field(default_factory=dict)


def evaluate(policy: Policy, facts: MessageFacts) -> Verdict:
    ctx = _Context(policy, facts, {r: policy.recipient_class(r) for r in facts.recipients})
    reasons: list[Reason] = []
    modifiers: list[str] = []
    for rule in policy.rules:
        if not _matches(rule, ctx):
            continue
        reasons.append(
            Reason(
                rule.name, _fill(rule.reason_ja, facts, "ja"), _fill(rule.reason_en, facts, "en")
            )
        )
        if rule.action in MODIFIER_ACTIONS:
            if rule.action not in modifiers:
                modifiers.append(rule.action)
            continue
        return Verdict(
            action=rule.action,
            rule=rule.name,
            reasons=tuple(reasons),
            modifiers=tuple(modifiers),
            minutes=rule.minutes,
            role=rule.role,
            then=rule.then,
        )
    return Verdict(
        action="deliver", rule="(no rule)", reasons=tuple(reasons), modifiers=tuple(modifiers)
    )


def _fill(template: str, facts: MessageFacts, language: str) -> str:
    """A rule's reason with its numbers, entity types named as the reader reads them."""
    entities = ", ".join(f"{label(k, language)} {v}" for k, v in sorted(facts.entities.items()))
    try:
        return template.format(records=facts.records, entities=entities or "-", size=facts.size)
    except (KeyError, IndexError, ValueError):
        return template


def _matches(rule: Rule, ctx: _Context) -> bool:
    when, facts, policy = rule.when, ctx.facts, ctx.policy
    classes = set(ctx.classes.values())
    if when.senders and not any(
        fnmatch.fnmatch(facts.sender.lower(), s.lower()) for s in when.senders
    ):
        return False
    if when.sender_group is not None and not policy.sender_in_group(
        facts.sender, when.sender_group
    ):
        return False
    if when.recipients is not None and not _recipients_match(when.recipients, classes):
        return False
    if when.external_recipients_min is not None:
        outside = [r for r in facts.visible if policy.recipient_class(r) != "internal"]
        if len(outside) < when.external_recipients_min:
            return False
    if when.entities and when.entities.isdisjoint(facts.entities):
        return False
    if when.entity_count_min is not None:
        counted = [n for e, n in facts.entities.items() if not when.entities or e in when.entities]
        if sum(counted) < when.entity_count_min:
            return False
    if when.records_min is not None and facts.records < when.records_min:
        return False
    if when.sensitive is not None and facts.sensitive != when.sensitive:
        return False
    if when.unscannable is not None and facts.unscannable != when.unscannable:
        return False
    if when.attachment_kinds and not any(
        a.kind in when.attachment_kinds for a in facts.attachments
    ):
        return False
    if when.suspicious_names is not None and facts.suspicious_names != when.suspicious_names:
        return False
    if when.images is not None and facts.images != when.images:
        return False
    if when.has_attachments is not None and bool(facts.attachments) != when.has_attachments:
        return False
    if when.size_min_bytes is not None and facts.size < when.size_min_bytes:
        return False
    return not (
        when.beyond_partner_allowance is not None
        and _beyond_allowance(ctx) != when.beyond_partner_allowance
    )


def _recipients_match(wanted: str, classes: set[str]) -> bool:
    if wanted == "any":
        return bool(classes)
    if wanted == "outside":
        return bool(classes & {"partner", "external"})
    return wanted in classes


def _beyond_allowance(ctx: _Context) -> bool:
    """Personal data of at least one person goes to someone not allowed to receive it: an
    external recipient, or a partner beyond the entity types and record count it may
    receive (委託契約の範囲)."""
    facts, policy = ctx.facts, ctx.policy
    if facts.records < 1:
        return False
    for recipient, cls in ctx.classes.items():
        if cls == "external":
            return True
        if cls == "partner":
            partner = policy.partner_for(recipient)
            assert partner is not None
            personal = {e for e in facts.entities if e != "JP_CORPORATE_NUMBER"}
            if not personal <= partner.may_receive or facts.records > partner.max_records:
                return True
    return False
