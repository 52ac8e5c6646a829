"""Policy files: YAML in, a ``Policy`` out, or a list of errors with line numbers.

The YAML is composed into nodes first (not loaded into plain dicts) so that every error
can point at the line a person has to fix.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

from sekisho.detect.entities import ALL_ENTITIES, HEALTH_INFO
from sekisho.errors import SekishoError
from sekisho.policy.conditions import CONDITIONS
from sekisho.policy.model import (
    ACTIONS,
    ORGANISATION_KINDS,
    RECIPIENT_CLASSES,
    THEN_ACTIONS,
    Partner,
    Policy,
    Rule,
)


@dataclass(frozen=True, slots=True)
class LintError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class PolicyError(SekishoError):
    """A policy file that cannot be used; ``errors`` say where and why."""

    def __init__(self, errors: list[LintError]) -> None:
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


_KINDS = {
    "image",
    "executable",
    "zip",
    "7z",
    "rar",
    "xlsx",
    "docx",
    "pptx",
    "pdf",
    "csv",
    "text",
    "ole",
    "eml",
    "odf",
    "ods",
    "gzip",
}


class _Reader:
    def __init__(self) -> None:
        self.errors: list[LintError] = []

    def error(self, node: yaml.Node, message: str) -> None:
        self.errors.append(LintError(node.start_mark.line + 1, message))

    def mapping(self, node: yaml.Node, what: str) -> dict[str, yaml.Node]:
        if not isinstance(node, yaml.MappingNode):
            self.error(node, f"{what} must be a mapping")
            return {}
        out = {}
        for key, value in node.value:
            out[str(key.value)] = value
        return out

    def strings(self, node: yaml.Node, what: str) -> tuple[str, ...]:
        if isinstance(node, yaml.ScalarNode):
            return (str(node.value),)
        if not isinstance(node, yaml.SequenceNode):
            self.error(node, f"{what} must be a list")
            return ()
        return tuple(str(item.value) for item in node.value if isinstance(item, yaml.ScalarNode))

    def scalar(self, node: yaml.Node, what: str) -> str:
        if not isinstance(node, yaml.ScalarNode):
            self.error(node, f"{what} must be a single value")
            return ""
        return str(node.value)

    def integer(self, node: yaml.Node, what: str) -> int | None:
        text = self.scalar(node, what)
        try:
            return int(text)
        except ValueError:
            self.error(node, f"{what} must be a whole number, not {text!r}")
            return None

    def boolean(self, node: yaml.Node, what: str) -> bool | None:
        text = self.scalar(node, what).lower()
        if text in ("true", "yes", "on"):
            return True
        if text in ("false", "no", "off"):
            return False
        self.error(node, f"{what} must be true or false, not {text!r}")
        return None

    def entities(self, node: yaml.Node, what: str) -> frozenset[str]:
        values = self.strings(node, what)
        for value in values:
            if value not in ALL_ENTITIES:
                self.error(node, f"{what}: unknown entity type {value!r}")
        return frozenset(v for v in values if v in ALL_ENTITIES)


def parse_policy(text: str) -> Policy:
    """The policy in ``text``; raises ``PolicyError`` listing every problem with its line."""
    reader = _Reader()
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise PolicyError(
            [LintError(mark.line + 1 if mark else 1, f"not valid YAML: {exc}")]
        ) from exc
    if root is None:
        raise PolicyError([LintError(1, "the policy is empty")])
    top = reader.mapping(root, "the policy")
    known = {
        "name",
        "organisation",
        "partners",
        "sender_groups",
        "approvers",
        "rules",
        "hold_expiry_hours",
        "two_person_approval",
        "recipient_delimiter",
        "quarantine_retention_days",
        "link_days",
        "link_max_downloads",
        "deletion_reminder_hours",
        "journal_days",
        "min_cell",
        "minimise_recipients",
        "second_factor",
        "directory",
    }
    for key in top:
        if key not in known:
            reader.error(root, f"unknown section {key!r} (known: {', '.join(sorted(known))})")
    organisation = (
        reader.mapping(top["organisation"], "organisation") if "organisation" in top else {}
    )
    internal = (
        reader.strings(organisation["internal_domains"], "internal_domains")
        if "internal_domains" in organisation
        else ()
    )
    for key, value in organisation.items():
        if key not in ("internal_domains", "kind", "special_care_entities"):
            reader.error(value, f"organisation: unknown key {key!r}")
    kind = (
        reader.scalar(organisation["kind"], "kind")
        if "kind" in organisation
        else "local_government"
    )
    if kind not in ORGANISATION_KINDS:
        reader.error(
            organisation["kind"],
            f"organisation.kind must be one of {', '.join(ORGANISATION_KINDS)}",
        )
    special_care = (
        reader.strings(organisation["special_care_entities"], "special_care_entities")
        if "special_care_entities" in organisation
        else (HEALTH_INFO,)
    )
    for entity in special_care:
        if entity not in ALL_ENTITIES:
            reader.error(
                organisation["special_care_entities"], f"special_care_entities: unknown {entity!r}"
            )
    partners = []
    if "partners" in top:
        items = top["partners"]
        if not isinstance(items, yaml.SequenceNode):
            reader.error(items, "partners must be a list")
        else:
            for item in items.value:
                fields = reader.mapping(item, "a partner")
                if "domains" not in fields:
                    reader.error(item, "a partner needs domains")
                    continue
                partners.append(
                    Partner(
                        name=reader.scalar(fields["name"], "name") if "name" in fields else "",
                        domains=tuple(
                            d.lower() for d in reader.strings(fields["domains"], "domains")
                        ),
                        may_receive=reader.entities(fields["may_receive"], "may_receive")
                        if "may_receive" in fields
                        else frozenset(),
                        max_records=(reader.integer(fields["max_records"], "max_records") or 0)
                        if "max_records" in fields
                        else 0,
                        link_code=reader.boolean(fields["link_code"], "link_code") is not False
                        if "link_code" in fields
                        else True,
                    )
                )
    groups = (
        {
            k: reader.strings(v, f"sender group {k}")
            for k, v in reader.mapping(top["sender_groups"], "sender_groups").items()
        }
        if "sender_groups" in top
        else {}
    )
    approvers = (
        {
            k: reader.strings(v, f"approver role {k}")
            for k, v in reader.mapping(top["approvers"], "approvers").items()
        }
        if "approvers" in top
        else {}
    )
    rules = []
    if "rules" not in top:
        reader.error(root, "the policy has no rules")
    elif not isinstance(top["rules"], yaml.SequenceNode):
        reader.error(top["rules"], "rules must be a list")
    else:
        names: set[str] = set()
        for item in top["rules"].value:
            rule = _rule(reader, item, groups, approvers)
            if rule is not None:
                if rule.name in names:
                    reader.error(item, f"rule name {rule.name!r} is used twice")
                names.add(rule.name)
                rules.append(rule)
    expiry = (
        (reader.integer(top["hold_expiry_hours"], "hold_expiry_hours") or 72)
        if "hold_expiry_hours" in top
        else 72
    )
    two = (
        reader.mapping(top["two_person_approval"], "two_person_approval")
        if "two_person_approval" in top
        else {}
    )
    for key, value in two.items():
        if key not in ("records_min", "sensitive"):
            reader.error(value, f"two_person_approval: unknown key {key!r}")
    two_records = (
        reader.integer(two["records_min"], "records_min") if "records_min" in two else None
    )
    two_sensitive = (
        bool(reader.boolean(two["sensitive"], "sensitive")) if "sensitive" in two else False
    )
    delimiter = (
        (reader.scalar(top["recipient_delimiter"], "recipient_delimiter") or "")
        if "recipient_delimiter" in top
        else "+"
    )
    retention = (
        reader.integer(top["quarantine_retention_days"], "quarantine_retention_days")
        if "quarantine_retention_days" in top
        else 7
    )
    link_days = _positive(reader, top, "link_days", 7)
    link_downloads = _positive(reader, top, "link_max_downloads", 3)
    reminder_hours = _positive(reader, top, "deletion_reminder_hours", 4)
    journal_days = _positive(reader, top, "journal_days", 30)
    min_cell = _positive(reader, top, "min_cell", 3)
    second_factor = (
        tuple(reader.strings(top["second_factor"], "second_factor"))
        if "second_factor" in top
        else ()
    )
    directory = _directory(reader, top["directory"]) if "directory" in top else {}
    for role in second_factor:
        if role not in ("sender", "approver", "auditor", "admin"):
            reader.error(top["second_factor"], f"second_factor: no role {role!r}")
    split_to = (
        reader.mapping(top["minimise_recipients"], "minimise_recipients")
        if "minimise_recipients" in top
        else {}
    )
    minimise_recipients = {
        str(value): tuple(reader.strings(addresses, f"minimise_recipients.{value}"))
        for value, addresses in split_to.items()
    }
    if reader.errors:
        raise PolicyError(reader.errors)
    return Policy(
        name=reader.scalar(top["name"], "name") if "name" in top else "policy",
        internal_domains=tuple(d.lower() for d in internal),
        partners=tuple(partners),
        sender_groups=groups,
        approvers=approvers,
        rules=tuple(rules),
        hold_expiry_hours=expiry,
        two_person_records_min=two_records,
        two_person_sensitive=two_sensitive,
        recipient_delimiter=delimiter,
        quarantine_retention_days=7 if retention is None else retention,
        link_days=link_days,
        link_max_downloads=link_downloads,
        deletion_reminder_hours=reminder_hours,
        journal_days=journal_days,
        min_cell=min_cell,
        minimise_recipients=minimise_recipients,
        second_factor=second_factor,
        directory=directory,
        organisation_kind=kind if kind in ORGANISATION_KINDS else "local_government",
        special_care_entities=tuple(special_care),
    )


def _positive(reader: _Reader, top: dict[str, yaml.Node], key: str, default: int) -> int:
    if key not in top:
        return default
    value = reader.integer(top[key], key)
    if value is not None and value < 1:
        reader.error(top[key], f"{key} must be at least 1")
    return value if value is not None and value >= 1 else default


def _directory(reader: _Reader, node: yaml.Node) -> dict[str, object]:
    """The ``directory`` section: where people are (``user_dn``, ``groups_base``) and what
    their groups make them (``roles``: group → role, ``departments``: group → sender
    group)."""
    fields = reader.mapping(node, "directory")
    for key in fields:
        if key not in {"user_dn", "groups_base", "roles", "departments"}:
            reader.error(fields[key], f"directory: unknown key {key!r}")
    out: dict[str, object] = {}
    for key in ("user_dn", "groups_base"):
        if key not in fields:
            reader.error(node, f"directory needs {key}")
            continue
        out[key] = reader.scalar(fields[key], f"directory.{key}")
    if "{" not in str(out.get("user_dn", "{")):
        reader.error(fields["user_dn"], "directory.user_dn needs {local} or {username}")
    for key in ("roles", "departments"):
        mapping = reader.mapping(fields[key], f"directory.{key}") if key in fields else {}
        out[key] = {g: reader.scalar(v, f"directory.{key}.{g}") for g, v in mapping.items()}
    for group, role in out["roles"].items():  # type: ignore[union-attr]
        if role not in ("sender", "approver", "auditor", "admin"):
            reader.error(fields["roles"], f"directory.roles: {group} → no role {role!r}")
    return out


def _rule(reader: _Reader, node: yaml.Node, groups: dict, approvers: dict) -> Rule | None:
    fields = reader.mapping(node, "a rule")
    for key in fields:
        if key not in {
            "name", "when", "action", "minutes", "role", "then", "reason", "suggest_minimise",
        }:  # fmt: skip
            reader.error(fields[key], f"unknown rule key {key!r}")
    name = reader.scalar(fields["name"], "name") if "name" in fields else ""
    if not name:
        reader.error(node, "a rule needs a name")
    action = reader.scalar(fields["action"], "action") if "action" in fields else ""
    if action not in ACTIONS:
        reader.error(
            fields.get("action", node),
            f"rule {name!r}: action must be one of {', '.join(sorted(ACTIONS))}",
        )
        return None
    conditions: dict[str, object] = {}
    when = reader.mapping(fields["when"], "when") if "when" in fields else {}
    for key, value in when.items():
        condition = CONDITIONS.get(key)
        if condition is None:
            reader.error(value, f"rule {name!r}: unknown condition {key!r}")
            continue
        conditions[key] = _condition_value(reader, condition.kind, key, value, name, groups)
    minutes = (reader.integer(fields["minutes"], "minutes") or 0) if "minutes" in fields else 0
    if action == "delay" and minutes <= 0:
        reader.error(node, f"rule {name!r}: delay needs minutes > 0")
    role = reader.scalar(fields["role"], "role") if "role" in fields else None
    if action == "hold" and role is not None and approvers and role not in approvers:
        reader.error(fields["role"], f"rule {name!r}: no approver role {role!r}")
    then = reader.scalar(fields["then"], "then") if "then" in fields else None
    if then is not None and then not in THEN_ACTIONS:
        choices = ", ".join(sorted(THEN_ACTIONS))
        reader.error(fields["then"], f"rule {name!r}: then must be one of {choices}")
    reason = reader.mapping(fields["reason"], "reason") if "reason" in fields else {}
    suggest = (
        bool(reader.boolean(fields["suggest_minimise"], "suggest_minimise"))
        if "suggest_minimise" in fields
        else False
    )
    if suggest and action != "hold":
        reader.error(fields["suggest_minimise"], f"rule {name!r}: suggest_minimise needs hold")
    return Rule(
        name=name,
        when=conditions,
        action=action,
        minutes=minutes,
        role=role,
        then=then,
        suggest_minimise=suggest,
        reason_ja=reader.scalar(reason["ja"], "reason.ja") if "ja" in reason else "",
        reason_en=reader.scalar(reason["en"], "reason.en") if "en" in reason else "",
        line=node.start_mark.line + 1,
    )


def _condition_value(
    reader: _Reader, kind: str, key: str, value: yaml.Node, rule: str, groups: dict
) -> object:
    """A condition's value read by its kind (``Condition.kind``), errors at its line."""
    if kind == "int":
        return reader.integer(value, key)
    if kind == "bool":
        return reader.boolean(value, key)
    if kind == "entities":
        return reader.entities(value, key)
    if kind == "strings":
        return reader.strings(value, key)
    if kind == "kinds":
        kinds = reader.strings(value, key)
        for item in kinds:
            if item not in _KINDS:
                reader.error(value, f"rule {rule!r}: unknown attachment kind {item!r}")
        return frozenset(kinds)
    if kind == "class":
        cls = reader.scalar(value, key)
        if cls not in RECIPIENT_CLASSES:
            known = ", ".join(sorted(RECIPIENT_CLASSES))
            reader.error(value, f"rule {rule!r}: {key} must be one of {known}")
        return cls
    if kind == "group":
        group = reader.scalar(value, key)
        if group not in groups:
            reader.error(value, f"rule {rule!r}: no sender group {group!r}")
        return group
    raise AssertionError(f"condition {key!r} has an unknown kind {kind!r}")


def load_policy(path: Path | None) -> Policy:
    """The policy at ``path``, or the embedded default."""
    if path is None:
        return default_policy()
    return parse_policy(path.read_text(encoding="utf-8"))


def lint(text: str) -> list[LintError]:
    try:
        parse_policy(text)
    except PolicyError as exc:
        return exc.errors
    return []


def default_policy() -> Policy:
    return parse_policy(
        resources.files("sekisho.policy").joinpath("default.yaml").read_text(encoding="utf-8")
    )
