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
        ADDRESS,
        PHONE_NUMBER,
        EMAIL_ADDRESS,
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

# Identifies a person only together with another item of the same row.
IDENTIFYING_WITH_ANOTHER: frozenset[str] = frozenset({DATE_OF_BIRTH})

# Describe a person but identify nobody: reported only beside a person (in the same
# row, or within a couple of lines of running text); a header 要介護1 over counts is not one.
DESCRIBING: frozenset[str] = frozenset({GENDER, CARE_LEVEL, HEALTH_INFO})

# Never a person, whatever else is beside it.
NOT_A_PERSON: frozenset[str] = frozenset({JP_CORPORATE_NUMBER})
