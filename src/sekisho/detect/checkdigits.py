"""Check-digit algorithms of Japanese and international identifiers.

They live apart from the recognizers because the test and benchmark generators need the
same arithmetic to make valid (and deliberately invalid) numbers.
"""

from __future__ import annotations

# My Number (個人番号): 行政手続における特定の個人を識別するための番号の利用等に関する法律
# 施行令 第八条 / 総務省令 第八十五号 第五条. Weights of the 11 leading digits, left to right.
_MY_NUMBER_WEIGHTS = (6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def my_number_check_digit(base: str) -> int:
    """Check digit for the first 11 digits of a My Number."""
    if len(base) != 11 or not base.isdigit():
        raise ValueError("a My Number base has 11 digits")
    remainder = sum(int(d) * w for d, w in zip(base, _MY_NUMBER_WEIGHTS, strict=True)) % 11
    return 0 if remainder <= 1 else 11 - remainder


def is_valid_my_number(digits: str) -> bool:
    return (
        len(digits) == 12
        and digits.isdigit()
        and my_number_check_digit(digits[:11]) == int(digits[11])
    )


def corporate_check_digit(base: str) -> int:
    """Leading check digit of a 13-digit Corporate Number (法人番号), for its 12-digit base.

    法人番号の指定等に関する省令 第二条: 9 - (Σ Pn×Qn mod 9), Pn the n-th digit from the
    right, Qn 1 for odd n and 2 for even n.
    """
    if len(base) != 12 or not base.isdigit():
        raise ValueError("a corporate number base has 12 digits")
    total = sum(int(d) * (1 if n % 2 else 2) for n, d in enumerate(reversed(base), start=1))
    return 9 - total % 9


def is_valid_corporate_number(digits: str) -> bool:
    return (
        len(digits) == 13
        and digits.isdigit()
        and corporate_check_digit(digits[1:]) == int(digits[0])
    )


def luhn_valid(digits: str) -> bool:
    """ISO/IEC 7812-1 Luhn check, as used by payment card numbers."""
    if not digits.isdigit() or len(digits) < 2:
        return False
    total = 0
    for i, d in enumerate(reversed(digits)):
        n = int(d)
        if i % 2:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def luhn_check_digit(base: str) -> int:
    """The digit that makes ``base + digit`` pass the Luhn check."""
    for d in range(10):
        if luhn_valid(base + str(d)):
            return d
    raise AssertionError("unreachable: one of ten digits always completes a Luhn number")
