"""An incident from a released roster, by the command line: open, show, report; the
officer's record of a passed-on password changes the answer, and so does the kind of
organisation the policy names."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from sekisho.cli.main import cli
from sekisho.gateway.submission import Submission
from sekisho.store import Database, utcnow
from sekisho.store.blobs import journal_files
from sekisho.store.incidents import Incidents
from sekisho.store.journal import Journal
from tests.extract.builders import eml_bytes
from tests.factories import csv_bytes, japanese_names
from tests.gateway.test_scheduler import CISO, CLERK, OUTSIDER, _gate


def _released_roster(tmp_path: Path) -> tuple[str, str]:
    gate = _gate(tmp_path)
    gate.pipeline.journal = Journal(
        gate.database, journal_files(gate.database, str(tmp_path / "blobs"))
    )
    rows = [["氏名", "電話番号"]] + [
        [name, f"090-{1000 + i:04d}-{2000 + i:04d}"] for i, name in enumerate(japanese_names(150))
    ]
    data = eml_bytes("名簿です", {"名簿.csv": csv_bytes(rows, "cp932")}, charset="utf-8")
    submission = Submission.received(CLERK, [OUTSIDER], data.replace(b"\n", b"\r\n"))
    assert " held as " in gate.receive(submission)
    gate.database.decide(submission.sekisho_id, approve=True, actor=CISO, comment="確認済み")
    assert gate.run().released == 1
    return f"sqlite:///{tmp_path / 'sekisho.db'}", submission.sekisho_id


def _run(*args: str) -> object:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result


def test_open_show_and_report_an_incident(tmp_path: Path) -> None:
    url, sekisho_id = _released_roster(tmp_path)
    common = ["--db", url, "--blobs", str(tmp_path / "blobs")]
    incident = int(_run("incident", "open", sekisho_id, "--by", CISO, *common).output)

    shown = json.loads(_run("incident", "show", str(incident), *common).output)
    (message,) = shown["messages"]
    assert shown["people"] == 150 and message["records"] == 150
    assert message["left"] and message["how"] == "encrypted" and message["encrypted"]
    assert message["journaled"] and [r["address"] for r in message["recipients"]] == [OUTSIDER]
    assert "山田" not in json.dumps(shown, ensure_ascii=False)  # counts and types, no values

    # Encrypted, the password told to the sender only: exempt.
    report = json.loads(_run("incident", "report", str(incident), *common).output)
    assert report["report_required"] is False and "暗号化" in report["reasons"][0]
    assert report["items"]["people"] == 150

    # The officer learns the password was passed on: a city must report 150 people.
    Incidents(Database(url)).record(incident, CISO, key_leaked=True)
    report = json.loads(_run("incident", "report", str(incident), *common).output)
    assert report["report_required"] is True and "100人超" in report["reasons"][0]
    assert report["deadline_preliminary"] and report["deadline_final"]
    assert set(report["items"]) == {
        "summary", "data_items", "people", "cause", "secondary_damage",
        "response_to_individuals", "publication", "prevention", "other",
    }  # fmt: skip
    assert "150人" in report["items"]["summary"] and "氏名" in report["items"]["data_items"]
    assert report["items"]["cause"] == "【記入してください】"

    # The same facts for a business: the 1,000 threshold.
    business = tmp_path / "business.yaml"
    business.write_text(
        "organisation: {internal_domains: [city.example.lg.jp], kind: business}\nrules: []\n",
        encoding="utf-8",
    )
    out = tmp_path / "report.json"
    _run("incident", "report", str(incident), *common, "--policy", str(business), "--out", str(out))
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["report_required"] is False and "1,000人超" in report["reasons"][0]
    assert report["discovered_at"][:10] == utcnow().date().isoformat()  # opened = discovered


def test_unknown_messages_and_incidents_are_usage_errors(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    common = ["--db", url, "--blobs", str(tmp_path / "blobs")]
    result = CliRunner().invoke(cli, ["incident", "open", "nosuchid", *common])
    assert result.exit_code == 2 and "nosuchid" in result.output
    result = CliRunner().invoke(cli, ["incident", "show", "42", *common])
    assert result.exit_code == 2 and "42" in result.output


def _docx_text(path: Path) -> str:
    from docx import Document

    document = Document(str(path))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_the_report_and_the_press_draft_as_word_files(tmp_path: Path) -> None:
    url, sekisho_id = _released_roster(tmp_path)
    common = ["--db", url, "--blobs", str(tmp_path / "blobs")]
    incident = int(_run("incident", "open", sekisho_id, *common).output)
    Incidents(Database(url)).record(incident, CISO, key_leaked=True, cause="宛先の選択誤り")

    report = tmp_path / "ppc.docx"
    _run("incident", "report", str(incident), *common, "--format", "docx", "--out", str(report))
    text = _docx_text(report)
    assert "報告が必要です" in text and "150人" in text and "100人超" in text
    assert "氏名" in text and "電話番号" in text  # the data items
    assert "宛先の選択誤り" in text and "【記入してください】" in text  # cause; prevention blank
    assert "本人の数" in text and "再発防止のための措置" in text

    press = tmp_path / "press.docx"
    _run("incident", "report", str(incident), *common, "--kind", "press", "--format", "docx",
         "--out", str(press))  # fmt: skip
    text = _docx_text(press)
    for heading in ("概要", "経緯", "原因", "対応", "再発防止策", "問い合わせ先"):
        assert heading in text, heading
    assert "150人分" in text and "1件の宛先" in text
    assert "承認" in text and "インシデント登録" in text  # the timeline from the audit log
    assert not any(name in text for name in japanese_names(150))

    refused = CliRunner().invoke(
        cli, ["incident", "report", str(incident), *common, "--format", "docx"]
    )
    assert refused.exit_code == 2 and "--out" in refused.output
    refused = CliRunner().invoke(
        cli, ["incident", "report", str(incident), *common, "--kind", "press"]
    )
    assert refused.exit_code == 2


def test_find_the_messages_by_sender_time_and_domain(tmp_path: Path) -> None:
    url, sekisho_id = _released_roster(tmp_path)
    domain = OUTSIDER.rpartition("@")[2]

    def find(*criteria: str) -> list[str]:
        output = _run("incident", "find", *criteria, "--db", url).output
        return [m["sekisho_id"] for m in json.loads(output)]

    assert find("--domain", domain, "--sender", CLERK.split("@")[0]) == [sekisho_id]
    assert find("--domain", "elsewhere.example.jp") == []
    assert find("--since", "2000-01-01T00:00", "--until", "2000-01-02T00:00") == []
    assert find("--since", "2000-01-01T09:00") == [sekisho_id]
    (found,) = json.loads(_run("incident", "find", "--domain", domain, "--db", url).output)
    assert found["people"] == 150 and found["recipients"] == [OUTSIDER]
    assert "山田" not in json.dumps(found, ensure_ascii=False)
    bad = CliRunner().invoke(cli, ["incident", "find", "--since", "tuesday", "--db", url])
    assert bad.exit_code == 2 and "--since" in bad.output
    assert CliRunner().invoke(cli, ["incident", "find", "--db", url]).exit_code == 2
