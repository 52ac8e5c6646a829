"""Every condition a rule may name, in one table: its YAML key, how its value is read, how
it is tested against a message, and the line that documents it.

Adding a condition is adding one entry here (and its line in docs/policy.md, which a test
checks). The loader reads values by ``kind``; the engine tests them with ``test``; ``policy
check`` prints ``doc`` for the condition that failed.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sekisho.policy.facts import MessageFacts
    from sekisho.policy.model import Policy


@dataclass(slots=True)
class Situation:
    """What a condition is tested against: the policy, the message's facts and the class
    of each envelope recipient (internal, partner, external), worked out once."""

    policy: Policy
    facts: MessageFacts
    classes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Condition:
    key: str  # the YAML key under ``when``
    kind: str  # how the loader reads the value: int, bool, entities, kinds, strings, class, group
    test: Callable[[object, Mapping[str, object], Situation], bool]  # (value, all of when, …)
    doc: str  # what it matches, in one line (docs/policy.md says more)


def _senders(patterns: object, _when: Mapping[str, object], s: Situation) -> bool:
    sender = s.facts.sender.lower()
    return any(fnmatch.fnmatch(sender, p.lower()) for p in patterns)  # type: ignore[attr-defined]


def _sender_group(group: object, _when: Mapping[str, object], s: Situation) -> bool:
    return s.policy.sender_in_group(s.facts.sender, str(group))


def _recipients(wanted: object, _when: Mapping[str, object], s: Situation) -> bool:
    classes = set(s.classes.values())
    if wanted == "any":
        return bool(classes)
    if wanted == "outside":
        return bool(classes & {"partner", "external"})
    return wanted in classes


def _external_min(least: object, _when: Mapping[str, object], s: Situation) -> bool:
    outside = [r for r in s.facts.visible if s.policy.recipient_class(r) != "internal"]
    return len(outside) >= least  # type: ignore[operator]


def _entities(wanted: object, _when: Mapping[str, object], s: Situation) -> bool:
    return not wanted.isdisjoint(s.facts.entities)  # type: ignore[attr-defined]


def _entity_count_min(least: object, when: Mapping[str, object], s: Situation) -> bool:
    only = when.get("entities") or ()
    counted = [n for e, n in s.facts.entities.items() if not only or e in only]  # type: ignore[operator]
    return sum(counted) >= least  # type: ignore[operator]


def _attachment_kinds(kinds: object, _when: Mapping[str, object], s: Situation) -> bool:
    return any(a.kind in kinds for a in s.facts.attachments)  # type: ignore[operator]


def _fact(name: str) -> Callable[[object, Mapping[str, object], Situation], bool]:
    """A yes/no fact of the message compared with the rule's true or false."""

    def test(wanted: object, _when: Mapping[str, object], s: Situation) -> bool:
        return bool(getattr(s.facts, name)) == wanted

    return test


def _at_least(name: str) -> Callable[[object, Mapping[str, object], Situation], bool]:
    def test(least: object, _when: Mapping[str, object], s: Situation) -> bool:
        return getattr(s.facts, name) >= least

    return test


def _beyond_allowance(wanted: object, _when: Mapping[str, object], s: Situation) -> bool:
    return beyond_partner_allowance(s) == wanted


def beyond_partner_allowance(s: Situation) -> bool:
    """Personal data of at least one person goes to someone not allowed to receive it: an
    external recipient, or a partner beyond the entity types and record count it may
    receive (委託契約の範囲)."""
    facts, policy = s.facts, s.policy
    if facts.records < 1:
        return False
    for recipient, cls in s.classes.items():
        if cls == "external":
            return True
        if cls == "partner":
            partner = policy.partner_for(recipient)
            assert partner is not None
            personal = {e for e in facts.entities if e != "JP_CORPORATE_NUMBER"}
            if not personal <= partner.may_receive or facts.records > partner.max_records:
                return True
    return False


CONDITIONS: dict[str, Condition] = {
    c.key: c
    for c in (
        Condition("sender", "strings", _senders, "the envelope sender matches one of the globs"),
        Condition("sender_group", "group", _sender_group, "the sender is in the named group"),
        Condition(
            "recipients",
            "class",
            _recipients,
            "a recipient of this class (internal, partner, external, outside, any)",
        ),
        Condition(
            "external_recipients_min",
            "int",
            _external_min,
            "at least this many visible recipients (To, Cc) outside the organisation",
        ),
        Condition("entities", "entities", _entities, "any of these entity types was found"),
        Condition(
            "entity_count_min",
            "int",
            _entity_count_min,
            "at least this many findings (of `entities`, when given)",
        ),
        Condition(
            "records_min", "int", _at_least("records"), "at least this many people described"
        ),
        Condition(
            "sensitive", "bool", _fact("sensitive"), "special-care or identifying data found"
        ),
        Condition("unscannable", "bool", _fact("unscannable"), "some part could not be read"),
        Condition(
            "attachment_kinds",
            "kinds",
            _attachment_kinds,
            "an attachment of one of these kinds (by content)",
        ),
        Condition(
            "suspicious_names",
            "bool",
            _fact("suspicious_names"),
            "a file name hides its type or its path",
        ),
        Condition("has_attachments", "bool", _fact("attachments"), "the message has attachments"),
        Condition("images", "bool", _fact("images"), "pictures were met (noted, not read)"),
        Condition("size_min_bytes", "int", _at_least("size"), "the message is at least this large"),
        Condition(
            "beyond_partner_allowance",
            "bool",
            _beyond_allowance,
            "personal data goes to someone not allowed to receive it",
        ),
    )
}


def failed_condition(when: Mapping[str, object], situation: Situation) -> str | None:
    """The key of the first condition of ``when`` that does not hold, or None when all do."""
    for key, value in when.items():
        if not CONDITIONS[key].test(value, when, situation):
            return key
    return None
