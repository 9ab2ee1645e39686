"""analytics.corporate on a tiny hand-computed company (two years, one deliberately incomplete)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from analytics.corporate import Flag, conclusion, evaluate_flags, expected_years, missing_years, ratios
from analytics.errors import InvalidInput

FIN = pd.DataFrame(
    [
        {
            "year": 2023,
            "revenue": 1000.0,
            "cogs": 700.0,
            "net_profit": 60.0,
            "equity": 500.0,
            "total_profit": 80.0,
            "interest_expense": 20.0,
            "depreciation": 30.0,
            "principal_due_next_year": 60.0,
        },
        {
            "year": 2024,
            "revenue": 1100.0,
            "cogs": 770.0,
            "net_profit": 66.0,
            "equity": 600.0,
            "total_profit": 90.0,
            "interest_expense": 20.0,
            "depreciation": 30.0,
            "principal_due_next_year": 80.0,
            "total_liabilities": 700.0,
            "total_assets": 1300.0,
            "current_assets": 400.0,
            "inventory": 100.0,
            "current_liabilities": 320.0,
            "cfo": 33.0,
            "receivables": 220.0,
        },
    ]
)


def by(rs, year, metric):
    return next(r for r in rs if r.year == year and r.metric == metric)


def test_hand_computed_ratios() -> None:
    rs = ratios(FIN)
    assert by(rs, 2024, "revenue_growth").value == pytest.approx(0.1)
    assert by(rs, 2024, "net_profit_growth").value == pytest.approx(0.1)
    assert by(rs, 2024, "gross_margin").value == pytest.approx(0.3)
    assert by(rs, 2024, "net_margin").value == pytest.approx(0.06)
    assert by(rs, 2024, "roe").value == pytest.approx(66 / 550)  # average equity
    assert by(rs, 2024, "debt_to_asset").value == pytest.approx(700 / 1300)
    assert by(rs, 2024, "current_ratio").value == pytest.approx(1.25)
    assert by(rs, 2024, "quick_ratio").value == pytest.approx(300 / 320)
    assert by(rs, 2024, "interest_coverage").value == pytest.approx(110 / 20)
    assert by(rs, 2024, "cfo_to_net_profit").value == pytest.approx(0.5)
    assert by(rs, 2024, "receivable_days").value == pytest.approx(220 / 1100 * 365)
    assert by(rs, 2024, "dscr").value == pytest.approx(140 / 100)
    # stress: gross profit 330 falls by 20% → EBITDA 140 − 66 = 74
    assert by(rs, 2024, "dscr_stressed").value == pytest.approx(74 / 100)


def test_missing_inputs_are_named_not_guessed() -> None:
    rs = ratios(FIN)
    roe23 = by(rs, 2023, "roe")
    assert roe23.value is None and roe23.missing == ["equity (2022)"]
    inv = by(rs, 2024, "inventory_days")
    assert inv.value is None or inv.missing == []
    assert by(rs, 2023, "debt_to_asset").missing == ["total_assets", "total_liabilities"]


def test_missing_year_is_marked() -> None:
    rs = ratios(FIN, years=[2022, 2023, 2024])
    assert all(r.value is None and r.missing == ["year 2022"] for r in rs if r.year == 2022)
    assert missing_years(FIN, [2022, 2023, 2024]) == [2022]
    assert expected_years(date(2025, 6, 30)) == [2022, 2023, 2024]
    assert expected_years(date(2025, 3, 31)) == [2021, 2022, 2023]


EMPTY_EVENTS = pd.DataFrame(columns=["date", "kind", "role", "amount", "status"])
HOLDERS = pd.DataFrame([{"name": "张三", "share": 0.6, "pledged_share": 0.8}])
CREDIT = pd.DataFrame(
    [
        {
            "limit_amount": 1e8,
            "balance": 5e7,
            "overdue_days": 0,
            "max_overdue_days_24m": 45,
            "classification": "正常",
        }
    ]
)


def flags_for(scenario, **kw):
    base = dict(
        status="存续",
        credit_code_valid=True,
        ratio_list=ratios(FIN),
        years=[2023, 2024],
        missing_year_list=[],
        shareholders=HOLDERS,
        risk_events=EMPTY_EVENTS,
        credit=CREDIT,
        as_of=date(2025, 6, 30),
    )
    base.update(kw)
    return {f.code: f for f in evaluate_flags(scenario, **base)}


def test_credit_flags_and_conclusion() -> None:
    fl = flags_for("credit")
    assert fl["dscr_stressed"].severity == "amber"  # 0.74 < 1.0
    assert fl["major_shareholder_pledge"].severity == "amber"
    assert fl["overdue_24m"].severity == "amber"
    assert "dscr" not in fl  # 1.40 ≥ 1.2
    assert conclusion(fl.values()) == "conditional"
    assert conclusion(flags_for("credit", status="吊销").values()) == "decline"


def test_account_opening_ignores_financials() -> None:
    fl = flags_for("account-opening", missing_year_list=[2022])
    assert set(fl) == {"major_shareholder_pledge"}
    events = pd.DataFrame(
        [{"date": date(2025, 1, 1), "kind": "abnormal", "role": None, "amount": None, "status": "open"}]
    )
    assert flags_for("account-opening", risk_events=events)["open_abnormal"].severity == "red"


def test_change_scenario_flags_recent_events_and_missing_years() -> None:
    events = pd.DataFrame(
        [{"date": date(2025, 3, 1), "kind": "penalty", "role": None, "amount": 1e5, "status": "closed"}]
    )
    fl = flags_for("change", risk_events=events, missing_year_list=[2022])
    assert fl["recent_risk_events"].value == 1.0
    assert fl["financial_years_missing"].value == "2022"


def test_unknown_scenario_is_invalid_input() -> None:
    with pytest.raises(InvalidInput):
        flags_for("merger")


def test_conclusion_pass_when_clean() -> None:
    assert conclusion([Flag(code="x", severity="info")]) == "pass"


def test_flags_for_frames_matches_dd_content(sample_engine) -> None:
    from analytics.corporate import flags_for_frames
    from assistant.access import Caller
    from datastore.repositories.corporate import corporate_frames
    from datastore.repositories.meta import data_as_of
    from services.due_diligence import dd_content

    frames = corporate_frames(sample_engine, "E006")
    flags = flags_for_frames(frames, as_of=data_as_of(sample_engine), scenario="credit")
    content = dd_content(sample_engine, Caller.admin(), "E006", "credit")
    assert [f.code for f in flags] == [f.code for f in content.flags]
