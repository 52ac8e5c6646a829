"""Mutated containers: the scanner always answers with a report, never an exception, and
a file it could not read always says why. Runs briefly in CI (a few dozen examples per
format); raise SEKISHO_FUZZ_EXAMPLES for a longer run."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sekisho.scan import Scanner
from tests.extract.builders import ROSTER, ROSTER_TEXT, docx_bytes, eml_bytes, pdf_bytes, zip_bytes
from tests.factories import csv_bytes, write_xlsx
from tests.scan.test_report import CONTRACT_KEYS

EXAMPLES = int(os.environ.get("SEKISHO_FUZZ_EXAMPLES", "40"))
_SCANNER = Scanner()


def _seeds(tmp: Path) -> dict[str, bytes]:
    return {
        "a.xlsx": write_xlsx(tmp / "a.xlsx", {"名簿": ROSTER}).read_bytes(),
        "a.zip": zip_bytes({"名簿.csv": csv_bytes(ROSTER, "cp932")}),
        "a.docx": docx_bytes(["本文"], table=ROSTER),
        "a.eml": eml_bytes(ROSTER_TEXT, {"名簿.csv": csv_bytes(ROSTER)}),
        "a.pdf": pdf_bytes(["氏名 山田 太郎"]),
    }


_SEEDS = _seeds(Path(__import__("tempfile").mkdtemp()))


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    name = draw(st.sampled_from(sorted(_SEEDS)))
    data = bytearray(_SEEDS[name])
    for _ in range(draw(st.integers(1, 8))):
        action = draw(st.sampled_from(["flip", "cut", "insert"]))
        pos = draw(st.integers(0, max(0, len(data) - 1)))
        if action == "flip" and data:
            data[pos] ^= draw(st.integers(1, 255))
        elif action == "cut":
            del data[pos : pos + draw(st.integers(1, 512))]
        else:
            data[pos:pos] = draw(st.binary(min_size=1, max_size=64))
    return name, bytes(data)


@pytest.mark.parametrize("seed", sorted(_SEEDS))
def test_seeds_are_readable(seed: str) -> None:
    report = _SCANNER.scan_bytes(_SEEDS[seed], seed)
    assert not report.unscannable, report.problems
    assert report.findings


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_containers_always_give_a_report(case: tuple[str, bytes]) -> None:
    name, data = case
    report = _SCANNER.scan_bytes(data, name)
    assert report.path == name
    for problem in report.problems:
        assert problem.reason and problem.reason_ja
    document = report.to_dict()
    assert set(document) == CONTRACT_KEYS
