"""JP_CARE_INSURANCE_NUMBER: 介護保険 被保険者番号."""

from __future__ import annotations

import re

from sekisho.detect.entities import JP_CARE_INSURANCE_NUMBER
from sekisho.detect.recognizer import NUM_END, NUM_START, Pattern, Recognizer
from sekisho.detect.recognizers._digits import cell_digits


class JpCareInsuranceNumberRecognizer(Recognizer):
    """The 10-digit insured-person number of the long-term care insurance (介護保険法施行規則
    第二十六条 and 介護保険被保険者証, 様式第一号), assigned by each municipality as insurer.

    It has no check digit and looks like any 10-digit number, so a value needs a label,
    a column header or a context word (介護保険, 被保険者番号). Numbers typed into Excel as
    numbers lose their leading zeros; under the header they are padded back to 10 digits.
    """

    name = "JpCareInsuranceNumberRecognizer"
    entity = JP_CARE_INSURANCE_NUMBER
    patterns = (
        Pattern("10 digits", re.compile(NUM_START + r"(?P<value>[0-9]{10})" + NUM_END), 0.4),
    )
    context_words = ("介護保険", "被保険者番号", "被保険者証", "被保番", "介護", "insured")
    negative_words = ("商品", "注文", "伝票", "電話", "tel", "携帯", "fax")
    requires_context = True
    # Without a header, a column of distinct 10-digit numbers in rows that name people is
    # taken for the municipality's most common 10-digit personal number.
    value_min_sample = 5
    value_min_share = 0.9
    value_needs_person = True
    header_words = (
        "被保険者番号",
        "被保険者no",
        "介護保険番号",
        "被保番",
        "insured no",
        "insured number",
    )
    header_exclude = ("健康保険", "国保", "後期高齢")
    column_score = 0.6
    column_shape = re.compile(r"[0-9]{10}")

    def cell_value(self, cell: object, text: str) -> str | None:
        return cell_digits(cell, text, 10)

    def plausible_column(self, values: list[str]) -> bool:
        return len(set(values)) == len(values)
