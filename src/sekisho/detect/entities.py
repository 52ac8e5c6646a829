"""The entity types of docs/architecture.md (fixed names other tools rely on) and how they count.

A *record* is one data subject. Only some entity types identify a person on their own;
the others describe a person already identified (sex, care level) or, like a corporate
number, identify no person at all.
"""

from __future__ import annotations

PERSON_NAME = "PERSON_NAME"
DATE_OF_BIRTH = "DATE_OF_BIRTH"
ADDRESS = "ADDRESS"
PHONE_NUMBER = "PHONE_NUMBER"
EMAIL_ADDRESS = "EMAIL_ADDRESS"
GENDER = "GENDER"
JP_MY_NUMBER = "JP_MY_NUMBER"
JP_CORPORATE_NUMBER = "JP_CORPORATE_NUMBER"
JP_CARE_INSURANCE_NUMBER = "JP_CARE_INSURANCE_NUMBER"
JP_HEALTH_INSURANCE_NUMBER = "JP_HEALTH_INSURANCE_NUMBER"
JP_PENSION_NUMBER = "JP_PENSION_NUMBER"
JP_RESIDENT_CODE = "JP_RESIDENT_CODE"
JP_DRIVERS_LICENSE = "JP_DRIVERS_LICENSE"
JP_PASSPORT = "JP_PASSPORT"
JP_RESIDENCE_CARD = "JP_RESIDENCE_CARD"
BANK_ACCOUNT = "BANK_ACCOUNT"
CREDIT_CARD = "CREDIT_CARD"
CARE_LEVEL = "CARE_LEVEL"
HEALTH_INFO = "HEALTH_INFO"

ALL_ENTITIES: tuple[str, ...] = (
    PERSON_NAME,
    DATE_OF_BIRTH,
    ADDRESS,
    PHONE_NUMBER,
    EMAIL_ADDRESS,
    GENDER,
    JP_MY_NUMBER,
    JP_CORPORATE_NUMBER,
    JP_CARE_INSURANCE_NUMBER,
    JP_HEALTH_INSURANCE_NUMBER,
    JP_PENSION_NUMBER,
    JP_RESIDENT_CODE,
    JP_DRIVERS_LICENSE,
    JP_PASSPORT,
    JP_RESIDENCE_CARD,
    BANK_ACCOUNT,
    CREDIT_CARD,
    CARE_LEVEL,
    HEALTH_INFO,
)

# Entities that single out a person by themselves: a row holding one is a record.
IDENTIFYING: frozenset[str] = frozenset(
    {
        PERSON_NAME,
        JP_MY_NUMBER,
        JP_CARE_INSURANCE_NUMBER,
        JP_HEALTH_INSURANCE_NUMBER,
        JP_PENSION_NUMBER,
        JP_RESIDENT_CODE,
        JP_DRIVERS_LICENSE,
        JP_PASSPORT,
        JP_RESIDENCE_CARD,
        BANK_ACCOUNT,
        CREDIT_CARD,
    }
)

# Ways to reach someone. A person's only beside a person (a name, an identifier or a birth
# date in the same row, or near in running text): alone, or beside an organisation's
# name, they are a facility's, a shop's or an office's — an AED list or a hospital
# directory describes nobody. They are reported as found either way.
CONTACT: frozenset[str] = frozenset({ADDRESS, PHONE_NUMBER, EMAIL_ADDRESS})

# Identifies a person only together with another item of the same row.
IDENTIFYING_WITH_ANOTHER: frozenset[str] = frozenset({DATE_OF_BIRTH})

# Describe a person but identify nobody: reported only beside a person (in the same
# row, or within a couple of lines of running text); a header 要介護1 over counts is not one.
DESCRIBING: frozenset[str] = frozenset({GENDER, CARE_LEVEL, HEALTH_INFO})

# Never a person, whatever else is beside it.
NOT_A_PERSON: frozenset[str] = frozenset({JP_CORPORATE_NUMBER})

# Special-care personal information (要配慮個人情報) and what policy calls sensitive.
SENSITIVE: frozenset[str] = frozenset({HEALTH_INFO, CARE_LEVEL})


def may_be_person(entity: str) -> bool:
    """Whether a finding can stand for a person, so that the describing and contact
    findings beside it are a person's: the one test every layer uses."""
    return entity in IDENTIFYING or entity == DATE_OF_BIRTH


# What people read: Japanese first, English in English. JSON output keeps the codes.
LABELS: dict[str, tuple[str, str]] = {
    PERSON_NAME: ("氏名", "name"),
    DATE_OF_BIRTH: ("生年月日", "date of birth"),
    ADDRESS: ("住所", "address"),
    PHONE_NUMBER: ("電話番号", "phone number"),
    EMAIL_ADDRESS: ("メールアドレス", "e-mail address"),
    GENDER: ("性別", "sex"),
    JP_MY_NUMBER: ("個人番号（マイナンバー）", "My Number"),
    JP_CORPORATE_NUMBER: ("法人番号", "corporate number"),
    JP_CARE_INSURANCE_NUMBER: ("介護保険被保険者番号", "care insurance number"),
    JP_HEALTH_INSURANCE_NUMBER: ("健康保険被保険者番号", "health insurance number"),
    JP_PENSION_NUMBER: ("基礎年金番号", "pension number"),
    JP_RESIDENT_CODE: ("住民票コード", "resident record code"),
    JP_DRIVERS_LICENSE: ("運転免許証番号", "driving licence number"),
    JP_PASSPORT: ("旅券番号", "passport number"),
    JP_RESIDENCE_CARD: ("在留カード番号", "residence card number"),
    BANK_ACCOUNT: ("口座番号", "bank account"),
    CREDIT_CARD: ("クレジットカード番号", "card number"),
    CARE_LEVEL: ("要介護度", "care level"),
    HEALTH_INFO: ("病歴・健康情報", "health information"),
}


def label(entity: str, language: str = "ja") -> str:
    """An entity type as a clerk reads it (``ja``) or in English (``en``)."""
    ja, en = LABELS.get(entity, (entity, entity))
    return ja if language == "ja" else en
