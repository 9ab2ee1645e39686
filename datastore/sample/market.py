"""Market side of the sample book: industries, securities, daily prices, indices, index weights.

Return model (daily, simple returns):
    stock  r = β_ind·m_t + f_ind,t + ε_i,t   (clipped to the ±10% / ±20% price limits)
    bond   r = carry/252 − duration·Δy_t − spread_duration·Δs_t
    cash   r = money_rate_t/252
m_t is a market factor with scripted regimes (2020 rebound, 2022 drawdown, Sept-2024 rally …),
f_ind a sector factor with scripted booms and busts, ε idiosyncratic. Prices are rounded to 2 dp
(stocks) or 4 dp (bonds, cash) and every downstream return (indices, funds) is computed from the
*stored* rounded prices, so holdings and NAVs are exactly consistent with ``security_prices``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from datastore.sample.calendar import START, trading_days
from datastore.sample.names import INDUSTRIES, INDUSTRY_SUFFIXES, NAME_PREFIXES

SEED = 20261120
EQUITY_INDEX = "000300"
BOND_INDEX = "CBA00101"
INDEX_NAMES = {EQUITY_INDEX: "沪深300 (sample, cap-weighted over the sample A-shares)",
               BOND_INDEX: "中债综合 (sample, equal-weighted sample bonds)"}

# Market factor: (from date, annualised log drift).
_MARKET_REGIMES = [
    ("2020-01-02", 0.05), ("2020-01-20", -1.20), ("2020-03-24", 0.60), ("2021-02-18", -0.15),
    ("2022-01-04", -0.35), ("2022-11-01", 0.20), ("2023-02-01", -0.12), ("2024-01-02", -0.15),
    ("2024-09-24", 2.00), ("2024-10-09", 0.08), ("2025-04-07", 0.22), ("2026-01-05", 0.05),
]
# Sector booms/busts: industry code → [(from, to, annualised extra log drift)].
_SECTOR_REGIMES: dict[str, list[tuple[str, str, float]]] = {
    "801120": [("2020-04-01", "2021-02-18", 0.55), ("2021-02-19", "2024-09-20", -0.22)],
    "801730": [("2020-06-01", "2021-11-30", 0.55), ("2022-01-04", "2024-06-28", -0.30), ("2025-06-03", "2026-11-20", 0.15)],
    "801180": [("2021-06-01", "2024-09-20", -0.30)],
    "801950": [("2021-03-01", "2022-12-30", 0.40), ("2024-06-03", "2025-12-31", -0.12)],
    "801150": [("2020-02-03", "2021-06-30", 0.40), ("2021-07-01", "2024-01-31", -0.25), ("2025-01-02", "2025-09-30", 0.30)],
    "801750": [("2023-01-03", "2023-06-30", 0.70), ("2025-01-02", "2025-12-31", 0.20)],
    "801770": [("2023-01-03", "2023-06-30", 0.60), ("2025-01-02", "2026-06-30", 0.45)],
    "801760": [("2023-01-03", "2023-06-30", 0.60)],
    "801080": [("2020-01-02", "2020-07-31", 0.35), ("2025-01-02", "2026-06-30", 0.30)],
    "801780": [("2023-01-03", "2025-12-31", 0.15)],
    "801740": [("2025-04-07", "2025-12-31", 0.35)],
    "801050": [("2020-07-01", "2021-09-30", 0.35), ("2025-01-02", "2026-11-20", 0.25)],
}
# 10-year-like yield path: (date, level) knots, linearly interpolated.
_YIELD_KNOTS = [("2020-01-02", 0.0315), ("2020-04-30", 0.0255), ("2020-11-30", 0.0330), ("2021-12-31", 0.0278),
                ("2022-12-30", 0.0285), ("2023-12-29", 0.0256), ("2024-12-31", 0.0168), ("2025-09-30", 0.0182),
                ("2026-11-20", 0.0178)]


@dataclass
class MarketData:
    """Everything downstream generators need, in wide (date × security) form."""

    days: pd.DatetimeIndex
    securities: pd.DataFrame  # schema columns of ``securities``
    prices: pd.DataFrame  # index days, columns security ids (rounded, as stored)
    shares_out: pd.Series  # A-share stocks: shares outstanding (fixed), for cap weights
    money_rate: pd.Series  # annual money-market rate per day (fraction)
    tables: dict[str, pd.DataFrame]  # industries, securities, security_prices, index_levels, index_weights


def _piecewise(days: pd.DatetimeIndex, regimes: list[tuple[str, float]]) -> np.ndarray:
    out = np.zeros(len(days))
    for start, drift in regimes:
        out[days >= pd.Timestamp(start)] = drift
    return out


def _stock_universe(rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    used_names: set[str] = set()
    boards = [("60", "SH", 0.10), ("00", "SZ", 0.10), ("30", "SZ", 0.20), ("68", "SH", 0.20)]
    used_codes: set[str] = set()
    for k, (code, _name, _en, _beta) in enumerate(INDUSTRIES):
        for j in range(10):
            prefix = NAME_PREFIXES[(k * 7 + j * 3) % len(NAME_PREFIXES)]
            suffix = INDUSTRY_SUFFIXES[code][j % 5]
            name = prefix + suffix
            while name in used_names:
                prefix = NAME_PREFIXES[int(rng.integers(len(NAME_PREFIXES)))]
                name = prefix + suffix
            used_names.add(name)
            head, market, limit = boards[int(rng.choice(4, p=[0.45, 0.3, 0.15, 0.10]))]
            if head == "60":
                head = str(rng.choice(["600", "601", "603"]))
            elif head == "00":
                head = str(rng.choice(["000", "002"]))
            else:
                head = head + "0" if head == "30" else "688"
            while True:
                sid = f"{head}{int(rng.integers(0, 10 ** (6 - len(head)))):0{6 - len(head)}d}.{market}"
                if sid not in used_codes:
                    break
            used_codes.add(sid)
            rows.append({"id": sid, "name": name, "kind": "stock", "industry_code": code, "bond_type": None,
                         "rating": None, "market": market, "_limit": limit})
    return pd.DataFrame(rows)


_FOREIGN = [  # fictional HK/US names held by the QDII funds; industry = nearest Shenwan L1
    ("00712.HK", "腾远控股", "801760", "HK"), ("09981.HK", "阿里云创", "801200", "HK"), ("03698.HK", "美点科技", "801210", "HK"),
    ("01820.HK", "港华银行", "801780", "HK"), ("02331.HK", "李源体育", "801130", "HK"), ("00887.HK", "中港保险", "801790", "HK"),
    ("01216.HK", "比亚能源", "801880", "HK"), ("00955.HK", "港铁通", "801170", "HK"), ("02276.HK", "百健医疗", "801150", "HK"),
    ("06618.HK", "京康健康", "801150", "HK"),
    ("NVDX.US", "Novidex Semiconductor", "801080", "US"), ("MSFX.US", "Microsolv Software", "801750", "US"),
    ("APLX.US", "Applex Devices", "801080", "US"), ("AMZX.US", "Amazix Commerce", "801200", "US"),
    ("GOGX.US", "Googlex Media", "801760", "US"), ("METX.US", "Metax Platforms", "801760", "US"),
    ("TSLX.US", "Teslux Motors", "801880", "US"), ("JPMX.US", "JPMX Bancorp", "801780", "US"),
    ("LLYX.US", "Lillex Pharma", "801150", "US"), ("XOMX.US", "Exxel Energy", "801960", "US"),
]


def _bond_universe(rng: np.random.Generator, stocks: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for i in range(12):
        yr = 18 + i % 2
        rows.append({"id": f"{yr}00{i + 1:02d}.IB", "name": f"{yr}附息国债{i + 1:02d}", "bond_type": "government",
                     "rating": None, "industry_code": None, "market": "IB"})
    banks = [("国开", "02"), ("进出", "03"), ("农发", "04")]
    for i in range(12):
        short, mid = banks[i % 3]
        yr = 18 + i % 2
        rows.append({"id": f"{yr}{mid}{i + 10:02d}.IB", "name": f"{yr}{short}{i + 10:02d}", "bond_type": "policy_bank",
                     "rating": None, "industry_code": None, "market": "IB"})
    issuers = stocks.sample(n=26, random_state=np.random.RandomState(7)).reset_index(drop=True)
    ratings = ["AAA"] * 10 + ["AA+"] * 9 + ["AA"] * 5 + ["AA-"] * 2
    for i, iss in issuers.iterrows():
        yr = 18 + i % 2
        kind = "MTN" if i % 2 else "PPN"
        rows.append({"id": f"10{yr}{i:02d}.IB",
                     "name": f"{yr}{iss['name']}{kind}00{1 + i % 3}", "bond_type": "credit",
                     "rating": ratings[i], "industry_code": iss["industry_code"], "market": "IB"})
    conv = stocks.sample(n=6, random_state=np.random.RandomState(11)).reset_index(drop=True)
    for i, und in conv.iterrows():
        market = und["market"]
        sid = f"{'113' if market == 'SH' else '123'}{5 + i:03d}.{market}"
        rows.append({"id": sid, "name": f"{und['name']}转债", "bond_type": "convertible", "rating": "AA",
                     "industry_code": und["industry_code"], "market": market, "_underlying": und["id"]})
    out = pd.DataFrame(rows)
    out["kind"] = "bond"
    return out


def generate_market() -> MarketData:
    rng = np.random.default_rng(SEED)
    days = trading_days(START, date(2026, 11, 20))
    n = len(days)

    stocks = _stock_universe(rng)
    foreign = pd.DataFrame([{"id": i, "name": nm, "kind": "stock", "industry_code": ind, "bond_type": None,
                             "rating": None, "market": mk, "_limit": 0.5} for i, nm, ind, mk in _FOREIGN])
    bonds = _bond_universe(rng, stocks)
    cash = pd.DataFrame([
        {"id": "CASH.DEP", "name": "银行存款", "kind": "cash", "market": "IB", "_spread": 0.0000},
        {"id": "CASH.REPO", "name": "买入返售金融资产", "kind": "cash", "market": "IB", "_spread": 0.0004},
        {"id": "CASH.NCD", "name": "同业存单(3个月)", "kind": "cash", "market": "IB", "_spread": 0.0010},
        {"id": "CASH.RES", "name": "结算备付金", "kind": "cash", "market": "IB", "_spread": -0.0020},
    ])

    # ---- factors
    mkt = _piecewise(days, _MARKET_REGIMES) / 252 + rng.normal(0, 0.0115, n)
    glob = _piecewise(days, [("2020-01-02", 0.10), ("2020-02-20", -2.0), ("2020-03-24", 0.35), ("2022-01-03", -0.25),
                             ("2023-01-03", 0.25), ("2026-01-05", 0.08)]) / 252 + rng.normal(0, 0.010, n)
    glob += 0.25 * (mkt - mkt.mean())
    ind_codes = [c for c, *_ in INDUSTRIES]
    betas = {c: b for c, _, _, b in INDUSTRIES}
    ind_factor: dict[str, np.ndarray] = {}
    for code in ind_codes:
        drift = np.zeros(n)
        for a, b, d in _SECTOR_REGIMES.get(code, []):
            drift[(days >= pd.Timestamp(a)) & (days <= pd.Timestamp(b))] += d
        ind_factor[code] = drift / 252 + rng.normal(0, 0.0075, n)

    # ---- stocks
    rets = np.empty((n, len(stocks)))
    for j, s in stocks.iterrows():
        idio = rng.normal(0, rng.uniform(0.011, 0.019), n)
        beta = betas[s["industry_code"]] * rng.uniform(0.85, 1.15)
        rets[:, j] = np.clip(beta * mkt + ind_factor[s["industry_code"]] + idio, -s["_limit"], s["_limit"])
    rets[0, :] = 0.0
    p0 = np.exp(rng.normal(np.log(16.0), 0.7, len(stocks)))
    stock_px = np.maximum(np.round(p0 * np.cumprod(1 + rets, axis=0), 2), 1.0)
    caps0 = np.exp(rng.normal(np.log(4.0e10), 1.0, len(stocks)))
    caps0[stocks["industry_code"].eq("801780").to_numpy()] *= 5  # banks are the heavyweights
    shares_out = pd.Series(np.round(caps0 / stock_px[0], -4), index=stocks["id"])

    f_rets = np.empty((n, len(foreign)))
    for j in range(len(foreign)):
        f_rets[:, j] = rng.uniform(0.8, 1.3) * glob + rng.normal(0, rng.uniform(0.012, 0.02), n)
    f_rets[0, :] = 0.0
    foreign_px = np.maximum(np.round(np.exp(rng.normal(np.log(120), 0.8, len(foreign))) * np.cumprod(1 + f_rets, axis=0), 2), 1.0)

    # ---- rates, bonds, cash
    # interpolate on day ordinals (the datetime64 unit of an index differs between pandas versions)
    knots_x = np.array([date.fromisoformat(d).toordinal() for d, _ in _YIELD_KNOTS], dtype=float)
    day_x = np.array([d.toordinal() for d in days.date], dtype=float)
    target = np.interp(day_x, knots_x, [v for _, v in _YIELD_KNOTS])
    y = np.empty(n)
    y[0] = target[0]
    shocks = rng.normal(0, 0.00018, n)
    for t in range(1, n):  # mean-reverting around the scripted path
        y[t] = y[t - 1] + 0.08 * (target[t] - y[t - 1]) + shocks[t]
    dy = np.diff(y, prepend=y[0])
    money_rate = np.clip(0.6 * y + 0.0075, 0.018, 0.028)  # repo/NCD-like: 2.6% (2020) → 1.8% (2025)
    spread_shock = rng.normal(0, 0.00008, n)
    stress = ((days >= pd.Timestamp("2022-11-01")) & (days <= pd.Timestamp("2023-01-31"))).astype(float)
    stock_ret_df = pd.DataFrame(stock_px, columns=stocks["id"]).pct_change().fillna(0.0)
    b_rets = np.empty((n, len(bonds)))
    for j, b in bonds.iterrows():
        if b["bond_type"] == "convertible":
            und = stock_ret_df[b["_underlying"]].to_numpy()
            b_rets[:, j] = 0.005 / 252 + 0.55 * und + rng.normal(0, 0.003, n)
            continue
        dur = {"government": rng.uniform(3, 9), "policy_bank": rng.uniform(2, 7), "credit": rng.uniform(1, 4)}[b["bond_type"]]
        spread = {"AAA": 0.004, "AA+": 0.008, "AA": 0.014, "AA-": 0.025}.get(b["rating"], 0.0)
        if b["bond_type"] == "policy_bank":
            spread = 0.002
        s_move = spread_shock * (spread / 0.004 if spread else 0) + stress * spread * 0.02
        b_rets[:, j] = (y + spread) / 252 - dur * dy - dur * s_move + rng.normal(0, 0.0002, n)
    b_rets[0, :] = 0.0
    bond_px = np.round(rng.uniform(98, 104, len(bonds)) * np.cumprod(1 + b_rets, axis=0), 4)
    bond_px[:, (bonds["bond_type"] == "convertible").to_numpy()] = np.round(
        bond_px[:, (bonds["bond_type"] == "convertible").to_numpy()] * 1.15, 3)
    c_rets = (money_rate[:, None] + cash["_spread"].to_numpy()[None, :]) / 252
    c_rets[0, :] = 0.0
    cash_px = np.round(100 * np.cumprod(1 + c_rets, axis=0), 6)

    ids = list(stocks["id"]) + list(foreign["id"]) + list(bonds["id"]) + list(cash["id"])
    prices = pd.DataFrame(np.hstack([stock_px, foreign_px, bond_px, cash_px]), index=days, columns=ids)

    cols = ["id", "name", "kind", "industry_code", "bond_type", "rating", "market"]
    securities = pd.concat([stocks, foreign, bonds, cash], ignore_index=True)
    for c in cols:
        if c not in securities:
            securities[c] = None
    securities = securities[cols].astype(object).where(securities[cols].notna(), None)

    tables = {
        "industries": pd.DataFrame([{"code": c, "name": nm, "name_en": en} for c, nm, en, _ in INDUSTRIES]),
        "securities": securities,
        "security_prices": _long_prices(prices),
    }
    levels, weights = _indices(prices, stocks, shares_out, bonds)
    tables["index_levels"] = levels
    tables["index_weights"] = weights
    return MarketData(days=days, securities=securities, prices=prices, shares_out=shares_out,
                      money_rate=pd.Series(money_rate, index=days), tables=tables)


def _long_prices(prices: pd.DataFrame) -> pd.DataFrame:
    long = prices.stack().rename("close").reset_index()
    long.columns = ["date", "security_id", "close"]
    long["date"] = long["date"].dt.date
    return long[["security_id", "date", "close"]].sort_values(["security_id", "date"], ignore_index=True)


def _indices(prices: pd.DataFrame, stocks: pd.DataFrame, shares_out: pd.Series,
             bonds: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    caps = prices[stocks["id"]] * shares_out[stocks["id"]].to_numpy()
    series: dict[str, pd.Series] = {EQUITY_INDEX: 4096.58 * caps.sum(axis=1) / caps.iloc[0].sum()}
    by_ind = caps.T.groupby(stocks.set_index("id")["industry_code"]).sum().T
    base = 1000.0 + 4000.0 * (np.arange(len(by_ind.columns)) % 7) / 6  # levels differ like real SW indices
    for k, code in enumerate(by_ind.columns):
        series[code] = base[k] * by_ind[code] / by_ind[code].iloc[0]
    plain = bonds.loc[bonds["bond_type"] != "convertible", "id"]
    b_ret = prices[plain].pct_change().fillna(0.0).mean(axis=1)
    series[BOND_INDEX] = 206.35 * (1 + b_ret).cumprod()
    levels = pd.concat([s.round(4).rename("level").to_frame().assign(index_code=code) for code, s in series.items()])
    levels = levels.rename_axis("date").reset_index()
    levels["date"] = levels["date"].dt.date
    levels = levels[["index_code", "date", "level"]].sort_values(["index_code", "date"], ignore_index=True)

    # industry weights of 000300 at the start and at every quarter end (last trading day ≤ quarter end)
    q_ends = pd.date_range("2020-03-31", prices.index[-1], freq="QE")
    snap_days = [prices.index[0]] + [prices.index[prices.index <= q][-1] for q in q_ends]
    w = by_ind.loc[snap_days].div(by_ind.loc[snap_days].sum(axis=1), axis=0)
    w.index = [prices.index[0].date()] + [q.date() for q in q_ends]
    weights = w.round(6).stack().rename("weight").rename_axis(["as_of", "industry_code"]).reset_index()
    weights.insert(0, "index_code", EQUITY_INDEX)
    return levels, weights.sort_values(["index_code", "as_of", "industry_code"], ignore_index=True)
