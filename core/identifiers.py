"""Check digits of Chinese identifiers (pure functions, no I/O).

- Resident ID 居民身份证号 (GB 11643-1999): 17 digits + check in ``"10X98765432"``.
- Organisation code 组织机构代码 (GB 11714-1997): 8 body characters + check (0-9 or X).
- Unified social credit code 统一社会信用代码 (GB 32100-2015): 17 characters + check, alphabet of 31
  symbols without I O S V Z; positions 9–17 are an organisation code with its own GB 11714 check.

Used by the sample-data generator (to make valid synthetic ids) and by PII masking/validation.

>>> id_check_digit("11010519491231002")
'X'
>>> is_valid_credit_code("91350100M000100Y43")
True
"""

from __future__ import annotations

import re

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

ID_NUMBER_RE = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
CREDIT_CODE_RE = re.compile(r"(?<![0-9A-Z])[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}(?![0-9A-Z])")


def id_check_digit(first17: str) -> str:
    """GB 11643 check character for the first 17 digits of a resident ID number."""
    if len(first17) != 17 or not first17.isdigit():
        raise ValueError("an ID number body is 17 digits")
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def is_valid_id_number(value: str) -> bool:
    """True when ``value`` is 18 characters with a correct GB 11643 check digit (X may be lower case)."""
    v = value.strip().upper()
    if len(v) != 18 or not v[:17].isdigit():
        return False
    return id_check_digit(v[:17]) == v[17]


def _org_value(c: str) -> int:
    if c.isdigit():
        return int(c)
    if "A" <= c <= "Z":
        return ord(c) - ord("A") + 10
    raise ValueError(f"invalid organisation code character {c!r}")


def org_code_check_digit(body8: str) -> str:
    """GB 11714 check character for an 8-character organisation code body (digits/upper-case letters)."""
    if len(body8) != 8:
        raise ValueError("an organisation code body is 8 characters")
    total = sum(_org_value(c) * w for c, w in zip(body8.upper(), _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def is_valid_org_code(value: str) -> bool:
    v = value.replace("-", "").strip().upper()
    try:
        return len(v) == 9 and org_code_check_digit(v[:8]) == v[8]
    except ValueError:
        return False


def credit_code_check_digit(first17: str) -> str:
    """GB 32100 check character for the first 17 characters of a unified social credit code."""
    if len(first17) != 17:
        raise ValueError("a credit code body is 17 characters")
    try:
        total = sum(CREDIT_ALPHABET.index(c) * w for c, w in zip(first17.upper(), _CREDIT_WEIGHTS, strict=True))
    except ValueError as exc:
        raise ValueError("credit codes use 0-9 and A-Y without I, O, S, V, Z") from exc
    return CREDIT_ALPHABET[(31 - total % 31) % 31]


def is_valid_credit_code(value: str, *, check_org_code: bool = True) -> bool:
    """True when ``value`` has a correct GB 32100 check character (and, by default, a valid
    GB 11714 check digit in the embedded organisation code, positions 9–17)."""
    v = value.strip().upper()
    if len(v) != 18 or any(c not in CREDIT_ALPHABET for c in v):
        return False
    if credit_code_check_digit(v[:17]) != v[17]:
        return False
    return not check_org_code or is_valid_org_code(v[8:17])


def is_valid_luhn(number: str) -> bool:
    """Luhn check (bank card numbers: 16–19 digits)."""
    if not number.isdigit():
        return False
    total = 0
    for i, c in enumerate(reversed(number)):
        d = int(c)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0
