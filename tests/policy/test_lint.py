from pathlib import Path

from click.testing import CliRunner

from sekisho.cli.main import cli
from sekisho.policy import lint

BROKEN = """\
name: broken
organisation:
  internal_domains: [city.example.lg.jp]
rules:
  - name: a
    when: {entities: [MY_NUMBER]}
    action: reject
  - name: b
    when: {records_min: many}
    action: hold
  - name: c
    action: delay
  - name: a
    when: {recipients: everyone}
    action: explode
"""


def test_lint_reports_every_error_with_its_line() -> None:
    errors = [(e.line, e.message) for e in lint(BROKEN)]
    assert (6, "entities: unknown entity type 'MY_NUMBER'") in errors
    assert (9, "records_min must be a whole number, not 'many'") in errors
    assert (11, "rule 'c': delay needs minutes > 0") in errors
    assert any(line == 15 and "action must be one of" in message for line, message in errors)


def test_lint_of_invalid_yaml() -> None:
    (error,) = lint("rules: [\n  - a: b\n")
    assert error.message.startswith("not valid YAML")


def test_lint_command(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    result = CliRunner().invoke(cli, ["policy", "lint", str(path)])
    assert result.exit_code == 1
    assert f"{path}:6: entities: unknown entity type 'MY_NUMBER'" in result.output
    good = Path(__file__).resolve().parents[2] / "examples" / "policy.yaml"
    assert CliRunner().invoke(cli, ["policy", "lint", str(good)]).exit_code == 0


def test_policy_check_command(tmp_path: Path) -> None:
    from tests.extract.builders import eml_bytes

    message = tmp_path / "m.eml"
    message.write_bytes(eml_bytes("個人番号 123456789018 の件です。", charset="utf-8"))
    result = CliRunner().invoke(cli, ["policy", "check", "--to", "x@example.com", str(message)])
    assert result.exit_code == 0, result.output
    assert "判定 verdict: reject; rules=my-number-outside" in result.output
    assert "My Number may not be sent outside" in result.output
    assert "123456789018" not in result.output
    assert "✓ my-number-outside" in result.output


def test_policy_check_names_the_condition_each_rule_failed_on(tmp_path: Path) -> None:
    from tests.extract.builders import eml_bytes

    policy = tmp_path / "p.yaml"
    policy.write_text(
        "organisation: {internal_domains: [city.example.lg.jp]}\n"
        "rules:\n"
        "  - {name: many, when: {recipients: outside, records_min: 50}, action: hold}\n"
        "  - {name: inside, when: {recipients: internal}, action: deliver}\n"
        "  - {name: rest, action: delay, minutes: 5}\n",
        encoding="utf-8",
    )
    message = tmp_path / "m.eml"
    message.write_bytes(eml_bytes("個人番号 123456789018 の件です。", charset="utf-8"))
    args = ["policy", "check", "--policy", str(policy), "--to", "x@example.com", str(message)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "✗ many: records_min — at least this many people described" in result.output
    assert "✗ inside: recipients" in result.output
    assert "✓ rest" in result.output
