"""RMs, clients, their transactions and idle cash, with designed scenarios.

``SCENARIOS`` names the clients built to show each situation; every scenario has at least one client in
RM001's book (C0001–C0040). Transactions start 2021-01 (≥3 years before AS_OF) and follow the rules
of ``positions.derive_positions``: fund buys at the day's unit NAV with the subscription fee
(net = amount/(1+fee), shares = net/NAV), sells with the redemption fee, cash dividends paid to holders
on ex-dates (shares × dividend per unit), splits applied to units (no transaction row). 理财/deposits/
insurance use price 1.0 per unit of principal; matured 理财 and deposits are sold at maturity with
their yield.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd

from core.identifiers import id_check_digit
from datastore.sample.fund_plan import FUNDS, fees
from datastore.sample.funds import FundData
from datastore.sample.names import BRANCHES, GIVEN_CHARS, OCCUPATIONS, REGION_CODES, SURNAMES

SEED = 20261122
AS_OF = date(2026, 11, 20)
TX_START = date(2021, 1, 4)

SCENARIOS: dict[str, list[str]] = {
    "loss": ["C0001", "C0041", "C0081", "C0121", "C0161"],  # bought equity near the 2021 peak, still under water
    "industry_concentration": ["C0002", "C0042", "C0082", "C0122", "C0162"],  # >50% look-through in 医药生物
    "manager_concentration": ["C0003", "C0043", "C0083", "C0123", "C0163"],  # most assets with manager M001
    "risk_mismatch": ["C0004", "C0044", "C0084", "C0124", "C0164"],  # C2 client holding R4/R5 funds
    "expired_assessment": ["C0005", "C0045", "C0085", "C0125", "C0165"],  # risk assessment > 12 months old
    "idle_cash": ["C0006", "C0046"],  # large current-account balance vs invested assets
    "wmp_maturing_30d": ["C0007", "C0047"],  # holds 理财 maturing within 30 days of AS_OF
    "wmp_maturing_60d": ["C0008", "C0048"],  # holds 理财 maturing in 31–60 days
    "elderly_high_risk": ["C0009", "C0049"],  # aged ≥70 holding R4 products (double-recording rule)
    "balanced": ["C0010", "C0050"],  # diversified, suitable, no flags (control case)
}
_TEMPLATE_OF = {cid: name for name, ids in SCENARIOS.items() for cid in ids}

RISK_PRODUCT_MAX = {"C1": "R1", "C2": "R2", "C3": "R3", "C4": "R4", "C5": "R5"}


@dataclass
class Plan:
    """Planned actions of one client: (date, product, 'buy', cash) or (date, product, 'sell', fraction)."""

    actions: list[tuple[date, str, str, float]] = field(default_factory=list)

    def buy(self, d: date, code: str, amount: float) -> None:
        self.actions.append((d, code, "buy", round(amount, -2)))

    def sell(self, d: date, code: str, fraction: float) -> None:
        self.actions.append((d, code, "sell", fraction))


def _person(rng: np.random.Generator) -> str:
    return str(rng.choice(SURNAMES)) + "".join(rng.choice(GIVEN_CHARS, size=int(rng.choice([1, 2], p=[0.3, 0.7]))))


def _life_stage(age: int) -> str:
    if age < 30:
        return "single"
    if age < 40:
        return "young_family"
    if age < 52:
        return "mature_family"
    if age < 60:
        return "pre_retirement"
    return "retired"


def _client_rows(rng: np.random.Generator, n: int) -> pd.DataFrame:
    rows = []
    forced = {"C0009": (74, "C4"), "C0049": (78, "C4"), "C0004": (45, "C2"), "C0044": (52, "C2"),
              "C0084": (61, "C2"), "C0124": (38, "C2"), "C0164": (49, "C2")}
    for i in range(n):
        cid = f"C{i + 1:04d}"
        age = int(np.clip(rng.normal(47, 13), 24, 85))
        risk = str(rng.choice(["C1", "C2", "C3", "C4", "C5"], p=[0.08, 0.25, 0.35, 0.22, 0.10]))
        if age >= 70 and risk in ("C4", "C5"):
            risk = "C3"
        tpl = _TEMPLATE_OF.get(cid)
        if tpl in ("loss", "industry_concentration", "manager_concentration"):
            risk = "C4"
        if tpl in ("balanced", "expired_assessment", "idle_cash"):
            risk = "C3"
        if tpl in ("wmp_maturing_30d", "wmp_maturing_60d"):
            risk = "C2"
        if cid in forced:
            age, risk = forced[cid]
        birth = AS_OF - timedelta(days=int(age * 365.25 + rng.integers(1, 360)))
        age = AS_OF.year - birth.year - ((AS_OF.month, AS_OF.day) < (birth.month, birth.day))
        assessed_age = int(rng.integers(15, 350)) if rng.random() > 0.12 else int(rng.integers(380, 900))
        if tpl == "expired_assessment":
            assessed_age = 400 + 25 * (int(cid[1:]) % 7)
        elif tpl is not None:
            assessed_age = 30 + int(cid[1:]) % 200
        gender = "M" if rng.random() < 0.5 else "F"
        seq = int(rng.integers(0, 500)) * 2 + (1 if gender == "M" else 0)  # 17th digit odd = male
        body = f"{rng.choice(REGION_CODES)}{birth:%Y%m%d}{seq:03d}"
        segment = str(rng.choice(["mass", "affluent", "private"], p=[0.45, 0.45, 0.10]))
        if tpl in ("idle_cash", "manager_concentration", "industry_concentration", "loss"):
            segment = "affluent"
        income = {"mass": rng.uniform(8e4, 2.5e5), "affluent": rng.uniform(2.5e5, 1.2e6),
                  "private": rng.uniform(1.2e6, 6e6)}[segment]
        occupation = "退休" if age >= 62 else str(rng.choice([o for o in OCCUPATIONS if o != "退休"]))
        rows.append({"id": cid, "name": _person(rng), "rm_id": f"RM{i // 40 + 1:03d}", "risk_level": risk,
                     "risk_assessed_on": AS_OF - timedelta(days=assessed_age), "birth_date": birth, "age": age,
                     "gender": gender, "occupation": occupation, "life_stage": _life_stage(age), "segment": segment,
                     "annual_income": round(float(income), -3),
                     "monthly_expense": round(float(income / 12 * rng.uniform(0.3, 0.6)), -2),
                     "id_number": body + id_check_digit(body),
                     "mobile": f"1{rng.choice(list('35789'))}{int(rng.integers(0, 10**9)):09d}"})
    return pd.DataFrame(rows)


def _trading_day_on_or_after(days: pd.DatetimeIndex, d: date) -> date:
    i = int(days.searchsorted(pd.Timestamp(d)))
    return days[min(i, len(days) - 1)].date()


def _designed_plan(tpl: str, cid: str, rng: np.random.Generator, days: pd.DatetimeIndex) -> Plan:
    p = Plan()
    k = 1 + (int(cid[1:]) % 5) * 0.4  # scale varies between clients of the same template
    td = lambda y, m, dd: _trading_day_on_or_after(days, date(y, m, dd))  # noqa: E731
    if tpl == "loss":
        p.buy(td(2021, 2, 8), "001101", 300000 * k)
        p.buy(td(2021, 2, 8), "005503", 200000 * k)  # held across its 2021-02-10 split
        p.buy(td(2021, 2, 18), "001114", 250000 * k)
        p.buy(td(2021, 11, 22), "515303", 150000 * k)
        p.buy(td(2021, 3, 1), "004401", 50000)
    elif tpl == "industry_concentration":
        p.buy(td(2022, 4, 27), "515302", 250000 * k)
        p.buy(td(2022, 5, 9), "001104", 200000 * k)
        p.buy(td(2023, 1, 16), "002208", 150000 * k)
        p.buy(td(2023, 6, 5), "008802", 100000 * k)
        p.buy(td(2022, 5, 9), "003301", 60000)
    elif tpl == "manager_concentration":
        p.buy(td(2022, 10, 31), "001101", 250000 * k)
        p.buy(td(2022, 11, 7), "001102", 200000 * k)
        p.buy(td(2023, 3, 6), "002201", 250000 * k)
        p.buy(td(2023, 3, 6), "004402", 40000)
    elif tpl == "risk_mismatch":
        p.buy(td(2022, 3, 14), "003302", 150000 * k)
        p.buy(td(2023, 5, 15), "001105", 120000 * k)
        p.buy(td(2024, 2, 5), "006601", 80000 * k)
        p.buy(td(2023, 5, 15), "004403", 50000)
    elif tpl in ("expired_assessment", "balanced", "idle_cash"):
        p.buy(td(2022, 11, 1), "003304", 150000 * k)
        p.buy(td(2022, 11, 1), "002202", 100000 * k)
        p.buy(td(2023, 2, 6), "007701", 80000 * k)
        p.buy(td(2023, 8, 1), "004404", 60000)
        p.buy(td(2024, 6, 3), "002212", 60000 * k)
        if tpl == "balanced":
            p.buy(td(2023, 12, 1), "TD3Y", 100000)
            p.buy(td(2024, 3, 1), "INS01", 50000)
        p.sell(td(2025, 5, 6), "003304", 0.3)
    elif tpl in ("wmp_maturing_30d", "wmp_maturing_60d"):
        wmp = ("WM2024006", "WM2025015") if tpl == "wmp_maturing_30d" else ("WM2025011", "WM2025012")
        p.buy(date(2025, 6, 10) if wmp[0] == "WM2024006" else date(2025, 12, 23), wmp[0], 300000 * k)
        p.buy(date(2026, 3, 2) if wmp[1] == "WM2025015" else date(2026, 1, 13), wmp[1], 200000)
        p.buy(date(2021, 3, 10), "WM2021001", 200000)
        p.buy(td(2022, 7, 4), "003303", 100000 * k)
        p.buy(td(2023, 4, 3), "004401", 80000)
    elif tpl == "elderly_high_risk":
        p.buy(td(2023, 6, 12), "001111", 200000 * k)
        p.buy(td(2023, 6, 12), "003308", 150000)
        p.buy(td(2024, 1, 8), "TD1Y", 100000)
        p.buy(td(2025, 1, 8), "TD1Y", 100000)
    return p


def _random_plan(client: dict, rng: np.random.Generator, days: pd.DatetimeIndex, products: pd.DataFrame) -> Plan:
    p = Plan()
    max_r = RISK_PRODUCT_MAX[client["risk_level"]]
    budget = {"mass": rng.uniform(1e5, 5e5), "affluent": rng.uniform(5e5, 4e6), "private": rng.uniform(6e6, 2.5e7)}[
        client["segment"]]
    shelf = products[(products["risk_level"] <= max_r) & (products["kind"].isin(["fund", "deposit", "insurance"]))]
    shelf = shelf[~shelf["code"].isin(["NTC7D"])]
    n = int(rng.integers(3, 8))
    picks = shelf.sample(n=min(n, len(shelf)), random_state=np.random.RandomState(int(rng.integers(1 << 30))))
    weights = rng.dirichlet(np.ones(len(picks)))
    inception = {f.code: f.inception for f in FUNDS}
    for (_, prod), w in zip(picks.iterrows(), weights, strict=True):
        start = max(TX_START, inception.get(prod["code"], TX_START) + timedelta(days=10))
        span = (date(2024, 6, 30) - start).days
        if span <= 0:
            continue
        d0 = _trading_day_on_or_after(days, start + timedelta(days=int(rng.integers(0, span))))
        if prod["kind"] == "deposit" and prod["term_days"] and d0 + timedelta(days=int(prod["term_days"])) <= AS_OF:
            d0 = _trading_day_on_or_after(days, AS_OF - timedelta(days=int(prod["term_days"]) - 30))
        p.buy(d0, prod["code"], max(float(prod["min_amount"]), budget * w * 0.7))
        if prod["kind"] == "fund":
            for _ in range(int(rng.integers(0, 3))):
                later = d0 + timedelta(days=int(rng.integers(30, 700)))
                if later < AS_OF - timedelta(days=5):
                    p.buy(_trading_day_on_or_after(days, later), prod["code"], budget * w * 0.15)
            if rng.random() < 0.3:
                later = d0 + timedelta(days=int(rng.integers(60, 900)))
                if later < AS_OF - timedelta(days=5):
                    p.sell(_trading_day_on_or_after(days, later), prod["code"], float(rng.choice([0.3, 0.5, 1.0])))
    # monthly 定投 (systematic investment) into one equity-like fund for about a quarter of clients
    sip_pool = shelf[(shelf["kind"] == "fund") & (shelf["asset_class"] == "equity") & (shelf["status"] == "on_shelf")]
    if not sip_pool.empty and rng.random() < 0.25:
        code = str(sip_pool["code"].iloc[int(rng.integers(len(sip_pool)))])
        start = max(date(2022, 1, 1), inception.get(code, TX_START) + timedelta(days=30))
        first = date(start.year, start.month, 1) + timedelta(days=int(rng.integers(0, 28)))
        monthly = max(500.0, round(budget * 0.004, -2))
        for k in range(int(rng.integers(18, 48))):
            y, m = first.year + (first.month - 1 + k) // 12, (first.month - 1 + k) % 12 + 1
            d = _trading_day_on_or_after(days, date(y, m, min(first.day, 28)))
            if d >= AS_OF:
                break
            p.buy(d, code, monthly)
    # a matured 理财 for some clients (shows sell-at-maturity rows)
    if max_r >= "R2" and rng.random() < 0.3:
        p.buy(date(2022, 6, 15), "WM2022003", round(budget * 0.1, -4) or 10000)
    if max_r >= "R2" and rng.random() < 0.25:
        p.buy(date(2026, 6, 8), "WM2026002", max(10000.0, round(budget * 0.1, -4)))
    return p


def generate_clients(funds: FundData, products: pd.DataFrame, days: pd.DatetimeIndex,
                     n_clients: int = 200) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(SEED)
    rms = pd.DataFrame([{"id": f"RM{i + 1:03d}", "name": _person(rng), "branch": BRANCHES[i]} for i in range(5)])
    clients = _client_rows(rng, n_clients)
    txns: list[dict] = []
    events = _fund_events(funds)
    for client in clients.to_dict("records"):
        tpl = _TEMPLATE_OF.get(client["id"])
        plan = _designed_plan(tpl, client["id"], rng, days) if tpl else _random_plan(client, rng, days, products)
        txns.extend(_execute(client["id"], plan, funds, products, events))
    tx = pd.DataFrame(txns)
    order = {"buy": 0, "dividend": 1, "sell": 2, "fee": 3}
    tx = tx.assign(_o=tx["type"].map(order)).sort_values(["date", "client_id", "product_code", "_o"], kind="stable")
    tx = tx.drop(columns="_o").reset_index(drop=True)
    tx.insert(0, "id", np.arange(1, len(tx) + 1))
    cash = _cash(rng, clients)
    return {"rms": rms, "clients": clients, "transactions": tx, "client_cash": cash}


def _execute(cid: str, plan: Plan, funds: FundData, products: pd.DataFrame,
             fund_events: dict[str, list[tuple[date, str, float]]]) -> list[dict]:
    """Run a plan chronologically per product, adding dividends, splits and maturities."""
    prod = products.set_index("code")
    fee_of = {f.code: f for f in FUNDS}
    out: list[dict] = []
    by_code: dict[str, list[tuple[date, str, float]]] = {}
    for d, code, action, value in plan.actions:
        by_code.setdefault(code, []).append((d, action, value))
    for code, acts in by_code.items():
        acts.sort()
        kind = prod.loc[code, "kind"]
        if kind != "fund":
            out.extend(_execute_fixed(cid, code, acts, prod.loc[code]))
            continue
        _mg, _cu, sub, red = fees(fee_of[code])
        unit = funds.unit_nav[code]
        events = fund_events[code]
        shares = 0.0
        timeline = sorted([(d, 0 if a in ("split", "dividend") else 1, a, v) for d, a, v in events + acts])
        for d, _prio, action, value in timeline:
            if d > AS_OF:
                continue
            if action == "split":
                shares = round(shares * value, 2)
            elif action == "dividend" and shares > 0:
                out.append(_tx(cid, code, d, "dividend", round(shares * value, 2), 0.0, None, 0.0))
            elif action == "buy":
                nav = float(unit.loc[pd.Timestamp(d)])
                fee = round(value - value / (1 + sub), 2)
                new = round((value - fee) / nav, 2)
                shares += new
                out.append(_tx(cid, code, d, "buy", value, new, nav, fee))
            elif action == "sell" and shares > 0:
                nav = float(unit.loc[pd.Timestamp(d)])
                sold = shares if value >= 1 else round(shares * value, 2)
                gross = sold * nav
                fee = round(gross * red, 2)
                shares = round(shares - sold, 2)
                out.append(_tx(cid, code, d, "sell", round(gross - fee, 2), sold, nav, fee))
    return out


def _fund_events(funds: FundData) -> dict[str, list[tuple[date, str, float]]]:
    """Dividend and split days of every fund: code → [(date, "dividend"|"split", value)]."""
    out = {}
    for code in funds.dividends.columns:
        div, spl = funds.dividends[code], funds.splits[code]
        ev = [(ts.date(), "dividend", float(v)) for ts, v in div[div > 0].items()]
        out[code] = ev + [(ts.date(), "split", float(v)) for ts, v in spl.dropna().items()]
    return out


def _execute_fixed(cid: str, code: str, acts: list[tuple[date, str, float]], prod: pd.Series) -> list[dict]:
    out = []
    for d, action, value in acts:
        if action != "buy":
            continue
        buy_day = d
        out.append(_tx(cid, code, buy_day, "buy", value, value, 1.0, 0.0))
        if prod["kind"] == "insurance":  # annual premiums until AS_OF, 3 payments at most
            for yr in (1, 2):
                nxt = date(buy_day.year + yr, buy_day.month, min(buy_day.day, 28))
                if nxt <= AS_OF:
                    out.append(_tx(cid, code, nxt, "buy", value, value, 1.0, 0.0))
            continue
        term = prod["term_days"]
        if term and not pd.isna(term):
            maturity = prod["maturity_date"] if prod["kind"] == "wmp" else buy_day + timedelta(days=int(term))
            if maturity is not None and maturity <= AS_OF:
                gross = 1 + float(prod["expected_yield"]) * int(term) / 365
                out.append(_tx(cid, code, maturity, "sell", round(value * gross, 2), value, round(gross, 6), 0.0))
    return out


def _tx(cid: str, code: str, d: date, typ: str, amount: float, shares: float, price: float | None,
        fee: float) -> dict:
    return {"client_id": cid, "product_code": code, "date": d, "type": typ, "amount": round(float(amount), 2),
            "shares": round(float(shares), 2), "price": price, "fee": round(float(fee), 2)}


def _cash(rng: np.random.Generator, clients: pd.DataFrame) -> pd.DataFrame:
    """Month-end current-account balances for the last six months plus the as-of date."""
    dates = [date(2026, m, d) for m, d in ((5, 29), (6, 30), (7, 31), (8, 31), (9, 30), (10, 30))] + [AS_OF]
    rows = []
    for c in clients.to_dict("records"):
        base = {"mass": 3e4, "affluent": 1.5e5, "private": 8e5}[c["segment"]] * rng.uniform(0.3, 1.5)
        if _TEMPLATE_OF.get(c["id"]) == "idle_cash":
            base = 1.2e6 + 1e5 * (int(c["id"][1:]) % 5)
        for d in dates:
            rows.append({"client_id": c["id"], "as_of": d, "balance": round(float(base * rng.uniform(0.9, 1.1)), 2)})
    return pd.DataFrame(rows)
