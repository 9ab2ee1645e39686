"""What can be bought today: subscription windows, remaining term, own maturing holdings, horizon flags."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from analytics.availability import availability
from analytics.errors import InvalidInput
from core.policy import ProductRules

DAY = date(2026, 11, 20)
RULES = ProductRules()  # min_remaining_term_days 90
COLS = ["code", "kind", "liquidity_days", "issue_date", "maturity_date", "term_days", "status"]


def _shelf() -> pd.DataFrame:
    d = lambda n: DAY + timedelta(days=n)  # noqa: E731
    return pd.DataFrame(
        [
            ("ISSUED", "wmp", -1, date(2025, 6, 10), d(18), 546, "on_shelf"),  # the 18-day 理财
            ("FUTURE", "wmp", -1, d(5), d(370), 365, "on_shelf"),  # subscription still open
            ("SHORT", "wmp", -1, d(3), d(60), 57, "on_shelf"),  # open, but matures in 60 days
            ("NODATE", "wmp", -1, None, d(300), 300, "on_shelf"),  # closed-end, window unknown
            ("OPEN", "wmp", 1, date(2021, 8, 2), None, None, "on_shelf"),  # open-ended 理财
            ("GONE", "wmp", -1, date(2024, 1, 1), d(-3), 365, "on_shelf"),  # matured already
            ("OFF", "fund", 4, None, None, None, "off_shelf"),
            ("FUND", "fund", 4, None, None, None, "on_shelf"),
            ("TD3Y", "deposit", -1, None, None, 1095, "on_shelf"),
            ("TD1Y", "deposit", -1, None, None, 365, "on_shelf"),
            ("FOF3Y", "fund", -1, None, None, None, "on_shelf"),  # three-year holding period, no dated term
            ("INS", "insurance", -1, None, None, None, "on_shelf"),
        ],
        columns=COLS,
    )


def _by_code(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.set_index("code")


def test_reasons_hand_checked() -> None:
    a = _by_code(availability(_shelf(), DAY, RULES))
    expected = {
        "ISSUED": "subscription_closed",
        "FUTURE": None,
        "SHORT": "matures_too_soon",
        "NODATE": "subscription_unknown",
        "OPEN": None,
        "GONE": "matured",
        "OFF": "off_shelf",
        "FUND": None,
        "TD3Y": None,
        "TD1Y": None,
        "FOF3Y": None,
        "INS": None,
    }
    assert a["unavailable_reason"].to_dict() == expected
    assert a["buyable"].to_dict() == {k: v is None for k, v in expected.items()}
    assert a.loc["ISSUED", "days_to_maturity"] == 18 and pd.isna(a.loc["OPEN", "days_to_maturity"])
    assert not a["matures_before_horizon"].any() and not a["locked_beyond_horizon"].any()  # no horizon given


def test_own_maturing_holding_is_never_its_own_reinvestment() -> None:
    a = _by_code(availability(_shelf(), DAY, RULES, held_codes=["ISSUED", "FUTURE", "FUND"]))
    assert a.loc["ISSUED", "unavailable_reason"] == "own_maturing_holding"
    assert a.loc["FUTURE", "buyable"] and a.loc["FUND", "buyable"]  # held but not maturing: may add to it


def test_remaining_term_is_a_policy_value() -> None:
    a = _by_code(availability(_shelf(), DAY, ProductRules(min_remaining_term_days=30)))
    assert a.loc["SHORT", "buyable"]  # 60 days left ≥ 30
    assert a.loc["ISSUED", "unavailable_reason"] == "subscription_closed"  # the window rule still applies


def test_horizon_flags() -> None:
    a = _by_code(availability(_shelf(), DAY, RULES, horizon_days=365))
    assert not a.loc["TD1Y", "matures_before_horizon"]  # a 365-day term ends on the horizon, not before
    assert a.loc["TD3Y", "locked_beyond_horizon"] and not a.loc["TD3Y", "matures_before_horizon"]
    assert not a.loc["TD1Y", "locked_beyond_horizon"]  # 365-day term within a 365-day horizon
    assert a.loc["FOF3Y", "locked_beyond_horizon"] and a.loc["INS", "locked_beyond_horizon"]  # term unknown
    assert not a.loc["FUND", "locked_beyond_horizon"] and not a.loc["OPEN", "locked_beyond_horizon"]
    assert a.loc["FUTURE", "locked_beyond_horizon"]  # matures in 370 days > 365
    two = _by_code(availability(_shelf(), DAY, RULES, horizon_days=730))
    assert two.loc["TD1Y", "matures_before_horizon"] and two.loc["FUTURE", "matures_before_horizon"]
    assert two.loc["FUTURE", "buyable"]  # maturing inside the horizon is a flag, not a block
    short = _by_code(availability(_shelf(), DAY, RULES, horizon_days=3))
    assert short.loc["FUND", "locked_beyond_horizon"]  # 4 days to cash > 3-day horizon


def test_bad_input_names_the_field() -> None:
    with pytest.raises(InvalidInput) as e:
        availability(_shelf().drop(columns="status"), DAY, RULES)
    assert e.value.field == "products.status"
    with pytest.raises(InvalidInput) as e:
        availability(_shelf(), DAY, RULES, horizon_days=0)
    assert e.value.field == "horizon_days"


def test_optional_columns_may_be_absent() -> None:
    slim = _shelf()[["code", "kind", "status"]]
    a = availability(slim, DAY, RULES, horizon_days=365)
    assert not a.set_index("code").loc["OFF", "buyable"]
    assert a["buyable"].sum() == len(slim) - 1


def test_sample_shelf_closed_end_wmps_are_not_buyable() -> None:
    """On the sample shelf at AS_OF every on-shelf closed-end 理财 was issued already: none may be bought."""
    from datastore.sample import AS_OF, generate

    shelf = generate()["products"]
    a = availability(shelf, AS_OF, RULES, held_codes=["WM2024006"]).set_index("code")
    closed = shelf[(shelf["kind"] == "wmp") & (shelf["liquidity_days"] == -1) & (shelf["status"] == "on_shelf")]
    assert len(closed) >= 5
    for _, row in closed.iterrows():  # by hand from the rows: issued before AS_OF → window closed
        assert pd.Timestamp(row["issue_date"]).date() < AS_OF
        assert not a.loc[row["code"], "buyable"]
    assert a.loc["WM2024006", "unavailable_reason"] == "own_maturing_holding"  # issued 2025, matures in 18 days
    assert a.loc["WM2024006", "days_to_maturity"] == (date(2026, 12, 8) - AS_OF).days == 18
    assert a.loc["WMOPEN02", "buyable"] and a.loc["WMCASH01", "buyable"] and a.loc["TD3Y", "buyable"]
