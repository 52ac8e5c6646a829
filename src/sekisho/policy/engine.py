"""Rules decide, the verdict says what to do (GNU Mailman's split): rules are evaluated in
order; modifiers (``bcc``, ``tag``) accumulate and evaluation goes on; the first terminal
action (deliver, delay, hold, encrypt, reject) ends it. Every match leaves a reason a
person can read, in Japanese with English."""

from __future__ import annotations

from dataclasses import dataclass

from sekisho.detect.entities import label
from sekisho.policy.conditions import Situation, failed_condition
from sekisho.policy.facts import MessageFacts
from sekisho.policy.model import MODIFIER_ACTIONS, Policy


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
    suggest_minimise: bool = False

    @property
    def header(self) -> str:
        """The value of X-Sekisho-Verdict: action, modifiers and the rules that matched."""
        parts = [self.action, *self.modifiers]
        rules = ",".join(r.rule for r in self.reasons) or self.rule
        return f"{'+'.join(parts)}; rules={rules}"


def evaluate(policy: Policy, facts: MessageFacts) -> Verdict:
    ctx = _situation(policy, facts)
    reasons: list[Reason] = []
    modifiers: list[str] = []
    for rule in policy.rules:
        if failed_condition(rule.when, ctx) is not None:
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
            suggest_minimise=rule.suggest_minimise,
        )
    return Verdict(
        action="deliver", rule="(no rule)", reasons=tuple(reasons), modifiers=tuple(modifiers)
    )


def trace(policy: Policy, facts: MessageFacts) -> list[tuple[str, str | None]]:
    """Each rule in order with the first of its conditions that fails (None: it matches),
    up to the rule that decides: what ``policy check`` shows to explain a verdict."""
    ctx = _situation(policy, facts)
    steps: list[tuple[str, str | None]] = []
    for rule in policy.rules:
        failed = failed_condition(rule.when, ctx)
        steps.append((rule.name, failed))
        if failed is None and rule.action not in MODIFIER_ACTIONS:
            break
    return steps


def _situation(policy: Policy, facts: MessageFacts) -> Situation:
    """The facts with each envelope recipient's class, worked out once per message."""
    return Situation(policy, facts, {r: policy.recipient_class(r) for r in facts.recipients})


def _fill(template: str, facts: MessageFacts, language: str) -> str:
    """A rule's reason with its numbers, entity types named as the reader reads them."""
    entities = ", ".join(f"{label(k, language)} {v}" for k, v in sorted(facts.entities.items()))
    try:
        return template.format(records=facts.records, entities=entities or "-", size=facts.size)
    except (KeyError, IndexError, ValueError):
        return template
