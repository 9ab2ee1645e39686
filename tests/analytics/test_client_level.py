"""Client-level compositions on tiny frames: splits in P&L, client_performance, review, product search."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from analytics.allocation import review_allocation, suitable_products
from analytics.errors import InvalidInput
from analytics.inputs import ClientBook, NavFrames
from analytics.performance import period_start
from analytics.pnl import client_performance, position_pnl

from .conftest import AS_OF


def test_split_multiplies_units_not_cost() -> None:
    tx = pd.DataFrame(
        [
            ("F00001", date(2024, 1, 2), "buy", 1000.0, 1000.0, 1.0, 0.0),
            ("F00001", date(2024, 3, 1), "sell", 900.0, 1000.0, 0.9, 0.0),
        ],
        columns=["product_code", "date", "type", "amount", "shares", "price", "fee"],
    )
    splits = pd.DataFrame({"product_code": ["F00001"], "date": [date(2024, 2, 1)], "split_ratio": [2.0]})
    p = position_pnl(tx, pd.Series({"F00001": 0.5}), date(2024, 6, 1), splits=splits).loc["F00001"]
    # 1000 units → 2000 after the split; sold 1000 (half the cost), 1000 left at 0.5
    assert p["shares"] == pytest.approx(1000) and p["cost"] == pytest.approx(500)
    assert p["realized"] == pytest.approx(400) and p["gain"] == pytest.approx(400 + 500 - 500)


def test_period_start_labels() -> None:
    d = date(2026, 11, 20)
    assert period_start("ytd", d) == date(2025, 12, 31) and period_start("今年以来", d) == date(2025, 12, 31)
    assert period_start("近1年", d) == date(2025, 11, 20) and period_start("since_inception", d) is None
    assert period_start("3y", d) == date(2023, 11, 20)
    with pytest.raises(InvalidInput) as e:
        period_start("forever", d)
    assert e.value.field == "period"


@pytest.fixture(scope="module")
def perf_book(tiny_client, tiny_products):  # type: ignore[no-untyped-def]
    days = pd.bdate_range("2024-01-02", "2024-12-02")
    nav = pd.Series(1.0, index=days)
    nav[days >= "2024-07-01"] = 1.2  # one jump: +20% on 2024-07-01
    long = pd.DataFrame(
        {
            "fund_code": "F00001",
            "date": days,
            "unit_nav": nav.to_numpy(),
            "dividend": 0.0,
            "split_ratio": None,
        }
    )
    navs = NavFrames.from_long(long)
    tx = pd.DataFrame(
        [
            ("F00001", date(2024, 1, 2), "buy", 10_000.0, 10_000.0, 1.0, 0.0),
            ("F00001", date(2024, 9, 2), "buy", 12_000.0, 10_000.0, 1.2, 0.0),
        ],
        columns=["product_code", "date", "type", "amount", "shares", "price", "fee"],
    )
    pos = pd.DataFrame(
        {"product_code": ["F00001"], "shares": [20_000.0], "cost": [22_000.0], "market_value": [24_000.0]}
    )
    book = ClientBook(client=tiny_client, positions=pos, products=tiny_products, as_of=AS_OF, transactions=tx)
    return book, navs


def test_client_performance_twr_ignores_the_flow(perf_book) -> None:  # type: ignore[no-untyped-def]
    book, navs = perf_book
    r = client_performance(book, navs, period="since_inception", as_of=AS_OF)
    assert r.gain == pytest.approx(2_000.0) and r.pnl.total.market_value == pytest.approx(24_000.0)
    assert r.twr == pytest.approx(0.20, abs=1e-12)  # the September purchase does not change the TWR
    assert r.return_on_capital == pytest.approx(2_000 / 22_000)
    ytd_half = client_performance(book, navs, period="2024-08-01", as_of=AS_OF)
    assert ytd_half.gain == pytest.approx(0.0, abs=1e-9) and ytd_half.twr == pytest.approx(0.0, abs=1e-12)


def test_review_allocation_and_search(tiny_book, tiny_products) -> None:  # type: ignore[no-untyped-def]
    rev = review_allocation(tiny_book, as_of=AS_OF)
    assert rev.blocked is None and rev.proposal is not None and rev.total == pytest.approx(100_000)
    old = tiny_book.client.copy()
    old["risk_assessed_on"] = date(2022, 1, 1)
    stale = ClientBook(client=old, positions=tiny_book.positions, products=tiny_products, as_of=AS_OF)
    rev2 = review_allocation(stale, as_of=AS_OF)
    assert rev2.proposal is None and "older than" in (rev2.blocked or "") and rev2.assessment_expired
    found = suitable_products(tiny_products, book=tiny_book, as_of=AS_OF, limit=20)
    assert set(found["risk_level"]) <= {"R1", "R2"} and "X5" not in set(found["code"])
    assert "OLD" not in set(found["code"])
    only_deposits = suitable_products(tiny_products, book=stale, as_of=AS_OF, limit=20)
    assert set(only_deposits["code"]) == {"TD3Y"}  # expired assessment: deposits only
