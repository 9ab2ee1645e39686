"""Re-export of ``core.identifiers`` (check digits of Chinese identifiers)."""

from core.identifiers import *  # noqa: F401,F403
from core.identifiers import (  # noqa: F401
    CREDIT_ALPHABET,
    CREDIT_CODE_RE,
    ID_NUMBER_RE,
    credit_code_check_digit,
    id_check_digit,
    is_valid_credit_code,
    is_valid_id_number,
    is_valid_luhn,
    is_valid_org_code,
    org_code_check_digit,
)
