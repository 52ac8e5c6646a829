"""Each recipient only their own rows: a roster split by its 担当センター column holds, in each
part, exactly the rows of that centre (every column kept, in the input's format); values
routed to one recipient travel together, values routed to nobody are counted as left
out, and a column with a value per resident is refused."""

from __future__ import annotations

import io
import random
from collections import Counter
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from sekisho.actions.minimise_mail import route_values
from sekisho.minimise import MinimiseError, split
from tests.factories import csv_bytes, incident_rows, write_xlsx

CENTRES = ["北部センター", "南部センター", "東部センター", "西部センター"]


def _roster(n: int = 650) -> list[list[object]]:
    rng = random.Random(4)
    rows = incident_rows(n, seed=8)
    rows[0] = [*rows[0], "担当センター"]
    for row in rows[1:]:
        row.append(rng.choice(CENTRES))
    return rows


def test_each_part_holds_exactly_its_rows(tmp_path: Path) -> None:
    rows = _roster()
    data = write_xlsx(tmp_path / "利用者.xlsx", {"利用者": rows}).read_bytes()
    result = split(data, "利用者.xlsx", "担当センター")
    assert sorted(result.parts) == sorted(CENTRES) and result.left_out == {}
    for centre, part in result.parts.items():
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(part.data)).get_sheet_by_index(0)
        got = sheet.to_python()
        assert got[0] == [str(h) for h in rows[0]]
        expected = [r for r in rows[1:] if r[-1] == centre]
        assert part.rows == len(expected) == len(got) - 1
        assert [r[0] for r in got[1:]] == [r[0] for r in expected]  # care numbers, in order
        assert {r[-1] for r in got[1:]} == {centre}


def test_routing_joins_and_leaves_out() -> None:
    rows = [[str(c) for c in r] for r in _roster(200)]
    data = csv_bytes(rows, "cp932")
    route = {"北部センター": "a@care1.example.jp", "南部センター": "a@care1.example.jp",
             "東部センター": "c@care3.example.jp"}  # fmt: skip
    result = split(data, "利用者.csv", "担当センター", route)
    counts = Counter(r[-1] for r in rows[1:])
    assert sorted(result.parts) == ["a@care1.example.jp", "c@care3.example.jp"]
    first = result.parts["a@care1.example.jp"]
    assert first.rows == counts["北部センター"] + counts["南部センター"]
    text = first.data.decode("cp932")
    assert "西部センター" not in text and "東部センター" not in text
    assert result.left_out == {"西部センター": counts["西部センター"]}


def test_a_value_per_resident_is_not_a_column_of_recipients(tmp_path: Path) -> None:
    rows = incident_rows(80, seed=2)
    data = write_xlsx(tmp_path / "a.xlsx", {"a": rows}).read_bytes()
    with pytest.raises(MinimiseError, match="more than 50 values"):
        split(data, "a.xlsx", "氏名")


def test_values_are_routed_by_mapping_or_by_a_display_name_never_by_a_guess() -> None:
    names = {
        "a@care1.example.jp": "北部センター 山田",
        "b@care2.example.jp": "南部センター",
        "c@care3.example.jp": "",
        "d@care4.example.jp": "中部・東部センター合同",
    }
    mapping = {"西部センター": ["C@care3.example.jp"]}
    routed = route_values([*CENTRES, "センター"], names, mapping)
    assert routed == {
        "北部センター": "a@care1.example.jp",
        "南部センター": "b@care2.example.jp",
        "東部センター": "d@care4.example.jp",
        "西部センター": "c@care3.example.jp",
    }  # "センター" is in every name: routed to nobody
