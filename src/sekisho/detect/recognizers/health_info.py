"""HEALTH_INFO: health data of a person (要配慮個人情報 under 個人情報保護法 第二条第三項)."""

from __future__ import annotations

import re

from sekisho.detect.entities import HEALTH_INFO
from sekisho.detect.recognizer import Pattern, Recognizer

# Diagnoses common in municipal welfare and care records; a closed list so that a press
# release about "認知症カフェ" is the only way to trip it, and that needs a person nearby.
DIAGNOSES = (
    "認知症",
    "アルツハイマー",
    "糖尿病",
    "高血圧",
    "脳梗塞",
    "脳出血",
    "脳卒中",
    "心不全",
    "心筋梗塞",
    "狭心症",
    "がん",
    "癌",
    "悪性腫瘍",
    "白血病",
    "うつ病",
    "統合失調症",
    "双極性障害",
    "パーキンソン病",
    "骨折",
    "骨粗鬆症",
    "肺炎",
    "腎不全",
    "慢性腎臓病",
    "COPD",
    "喘息",
    "リウマチ",
    "てんかん",
    "発達障害",
    "自閉症",
    "ADHD",
    "知的障害",
    "精神疾患",
    "難病",
    "HIV",
    "肝炎",
    "結核",
    "褥瘡",
    "変形性膝関節症",
    "脊柱管狭窄症",
)
DISABILITY = r"(?:身体障害者手帳|精神障害者保健福祉手帳|療育手帳|障害者手帳)(?:\s*[0-9一二三四五六]級|\s*[AB][12]?)?|障害(?:等級|程度区分|支援区分)\s*[0-9一二三四五六]|[0-9一二三四五六]級(?:障害|の障害)"
CARE = r"(?:通院|入院|退院|受診|服薬|内服|処方|透析|在宅酸素|インスリン|人工透析|胃ろう|経管栄養)"


def _term(diagnosis: str) -> str:
    """A Latin abbreviation is a whole word (HIV is not in ARCHIVE); がん written in kana is
    not a part of another kana word (こがん, ひがんだ, がんばる, がんこ, おもちゃのがんぐ)."""
    if diagnosis.isascii():
        return rf"(?<![A-Za-z]){re.escape(diagnosis)}(?![A-Za-z])"
    if diagnosis == "がん":
        # particles (の, で, を, が, と, は, に, も, や, から, など) may follow
        return r"(?<![ぁ-ゖ])がん(?![ばぼこぐきじぜせめりえ])"
    return re.escape(diagnosis)


_TERMS = re.compile(
    "(?P<value>"
    + "|".join(_term(d) for d in sorted(DIAGNOSES, key=len, reverse=True))
    + "|"
    + DISABILITY
    + "|"
    + CARE
    + ")"
)


class HealthInfoRecognizer(Recognizer):
    """Diagnoses (a closed list of conditions seen in welfare and care records), disability
    certificates and grades (身体障害者手帳2級, 療育手帳A), medication and hospital visits
    (服薬, 通院, 入院, 透析). Reported only beside a person: in a row that identifies one,
    or within two lines of a name or number in running text."""

    name = "HealthInfoRecognizer"
    entity = HEALTH_INFO
    patterns = (Pattern("health term", _TERMS, 0.6),)
    context_words = ("病名", "診断", "既往", "疾患", "障害", "病院", "医療", "治療", "主治医")
    negative_words = (
        "カフェ",
        "講座",
        "セミナー",
        "啓発",
        "予防教室",
        "サポーター",
        "週間",
        "月間",
    )
    needs = "letter"
    header_words = (
        "病名",
        "既往歴",
        "傷病名",
        "診断名",
        "疾患",
        "障害",
        "服薬",
        "通院",
        "主治医",
        "医療機関",
        "diagnosis",
        "medical",
    )
    header_exclude = ("障害者数", "件数", "人数")
    column_score = 0.6

    def cell_value(self, cell: object, text: str) -> str | None:
        if not isinstance(cell, str):
            return None
        match = _TERMS.search(text)
        return text.strip() if match else None

    def canonical(self, value: str) -> str:
        return value

    def mask(self, value: str) -> str:
        match = _TERMS.search(value)
        term = match.group(0) if match else value
        return term[:1] + "*" * (len(term) - 1)
