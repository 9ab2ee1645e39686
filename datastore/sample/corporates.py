"""Corporates for due diligence: E001…E014 from healthy to distressed.

Credit codes are valid GB 32100 codes whose positions 9–17 carry a valid GB 11714 organisation code.
Credit: E001–E004, E012 and E013 renewed their working-capital loan (clean files); the others still carry
a balance on a facility past its maturity. Shareholders: E013 and E004 sit in a small group (see
``_GROUP_HOLDERS``), so ownership chains run through intermediate companies. Financial statements
(2023–2025) come from a small driver model (revenue growth, margins, leverage) per profile, so the ratios
tell a coherent story. Missing data is NULL, never 0:
E011 has no 2025 statement at all (row absent) and E012 lacks 2024 cash-flow figures.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from core.identifiers import CREDIT_ALPHABET, credit_code_check_digit, org_code_check_digit

SEED = 20261123

# id, name, industry, profile, legal rep, region code, founded, registered capital (yuan), listed
_CORPS = [
    ("E001", "福建华鼎精密机械股份有限公司", "801890", "healthy", "陈建华", "350100", date(2003, 5, 12), 3.2e8, True),
    ("E002", "厦门远望光电科技有限公司", "801080", "healthy", "林晓东", "350200", date(2010, 8, 3), 1.5e8, False),
    ("E003", "泉州恒通纺织服饰有限公司", "801130", "stable", "黄丽萍", "350500", date(1998, 3, 20), 8.0e7, False),
    ("E004", "福州海川食品有限公司", "801120", "healthy", "吴志强", "350100", date(2006, 11, 8), 5.0e7, False),
    ("E005", "漳州嘉禾农业发展有限公司", "801010", "stable", "郑国平", "350600", date(2012, 4, 16), 3.0e7, False),
    ("E006", "福建星河新能源科技股份有限公司", "801730", "growth_strained", "许文博", "350100", date(2015, 9, 1),
     2.0e8, True),
    ("E007", "莆田永信鞋业有限公司", "801130", "weakening", "蔡永信", "350300", date(2001, 7, 25), 4.0e7, False),
    ("E008", "福建南岭建工集团有限公司", "801720", "weakening", "罗建国", "350100", date(1995, 12, 5), 5.0e8, False),
    ("E009", "三明宏达钢铁有限公司", "801040", "distressed", "高宏达", "350400", date(2004, 2, 18), 6.0e8, False),
    ("E010", "福州鑫达置业有限公司", "801180", "distressed", "何鑫", "350100", date(2008, 6, 30), 1.0e9, False),
    ("E011", "龙岩锦程环保科技有限公司", "801970", "stable", "谢锦程", "350800", date(2016, 10, 10), 2.0e7, False),
    ("E012", "宁德众合物流有限公司", "801170", "stable", "宋志远", "350900", date(2011, 1, 6), 6.0e7, False),
    ("E013", "厦门启明软件信息技术有限公司", "801750", "healthy", "唐启明", "350200", date(2013, 3, 14), 1.0e8, False),
    ("E014", "南平立方化工有限公司", "801030", "distressed", "冯立方", "350700", date(2007, 9, 9), 1.2e8, False),
]

# profile → (base revenue, growth by year, gross margin, opex ratio, debt/assets, asset turnover, cfo/np)
_PROFILES = {
    "healthy": (8e8, (0.12, 0.10, 0.09), 0.32, 0.16, 0.38, 0.85, 1.15),
    "stable": (3e8, (0.04, 0.03, 0.02), 0.24, 0.15, 0.50, 0.90, 0.95),
    "growth_strained": (1.2e9, (0.45, 0.10, -0.12), 0.20, 0.13, 0.68, 0.60, 0.40),
    "weakening": (6e8, (-0.03, -0.10, -0.15), 0.17, 0.14, 0.66, 0.70, 0.60),
    "distressed": (1.0e9, (-0.12, -0.25, -0.30), 0.08, 0.15, 0.86, 0.45, -0.50),
}
# A small group, so the ownership look-through has chains through intermediate companies: 华鼎精密 (E001)
# holds 60% of 启明软件 (E013), whose beneficial owners are then 陈建华 (0.52 × 0.60 = 31.2%, through E001)
# and 唐启明 (25% directly); 启明软件 in turn holds 55% of 海川食品 (E004), three layers below 陈建华
# (0.52 × 0.60 × 0.55 = 17.2%, under the 25% line), whose only beneficial owner is 吴志强 (35% directly).
_GROUP_HOLDERS: dict[str, list[dict]] = {
    "E013": [
        {"name": "福建华鼎精密机械股份有限公司", "kind": "company", "share": 0.60, "pledged_share": 0.0},
        {"name": "唐启明", "kind": "person", "share": 0.25, "pledged_share": 0.0},
        {"name": "厦门启明投资合伙企业(有限合伙)", "kind": "company", "share": 0.15, "pledged_share": 0.0},
    ],
    "E004": [
        {"name": "厦门启明软件信息技术有限公司", "kind": "company", "share": 0.55, "pledged_share": 0.0},
        {"name": "吴志强", "kind": "person", "share": 0.35, "pledged_share": 0.0},
        {"name": "福州市国有资本投资运营有限公司", "kind": "state", "share": 0.10, "pledged_share": 0.0},
    ],
}
# Companies whose first working-capital loan (2024-03-15 → 2026-03-14) was neither repaid nor renewed: it is
# past maturity with a balance, which due diligence flags. The others renewed it on 2026-03-15 for a year.
_LAPSED = {"E005", "E006", "E007", "E008", "E009", "E010", "E011", "E014"}
LENDERS = ["本行", "中国工商银行福州分行", "兴业银行福州分行", "招商银行厦门分行", "福建海峡银行"]


def credit_code(rng: np.random.Generator, region: str) -> str:
    """A synthetic but valid 统一社会信用代码: 9 (工商) 1 (企业) + region + org code + check."""
    body8 = "".join(str(int(d)) for d in rng.integers(0, 10, 8))
    org = body8 + org_code_check_digit(body8)
    if org[-1] not in CREDIT_ALPHABET:  # "X" is allowed in GB 32100; kept for completeness
        raise AssertionError(org)
    first17 = f"91{region}{org}"
    return first17 + credit_code_check_digit(first17)


def _statements(rng: np.random.Generator, cid: str, profile: str) -> list[dict]:
    base, growth, gm, opex, da, turn, cfo_np = _PROFILES[profile]
    rev = base * rng.uniform(0.7, 1.3)
    rows = []
    for k, year in enumerate((2023, 2024, 2025)):
        rev *= 1 + growth[k] + rng.normal(0, 0.01)
        margin = gm - (0.03 * k if profile in ("distressed", "weakening") else 0) + rng.normal(0, 0.005)
        cogs = rev * (1 - margin)
        sell, adm, rd = rev * opex * 0.4, rev * opex * 0.4, rev * opex * 0.2
        total_assets = rev / turn
        debt_ratio = min(0.97, da + (0.04 * k if profile == "distressed" else 0))
        liabilities = total_assets * debt_ratio
        interest_bearing = liabilities * (0.55 if profile in ("distressed", "growth_strained") else 0.40)
        interest = interest_bearing * (0.065 if profile == "distressed" else 0.045)
        op = rev - cogs - sell - adm - rd - interest
        total_profit = op + rev * rng.normal(0.002, 0.001)
        tax = max(0.0, total_profit * 0.25)
        net = total_profit - tax
        cfo = net * cfo_np if net > 0 else net * 0.6 - rev * 0.02
        cur_assets = total_assets * 0.55
        rows.append({
            "corporate_id": cid, "year": year, "revenue": rev, "cogs": cogs, "selling_expense": sell,
            "admin_expense": adm, "rd_expense": rd, "interest_expense": interest, "operating_profit": op,
            "total_profit": total_profit, "income_tax": tax, "net_profit": net,
            "cash": cur_assets * (0.25 if profile in ("healthy", "stable") else 0.06),
            "receivables": rev * (0.18 if profile == "healthy" else 0.35 if profile != "stable" else 0.22),
            "inventory": cogs * (0.15 if profile == "healthy" else 0.30), "current_assets": cur_assets,
            "fixed_assets": total_assets * 0.35, "total_assets": total_assets,
            "short_term_debt": interest_bearing * 0.6, "payables": liabilities * 0.25,
            "current_liabilities": liabilities * 0.65, "long_term_debt": interest_bearing * 0.4,
            "total_liabilities": liabilities, "equity": total_assets - liabilities, "cfo": cfo,
            "cfi": -total_assets * 0.06, "cff": total_assets * (0.04 if profile != "healthy" else -0.02),
            "capex": total_assets * 0.06, "depreciation": total_assets * 0.035, "taxes_paid": tax * 0.95 + rev * 0.01,
            "principal_due_next_year": interest_bearing * (0.45 if profile == "distressed" else 0.30),
        })
    for r in rows:
        for key, v in r.items():
            if isinstance(v, float):
                r[key] = round(v, -2)
    return rows


def generate_corporates() -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(SEED)
    corps, fins, holders, events, credit = [], [], [], [], []
    for cid, name, ind, profile, rep, region, founded, cap, listed in _CORPS:
        status = "存续"
        corps.append({"id": cid, "name": name, "credit_code": credit_code(rng, region), "legal_rep": rep,
                      "registered_capital": cap, "founded": founded, "industry_code": ind, "status": status,
                      "address": f"福建省{name[:2]}市高新区创业路{int(rng.integers(1, 300))}号",
                      "business_scope": f"{name[2:-6] if name.endswith('有限公司') else name}相关产品的研发、生产与销售；"
                                        "货物及技术进出口（依法须经批准的项目，经相关部门批准后方可开展经营活动）。",
                      "listed": listed})
        stm = _statements(rng, cid, profile)
        if cid == "E011":
            stm = stm[:2]  # the 2025 annual statement was never filed
        if cid == "E012":
            for k in ("cfo", "cfi", "cff", "capex", "taxes_paid"):
                stm[1][k] = None  # 2024 cash-flow statement missing
        fins.extend(stm)
        pledge = {"distressed": 0.85, "weakening": 0.45, "growth_strained": 0.6}.get(profile, 0.0)
        holders.extend({"corporate_id": cid, **h} for h in _GROUP_HOLDERS.get(cid) or [
            {"name": rep, "kind": "person", "share": 0.52, "pledged_share": pledge},
            {"name": f"{name[:2]}{rep[1:]}投资合伙企业(有限合伙)", "kind": "company", "share": 0.28,
             "pledged_share": pledge / 2},
            {"name": f"{name[:2]}市国有资本投资运营有限公司", "kind": "state", "share": 0.20, "pledged_share": 0.0},
        ])
        events.extend(_events(cid, profile))
        credit.extend(_credit(rng, cid, profile, stm[-1]["revenue"] or 1e8))
    ev = pd.DataFrame(events)
    ev.insert(0, "id", np.arange(1, len(ev) + 1))
    cr = pd.DataFrame(credit)
    cr.insert(0, "id", np.arange(1, len(cr) + 1))
    return {"corporates": pd.DataFrame(corps), "corporate_financials": pd.DataFrame(fins),
            "corporate_shareholders": pd.DataFrame(holders), "corporate_risk_events": ev, "corporate_credit": cr}


def _events(cid: str, profile: str) -> list[dict]:
    ev = []
    if profile in ("weakening", "distressed", "growth_strained"):
        ev.append({"corporate_id": cid, "date": date(2025, 8, 14), "kind": "lawsuit", "role": "defendant",
                   "amount": 1.8e7 if profile == "distressed" else 4.5e6, "description": "买卖合同纠纷，供应商起诉追讨货款",
                   "status": "open"})
        ev.append({"corporate_id": cid, "date": date(2024, 11, 2), "kind": "pledge", "role": None, "amount": None,
                   "description": "控股股东股权质押", "status": "open"})
    if profile == "distressed":
        ev += [
            {"corporate_id": cid, "date": date(2026, 3, 20), "kind": "enforcement", "role": None, "amount": 2.6e7,
             "description": "被列为被执行人（金融借款合同纠纷）", "status": "open"},
            {"corporate_id": cid, "date": date(2026, 7, 8), "kind": "dishonest", "role": None, "amount": 2.6e7,
             "description": "被列入失信被执行人名单：有履行能力而拒不履行生效法律文书确定义务", "status": "open"},
            {"corporate_id": cid, "date": date(2025, 6, 30), "kind": "abnormal", "role": None, "amount": None,
             "description": "未按规定公示年度报告，列入经营异常名录", "status": "open"},
            {"corporate_id": cid, "date": date(2025, 4, 18), "kind": "penalty", "role": None, "amount": 3.0e5,
             "description": "环保行政处罚：超标排放", "status": "closed"},
        ]
    if profile in ("healthy", "stable"):
        ev.append({"corporate_id": cid, "date": date(2024, 5, 9), "kind": "lawsuit", "role": "plaintiff",
                   "amount": 8.0e5, "description": "起诉客户追讨应收账款", "status": "closed"})
    return ev


def _credit(rng: np.random.Generator, cid: str, profile: str, revenue: float) -> list[dict]:
    overdue, max24, cls = {"healthy": (0, 0, "正常"), "stable": (0, 0, "正常"), "growth_strained": (0, 35, "关注"),
                           "weakening": (15, 62, "关注"), "distressed": (97, 180, "次级")}[profile]
    rows = []
    for j, ftype in enumerate(["流动资金贷款", "银行承兑汇票", "固定资产贷款"][: 2 + (profile != "healthy")]):
        limit = round(revenue * (0.12 + 0.05 * j), -4)
        util = {"healthy": 0.45, "stable": 0.6, "growth_strained": 0.92, "weakening": 0.95, "distressed": 1.0}[profile]
        rows.append({"corporate_id": cid, "lender": LENDERS[(j + int(cid[1:])) % len(LENDERS)], "facility_type": ftype,
                     "limit_amount": limit, "balance": round(limit * util * float(rng.uniform(0.9, 1.0)), -2),
                     "start_date": date(2024 + j % 2, 3 + j, 15) if j or cid in _LAPSED else date(2026, 3, 15),
                     "maturity_date": date(2026 + j, 3 + j, 14) if j or cid in _LAPSED else date(2027, 3, 14),
                     "overdue_days": overdue if j == 0 else 0, "max_overdue_days_24m": max24 if j == 0 else 0,
                     "classification": cls if j == 0 else "正常",
                     "guarantee": ["保证（控股股东连带责任）", "质押（存单）", "抵押（厂房土地）"][j]})
    return rows
