"""Report + message facts → verdict with reasons. Knows nothing of how actions are carried
out. Public surface: ``Policy``, ``load_policy``, ``default_policy``, ``parse_policy``,
``lint``, ``evaluate``, ``trace``, ``Verdict``, ``MessageFacts``, ``Attachment``."""

from sekisho.policy.engine import Reason, Verdict, evaluate, trace
from sekisho.policy.facts import Attachment, MessageFacts, facts_from_report
from sekisho.policy.loader import (
    LintError,
    PolicyError,
    default_policy,
    lint,
    load_policy,
    parse_policy,
)
from sekisho.policy.model import Partner, Policy, Rule

__all__ = [
    "Attachment",
    "LintError",
    "MessageFacts",
    "Partner",
    "Policy",
    "PolicyError",
    "Reason",
    "Rule",
    "Verdict",
    "default_policy",
    "evaluate",
    "facts_from_report",
    "lint",
    "load_policy",
    "parse_policy",
    "trace",
]
