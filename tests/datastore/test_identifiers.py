"""Check digits: GB 32100 (credit code), GB 11714 (organisation code), GB 11643 (ID number)."""

from __future__ import annotations

from datetime import date

import pytest

from analytics.identifiers import (
    credit_code_check_digit,
    id_check_digit,
    is_valid_credit_code,
    is_valid_id_number,
    is_valid_luhn,
    is_valid_org_code,
    org_code_check_digit,
)


def test_credit_code_known_valid_example() -> None:
    # commonly cited valid example; its org code M000100Y4 also carries a valid GB 11714 digit
    assert is_valid_credit_code("91350100M000100Y43")
    assert credit_code_check_digit("91350100M000100Y4") == "3"
    assert is_valid_org_code("M000100Y4")


def test_credit_code_hand_computed() -> None:
    # Σ value·weight for "91350100M000100Y4" computed by hand from domain.md's table: 214 → 31 − 214 mod 31 = 3
    weights = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    total = sum(alphabet.index(c) * w for c, w in zip("91350100M000100Y4", weights, strict=True))
    assert alphabet[(31 - total % 31) % 31] == "3"


@pytest.mark.parametrize("bad", ["91350100M000100Y44", "91350100M000100Y4", "91350100M000100I43", ""])
def test_credit_code_rejects_bad(bad: str) -> None:
    assert not is_valid_credit_code(bad)


def test_credit_code_with_bad_org_digit_is_rejected_only_when_checked() -> None:
    body = "91350100M000100Y5"  # org code check 5 is wrong (4 is right)
    code = body + credit_code_check_digit(body)
    assert not is_valid_credit_code(code)
    assert is_valid_credit_code(code, check_org_code=False)


def test_org_code_x_check() -> None:
    body = next(f"{n:08d}" for n in range(10**6) if org_code_check_digit(f"{n:08d}") == "X")
    assert is_valid_org_code(body + "X") and not is_valid_org_code(body + "0")


def test_id_number_standard_example() -> None:
    assert id_check_digit("11010519491231002") == "X"  # the GB 11643 worked example
    assert is_valid_id_number("11010519491231002X") and is_valid_id_number("11010519491231002x")
    assert not is_valid_id_number("110105194912310021")


def test_luhn() -> None:
    assert is_valid_luhn("4111111111111111") and not is_valid_luhn("4111111111111112")
    assert is_valid_luhn("79927398713") and not is_valid_luhn("79927398710")
    assert not is_valid_luhn("6222 0212")


def test_sample_identifiers_are_valid(sample_engine) -> None:
    from datastore.repositories.clients import list_clients
    from datastore.repositories.corporate import list_corporates
    from datastore.sample import AS_OF

    clients = list_clients(sample_engine)
    for c in clients.itertuples():
        assert is_valid_id_number(c.id_number), c.id
        assert c.id_number[6:14] == f"{c.birth_date:%Y%m%d}", c.id
        assert (int(c.id_number[16]) % 2 == 1) == (c.gender == "M"), c.id
        age = AS_OF.year - c.birth_date.year - ((AS_OF.month, AS_OF.day) < (c.birth_date.month, c.birth_date.day))
        assert age == c.age, c.id
        assert len(c.mobile) == 11 and c.mobile[0] == "1"
    assert all(is_valid_credit_code(x) for x in list_corporates(sample_engine)["credit_code"])
    assert isinstance(clients["birth_date"].iloc[0], date)
