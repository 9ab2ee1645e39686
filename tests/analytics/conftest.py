"""Tiny hand-computed market and client frames shared by the analytics tests (column names = schema)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from analytics.inputs import ClientBook, MarketFrames

AS_OF = date(2024, 12, 1)


def _h(fund, report, published, disclosure, rows):  # type: ignore[no-untyped-def]
    out = []
    for rank, (target, w) in enumerate(rows, start=1):
        is_fund = target.startswith("F:")
        out.append(
            {
                "fund_code": fund,
                "report_date": report,
                "published_on": published,
                "disclosure": disclosure,
                "rank": rank,
                "security_id": None if is_fund else target,
                "held_fund_code": target[2:] if is_fund else None,
                "weight": w,
            }
        )
    return out


@pytest.fixture(scope="session")
def tiny_market() -> MarketFrames:
    securities = pd.DataFrame(
        [
            ("S1", "贵州茅台", "stock", "801120"),
            ("S2", "招商银行", "stock", "801780"),
            ("S3", "立讯精密", "stock", "801080"),
            ("S4", "京东方A", "stock", "801080"),
            ("B1", "24国债01", "bond", None),
        ],
        columns=["id", "name", "kind", "industry_code"],
    )
    industries = pd.DataFrame(
        [("801120", "食品饮料"), ("801780", "银行"), ("801080", "电子")], columns=["code", "name"]
    )
    funds = pd.DataFrame(
        [
            ("F00001", "成长股票", "equity", False, None, "M1", "C1", "R4"),
            ("E00001", "沪深ETF", "index", True, None, "M2", "C2", "R4"),
            ("D00001", "沪深ETF联接", "feeder", False, "E00001", "M2", "C2", "R4"),
            ("B00001", "稳健债券", "bond", False, None, "M3", "C1", "R2"),
            ("A00001", "循环FOF甲", "fof", False, None, "M3", "C1", "R3"),
            ("A00002", "循环FOF乙", "fof", False, None, "M3", "C1", "R3"),
        ],
        columns=[
            "code",
            "name",
            "type",
            "is_etf",
            "target_fund_code",
            "manager_id",
            "company_id",
            "risk_level",
        ],
    )
    d = pd.Timestamp
    holdings = pd.DataFrame(
        _h(
            "F00001",
            d("2024-06-30"),
            d("2024-08-30"),
            "full",
            [("S1", 0.30), ("S2", 0.20), ("S3", 0.15), ("S4", 0.15), ("B1", 0.10)],
        )
        + _h("F00001", d("2024-09-30"), d("2024-10-20"), "top10", [("S1", 0.35), ("S2", 0.25)])
        + _h(
            "F00001", d("2024-12-31"), d("2025-01-20"), "top10", [("S1", 0.50)]
        )  # not yet published at AS_OF
        + _h("E00001", d("2024-06-30"), d("2024-08-30"), "full", [("S1", 0.50), ("S2", 0.45)])
        + _h("D00001", d("2024-06-30"), d("2024-08-30"), "full", [("F:E00001", 0.92)])
        + _h("A00001", d("2024-06-30"), d("2024-08-30"), "full", [("F:A00002", 0.50), ("S1", 0.10)])
        + _h("A00002", d("2024-06-30"), d("2024-08-30"), "full", [("F:A00001", 0.50)])
    )
    alloc = pd.DataFrame(
        [
            ("F00001", d("2024-09-30"), d("2024-10-20"), 0.85, 0.10, 0.0, 0.05, 0.0),
            ("E00001", d("2024-06-30"), d("2024-08-30"), 0.95, 0.0, 0.0, 0.05, 0.0),
            ("D00001", d("2024-06-30"), d("2024-08-30"), 0.0, 0.0, 0.92, 0.08, 0.0),
        ],
        columns=["fund_code", "report_date", "published_on", "stock", "bond", "fund", "cash", "other"],
    )
    return MarketFrames(
        funds=funds,
        fund_holdings=holdings,
        fund_asset_allocation=alloc,
        securities=securities,
        industries=industries,
        fund_managers=pd.DataFrame({"id": ["M1", "M2", "M3"], "name": ["张三", "李四", "王五"]}),
        fund_companies=pd.DataFrame({"id": ["C1", "C2"], "name": ["甲基金", "乙基金"]}),
    )


@pytest.fixture(scope="session")
def tiny_products() -> pd.DataFrame:
    return pd.DataFrame(
        [
            ("F00001", "成长股票", "fund", "F00001", "equity", "R4", 1, 1.0, None, None, "on_shelf"),
            ("D00001", "沪深ETF联接", "fund", "D00001", "equity", "R4", 1, 1.0, None, None, "on_shelf"),
            ("B00001", "稳健债券", "fund", "B00001", "fixed_income", "R2", 3, 1.0, None, None, "on_shelf"),
            (
                "TD3Y",
                "三年定期",
                "deposit",
                None,
                "cash",
                "R1",
                -1,
                50.0,
                0.02,
                date(2024, 12, 20),
                "on_shelf",
            ),
            ("WM01", "稳利理财", "wmp", None, "fixed_income", "R2", 7, 1.0, 0.03, None, "on_shelf"),
            ("INS01", "终身寿险", "insurance", None, "protection", "R1", -1, 1.0, None, None, "on_shelf"),
            ("X5", "量化对冲", "wmp", None, "alternative", "R5", 30, 1.0, None, None, "on_shelf"),
            ("OLD", "老理财", "wmp", None, "fixed_income", "R2", 7, 1.0, None, None, "off_shelf"),
        ],
        columns=[
            "code",
            "name",
            "kind",
            "fund_code",
            "asset_class",
            "risk_level",
            "liquidity_days",
            "min_amount",
            "expected_yield",
            "maturity_date",
            "status",
        ],
    )


@pytest.fixture(scope="session")
def tiny_client() -> pd.Series:
    return pd.Series(
        {
            "id": "C0001",
            "name": "张女士",
            "rm_id": "RM001",
            "risk_level": "C2",
            "risk_assessed_on": date(2024, 6, 1),
            "age": 45,
            "monthly_expense": 10_000.0,
            "annual_income": 300_000.0,
        }
    )


@pytest.fixture(scope="session")
def tiny_book(tiny_client, tiny_products) -> ClientBook:  # type: ignore[no-untyped-def]
    positions = pd.DataFrame(
        [
            ("F00001", 40_000.0, 35_000.0, 40_000.0),
            ("D00001", 30_000.0, 30_000.0, 30_000.0),
            ("B00001", 10_000.0, 10_000.0, 10_000.0),
            ("TD3Y", 20_000.0, 20_000.0, 20_000.0),
        ],
        columns=["product_code", "shares", "cost", "market_value"],
    )
    return ClientBook(client=tiny_client, positions=positions, products=tiny_products, as_of=AS_OF)
