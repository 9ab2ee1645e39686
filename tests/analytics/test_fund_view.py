"""``analytics.fund_view``: one fund's row of the exposures, grouped by Shenwan L1, on a hand-made frame."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from analytics.exposures import build_fund_exposures
from analytics.fund_view import UNCLASSIFIED, fund_lookthrough
from analytics.inputs import MarketFrames

D, P = date(2025, 6, 30), date(2025, 8, 31)


def _market() -> MarketFrames:
    h = pd.DataFrame([  # F1: full report; F2: top 10 only (two lines)
        ("F1", D, P, "full", 1, "S1", None, 0.30), ("F1", D, P, "full", 2, "S2", None, 0.20),
        ("F1", D, P, "full", 3, "S3", None, 0.10), ("F1", D, P, "full", 4, "B1", None, 0.25),
        ("F2", D, date(2025, 7, 21), "top10", 1, "S1", None, 0.08), ("F2", D, date(2025, 7, 21), "top10", 2, "S3", None, 0.05),
    ], columns=["fund_code", "report_date", "published_on", "disclosure", "rank", "security_id", "held_fund_code", "weight"])
    alloc = pd.DataFrame([("F1", D, P, 0.60, 0.25, 0.0, 0.12, 0.03)],
                         columns=["fund_code", "report_date", "published_on", "stock", "bond", "fund", "cash", "other"])
    return MarketFrames(
        funds=pd.DataFrame({"code": ["F1", "F2"], "name": ["甲基金", "乙基金"], "type": ["hybrid", "equity"],
                            "manager_id": ["M", "M"], "company_id": ["C", "C"]}),
        fund_holdings=h, fund_asset_allocation=alloc,
        securities=pd.DataFrame({"id": ["S1", "S2", "S3", "B1"], "name": ["一", "二", "三", "债"],
                                 "kind": ["stock", "stock", "stock", "bond"],
                                 "industry_code": ["801080", "801770", None, None]}),
        industries=pd.DataFrame({"code": ["801080", "801770"], "name": ["电子", "通信"]}))


def test_full_report_with_bond_cash_and_unclassified() -> None:
    ft = fund_lookthrough(build_fund_exposures(_market(), date(2025, 12, 31)), "F1", published_on=P)
    assert ft.method == "full" and ft.report_date == D and ft.published_on == P
    assert ft.coverage == pytest.approx(0.30 + 0.20 + 0.10 + 0.25 + 0.12)  # lines + the fund's cash (asset mix)
    assert ft.by_kind == pytest.approx({"stock": 0.60, "bond": 0.25, "cash": 0.12})
    assert [(i.name, round(i.weight, 10)) for i in ft.industries] == [("电子", 0.30), ("通信", 0.20), (UNCLASSIFIED, 0.10)]
    assert ft.unclassified == pytest.approx(0.10)
    assert sum(i.weight for i in ft.industries) + ft.by_kind["bond"] + ft.by_kind["cash"] == pytest.approx(ft.coverage)
    assert sum(i.share_of_covered_equity for i in ft.industries) == pytest.approx(1.0)


def test_top10_only_states_its_coverage() -> None:
    ft = fund_lookthrough(build_fund_exposures(_market(), date(2025, 12, 31)), "F2")
    assert ft.method == "top10" and ft.coverage == pytest.approx(0.13) and ft.uncovered == pytest.approx(0.87)
    assert ft.coverage_note_zh.startswith("穿透覆盖 13% 的净值") and "仅前十大" in ft.coverage_note_zh
    before = fund_lookthrough(build_fund_exposures(_market(), date(2025, 7, 20)), "F2")  # not yet published
    assert before.coverage == 0 and before.report_date is None and before.industries == []
