"""The documentation says what the code does (datasette's habit): these fail when README or
docs/ fall behind the code — problem codes, entity types, policy keys and actions, links,
and the files pyproject.toml promises to ship."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sekisho.detect.entities import ALL_ENTITIES
from sekisho.extract import ProblemCode
from sekisho.policy.conditions import CONDITIONS
from sekisho.policy.model import ACTIONS

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "docs").glob("*.md")}


def test_readme_lists_every_problem_code_and_no_other() -> None:
    sentence = README[README.index("codes are") :].split("\n\n")[0]
    listed = set(re.findall(r"`([a-z-]+)`", sentence.split("Any problem")[0]))
    assert listed == {str(code) for code in ProblemCode}


def test_architecture_lists_every_entity_type() -> None:
    listed = set(re.findall(r"\b[A-Z][A-Z_]{3,}\b", DOCS["architecture.md"]))
    assert set(ALL_ENTITIES) <= listed


def test_detection_doc_names_every_entity_type() -> None:
    missing = [e for e in ALL_ENTITIES if e not in DOCS["detection.md"]]
    assert not missing


@pytest.mark.parametrize("key", sorted(CONDITIONS))
def test_every_policy_condition_is_documented(key: str) -> None:
    assert f"`{key}" in DOCS["policy.md"], f"docs/policy.md does not describe {key}"


@pytest.mark.parametrize("key", sorted(CONDITIONS))
def test_every_condition_is_read_by_the_loader(key: str) -> None:
    """A condition whose kind the loader does not read would fail every policy naming it."""
    from sekisho.policy.loader import parse_policy

    sample = {
        "int": "1",
        "bool": "true",
        "entities": "[PERSON_NAME]",
        "kinds": "[pdf]",
        "strings": "['*@city.example.lg.jp']",
        "class": "outside",
        "group": "staff",
    }
    kind = CONDITIONS[key].kind
    text = (
        "sender_groups: {staff: ['*@city.example.lg.jp']}\n"
        f"rules:\n  - name: r\n    when: {{{key}: {sample[kind]}}}\n    action: hold\n"
    )
    assert key in parse_policy(text).rules[0].when


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_every_policy_action_is_documented(action: str) -> None:
    assert f"`{action}`" in DOCS["policy.md"], f"docs/policy.md does not describe {action}"


def _links(text: str) -> list[str]:
    return [
        target.split("#")[0]
        for target in re.findall(r"\]\(([^)\s]+)\)", text)
        if not target.startswith(("http://", "https://", "mailto:", "#"))
    ]


@pytest.mark.parametrize("name", ["README.md", *sorted(f"docs/{n}" for n in DOCS)])
def test_relative_links_point_at_files_that_exist(name: str) -> None:
    path = ROOT / name
    for target in _links(path.read_text(encoding="utf-8")):
        assert (path.parent / target).exists(), f"{name} links to missing {target}"


def test_every_package_data_pattern_matches_a_file() -> None:
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["sekisho"]
    base = ROOT / "src" / "sekisho"
    empty = [p for p in patterns if not list(base.glob(p))]
    assert not empty, f"pyproject.toml ships patterns that match nothing: {empty}"


def test_no_document_points_at_a_design_file_outside_the_repository() -> None:
    for path in [
        ROOT / "README.md",
        *(ROOT / "src").rglob("*.py"),
        *(ROOT / "tests").rglob("*.py"),
    ]:
        text = path.read_text(encoding="utf-8")
        assert "DESIGN.md" not in text or path.name == "test_docs.py", path
