"""The policy as data: who is inside, which partners may receive what, who approves, and
the ordered rules. Loaded from YAML by ``loader``; evaluated by ``engine``."""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping
from dataclasses import dataclass, field

from sekisho.addresses import DEFAULT_DELIMITERS, canonical, domain
from sekisho.detect.entities import HEALTH_INFO, SENSITIVE

ORGANISATION_KINDS = ("local_government", "business")

TERMINAL_ACTIONS = frozenset({"deliver", "delay", "hold", "encrypt", "link", "reject"})
# What a hold becomes once approved.
THEN_ACTIONS = frozenset({"deliver", "encrypt", "link"})
MODIFIER_ACTIONS = frozenset({"bcc", "tag"})
ACTIONS = TERMINAL_ACTIONS | MODIFIER_ACTIONS
RECIPIENT_CLASSES = frozenset({"internal", "partner", "external", "outside", "any"})


def domain_of(address: str, delimiters: str = DEFAULT_DELIMITERS) -> str:
    """The domain mail really goes to: ``someone%outside.example@city`` is relayed by
    the city's MTA to outside.example, so it is not internal mail."""
    return domain(address, delimiters)


def matches_domain(domain: str, patterns: tuple[str, ...]) -> bool:
    """``city.example.lg.jp`` matches itself and its subdomains; ``*.x`` globs too."""
    return any(
        domain == p or domain.endswith("." + p) or fnmatch.fnmatch(domain, p) for p in patterns
    )


@dataclass(frozen=True, slots=True)
class Partner:
    """An organisation the city hands work to (委託先) and what it may receive."""

    name: str
    domains: tuple[str, ...]
    may_receive: frozenset[str] = frozenset()
    max_records: int = 0
    link_code: bool = True  # links to this partner ask for a code mailed to the recipient


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    when: Mapping[str, object]  # condition key (``policy.conditions.CONDITIONS``) -> value
    action: str
    minutes: int = 0
    role: str | None = None
    then: str | None = None
    # The held notice offers minimising first (counts or columns instead of the roster).
    suggest_minimise: bool = False
    reason_ja: str = ""
    reason_en: str = ""
    line: int = 0


@dataclass(frozen=True, slots=True)
class Policy:
    name: str = "default"
    internal_domains: tuple[str, ...] = ()
    partners: tuple[Partner, ...] = ()
    sender_groups: dict[str, tuple[str, ...]] = field(default_factory=dict)
    approvers: dict[str, tuple[str, ...]] = field(default_factory=dict)
    rules: tuple[Rule, ...] = ()
    hold_expiry_hours: int = 72
    # Two-person approval: a hold of at least this many people, or (if set) with sensitive
    # data, needs two different approvers.
    two_person_records_min: int | None = None
    two_person_sensitive: bool = False
    # Postfix's recipient_delimiter: ``clerk+x@`` is clerk's mailbox ("" for none).
    recipient_delimiter: str = DEFAULT_DELIMITERS
    # Days the quarantined original of a finished message (delivered, expired,
    # cancelled, rejected and told) is kept before it is removed.
    quarantine_retention_days: int = 7
    # Links (action ``link``): days a link works, downloads per recipient.
    link_days: int = 7
    link_max_downloads: int = 3
    # Deletion requests (``sekisho message ask-delete``): one reminder after this.
    deletion_reminder_hours: int = 4
    # Days the encrypted copy of a message that left with personal data is kept (the
    # journal: who was affected, if it was a mistake).
    journal_days: int = 30
    # What the leak-report duty counts by (APPI; rule 43 for local governments, rule 7 for
    # businesses) and which entity types are special-care-required (要配慮個人情報, plus
    # the kinds a local ordinance adds).
    organisation_kind: str = "local_government"
    special_care_entities: tuple[str, ...] = (HEALTH_INFO,)
    # Minimised counts below this are shown as "<3" (statistical disclosure control).
    min_cell: int = 3
    # Roles that must give a second factor (TOTP) to use the web UI.
    second_factor: tuple[str, ...] = ()
    # Directory sign-in (with ``--ldap-url``): user_dn, groups_base, roles, departments.
    directory: dict[str, object] = field(default_factory=dict)
    # Splitting a roster per recipient: a cell value (担当センター) → the addresses it is
    # for, when the recipients' display names do not name it.
    minimise_recipients: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def sends_links(self) -> bool:
        """Some rule sends attachments as links (at once or after approval): the gateway
        then needs a public listener's URL."""
        return any("link" in (rule.action, rule.then) for rule in self.rules)

    def link_code_required(self, address: str) -> bool:
        partner = self.partner_for(address)
        return partner.link_code if partner is not None else True

    def approvals_required(self, records: int, entities: dict[str, int]) -> int:
        sensitive = not SENSITIVE.isdisjoint(entities)
        if self.two_person_records_min is not None and records >= self.two_person_records_min:
            return 2
        return 2 if self.two_person_sensitive and sensitive else 1

    def recipient_class(self, address: str) -> str:
        domain = domain_of(address, self.recipient_delimiter)
        if matches_domain(domain, self.internal_domains):
            return "internal"
        if self.partner_for(address) is not None:
            return "partner"
        return "external"

    def partner_for(self, address: str) -> Partner | None:
        domain = domain_of(address, self.recipient_delimiter)
        return next((p for p in self.partners if matches_domain(domain, p.domains)), None)

    def sender_in_group(self, sender: str, group: str) -> bool:
        sender = canonical(sender, self.recipient_delimiter)
        patterns = self.sender_groups.get(group, ())
        return any(fnmatch.fnmatch(sender, p.lower()) for p in patterns)
