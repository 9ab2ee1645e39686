"""The bank's product shelf: funds (product code = fund code), 理财 (wmp), deposits, insurance.

Status ``on_shelf`` = the product is alive and offered or in its holding period; ``off_shelf`` = no
longer sold (matured 理财, funds the bank stopped distributing) but possibly still held by clients.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from datastore.sample.fund_plan import FUNDS
from datastore.sample.names import FUND_COMPANIES

AS_OF = date(2026, 11, 20)
WMP_ISSUER = "闽江理财有限责任公司"
INSURER = "安泰人寿保险股份有限公司"
OFF_SHELF_FUNDS = {"001114", "002213", "005504", "006602"}

# code, name, name_en, risk, asset_class, expected yield, issue date, term days (None = open-ended daily liquidity)
_WMP = [
    ("WM2021001", "闽江理财稳享一年期1号", "Minjiang Steady 1Y No.1", "R2", "fixed_income", 0.042, date(2021, 3, 10), 364),
    ("WM2022003", "闽江理财稳享两年期3号", "Minjiang Steady 2Y No.3", "R2", "fixed_income", 0.040, date(2022, 6, 15), 728),
    ("WM2023005", "闽江理财睿盈一年期5号", "Minjiang Ruiying 1Y No.5", "R3", "fixed_income", 0.036, date(2023, 9, 6), 364),
    ("WM2024006", "闽江理财稳享18个月6号", "Minjiang Steady 18M No.6", "R2", "fixed_income", 0.031, date(2025, 6, 10), 546),
    ("WM2025011", "闽江理财稳享一年期11号", "Minjiang Steady 1Y No.11", "R2", "fixed_income", 0.028, date(2026, 12, 22) - timedelta(days=364), 364),
    ("WM2025012", "闽江理财安鑫一年期12号", "Minjiang Anxin 1Y No.12", "R2", "fixed_income", 0.027, date(2027, 1, 12) - timedelta(days=364), 364),
    ("WM2025015", "闽江理财睿盈九个月15号", "Minjiang Ruiying 9M No.15", "R3", "fixed_income", 0.030, date(2026, 3, 2), 273),
    ("WM2026002", "闽江理财稳享一年期2号", "Minjiang Steady 1Y No.2", "R2", "fixed_income", 0.024, date(2026, 6, 8), 364),
    ("WM2026008", "闽江理财稳享两年期8号", "Minjiang Steady 2Y No.8", "R2", "fixed_income", 0.026, date(2026, 9, 14), 728),
    ("WM2026010", "闽江理财固收增强一年期10号", "Minjiang FI Plus 1Y No.10", "R3", "fixed_income", 0.029, date(2026, 10, 19), 364),
    ("WMCASH01", "闽江理财天天宝现金管理", "Minjiang Daily Cash Management", "R1", "cash", 0.0165, date(2020, 5, 6), None),
    ("WMOPEN02", "闽江理财周周享30天持有", "Minjiang 30-day Holding", "R2", "fixed_income", 0.022, date(2021, 8, 2), None),
]
_DEPOSITS = [
    ("TD1Y", "一年期整存整取定期存款", "1-year time deposit", "cash", 0.0145, 365, 50.0),
    ("TD3Y", "三年期整存整取定期存款", "3-year time deposit", "fixed_income", 0.0195, 1095, 50.0),
    ("LCD3Y", "个人大额存单(3年期)", "Large-denomination CD 3Y", "fixed_income", 0.0215, 1095, 200000.0),
    ("NTC7D", "七天通知存款", "7-day notice deposit", "cash", 0.0045, None, 50000.0),
]
_INSURANCE = [
    ("INS01", "安泰增额终身寿险(分红型)", "Antai Increasing Whole Life (participating)", "R1", "protection", 0.025),
    ("INS02", "安泰守护重大疾病保险", "Antai Guardian Critical Illness", "R1", "protection", None),
    ("INS03", "安泰金如意养老年金保险", "Antai Golden Annuity", "R1", "protection", 0.0275),
]


def _fund_asset_class(f) -> str:  # noqa: ANN001 - FundSpec
    if f.type == "money":
        return "cash"
    if f.type == "bond" or (f.type == "hybrid" and f.stock_share < 0.4) or (f.type == "fof" and f.risk <= "R2"):
        return "fixed_income"
    return "equity"


def generate_products() -> pd.DataFrame:
    rows = []
    company = {cid: name for cid, name, _en in FUND_COMPANIES}
    for f in FUNDS:
        liq = {"money": 1, "bond": 3, "qdii": 8}.get(f.type, 4)
        if f.code == "007701":
            liq = -1  # 三年持有期: locked until the holding period ends
        rows.append({"code": f.code, "name": f.name, "name_en": f.name_en, "kind": "fund", "fund_code": f.code,
                     "asset_class": _fund_asset_class(f), "risk_level": f.risk, "issuer": company[f.company],
                     "liquidity_days": liq, "min_amount": 10.0, "expected_yield": None, "issue_date": None,
                     "maturity_date": None, "term_days": None,
                     "status": "off_shelf" if f.code in OFF_SHELF_FUNDS else "on_shelf"})
    for code, name, en, risk, ac, y, issue, term in _WMP:
        maturity = issue + timedelta(days=term) if term else None
        rows.append({"code": code, "name": name, "name_en": en, "kind": "wmp", "fund_code": None, "asset_class": ac,
                     "risk_level": risk, "issuer": WMP_ISSUER, "liquidity_days": -1 if term else 1,
                     "min_amount": 10000.0 if term else 1.0, "expected_yield": y, "issue_date": issue,
                     "maturity_date": maturity, "term_days": term,
                     "status": "off_shelf" if maturity and maturity <= AS_OF else "on_shelf"})
    for code, name, en, ac, y, term, mn in _DEPOSITS:
        rows.append({"code": code, "name": name, "name_en": en, "kind": "deposit", "fund_code": None,
                     "asset_class": ac, "risk_level": "R1", "issuer": "本行", "liquidity_days": -1 if term else 7,
                     "min_amount": mn, "expected_yield": y, "issue_date": None, "maturity_date": None,
                     "term_days": term, "status": "on_shelf"})
    for code, name, en, risk, ac, ins_yield in _INSURANCE:
        rows.append({"code": code, "name": name, "name_en": en, "kind": "insurance", "fund_code": None,
                     "asset_class": ac, "risk_level": risk, "issuer": INSURER, "liquidity_days": -1,
                     "min_amount": 10000.0, "expected_yield": ins_yield, "issue_date": None, "maturity_date": None,
                     "term_days": None, "status": "on_shelf"})
    return pd.DataFrame(rows)
