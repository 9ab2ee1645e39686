"""Funds of the sample book: companies, managers, funds, daily NAV, holdings, asset allocation.

NAVs are built from the simulated portfolios (``portfolio.simulate``):
    net_t = gross_t − (management + custody fee)/252 + tracking noise
Feeders hold ~95% of their ETF plus cash; FOFs hold other funds; money funds hold cash instruments
(repo, NCD, deposits) and show a slowly accumulating unit NAV (≈1.5–2.5%/yr, 6 dp) instead of the
1.0000 + 万份收益 convention, so every fund has one comparable NAV series.

Unit NAV on an ex-dividend day drops by the dividend D (so (u_t + D)/u_{t−1} − 1 = net_t) and acc_nav
adds it back; on a split day (份额折算, k new units per unit) the unit NAV is reset to 1.0000 with
k = u_{t−1}(1 + net_t), and acc_nav moves by u_t·k − u_{t−1} (continuous, eastmoney convention).
Holdings are disclosed at each quarter end (top 10, published 15 working days later) and at 06-30 /
12-31 in full (published ~2 and ~3 months later); they are the portfolio held at that close.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from datastore.sample.calendar import add_working_days
from datastore.sample.fund_plan import DIVIDENDS, FUNDS, SPLITS, FundSpec, fees
from datastore.sample.market import EQUITY_INDEX, MarketData
from datastore.sample.names import FUND_COMPANIES, GIVEN_CHARS, SURNAMES
from datastore.sample.portfolio import StylePicker, cap_weights, simulate

SEED = 20261121
CASH = "CASH.DEP"


@dataclass
class FundData:
    tables: dict[str, pd.DataFrame]
    unit_nav: pd.DataFrame  # date × fund code (NaN before inception)
    net_return: pd.DataFrame  # adjusted daily return, date × fund code
    dividends: pd.DataFrame  # date × fund code, cash per unit (0 if none)
    splits: pd.DataFrame  # date × fund code, k (NaN if none)


def _quarter_days(days: pd.DatetimeIndex) -> dict[int, date]:
    """Day position of the last trading day ≤ each quarter end → the quarter-end calendar date."""
    out: dict[int, date] = {}
    for q in pd.date_range("2020-03-31", days[-1], freq="QE"):
        out[int(days.searchsorted(q, side="right") - 1)] = q.date()
    return out


def _people(rng: np.random.Generator, n: int) -> list[str]:
    names: list[str] = []
    while len(names) < n:
        nm = str(rng.choice(SURNAMES)) + "".join(rng.choice(GIVEN_CHARS, size=int(rng.integers(1, 3))))
        if nm not in names:
            names.append(nm)
    return names


def _companies_managers(rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    comp = pd.DataFrame([{"id": cid, "name": nm, "name_en": en, "founded": date(1998 + i, 3 + i % 9, 1 + 2 * i),
                          "aum": float(round(np.exp(rng.normal(np.log(3e11), 0.8)), -6))}
                         for i, (cid, nm, en) in enumerate(FUND_COMPANIES)])
    names = _people(rng, 24)
    mgr = pd.DataFrame([{"id": f"M{i + 1:03d}", "name": names[i], "company_id": f"FC{i // 2 + 1:02d}",
                         "career_start": date(2005 + i % 13, 1 + i % 12, 1),
                         "education": ["博士", "硕士", "硕士", "硕士", "学士"][i % 5]} for i in range(24)])
    return comp, mgr


def _targets_for(spec: FundSpec, m: MarketData, rng: np.random.Generator, days_idx: list[int],
                 pickers: dict[str, dict[int, pd.Series]], bond_pool: pd.DataFrame) -> dict[int, pd.Series]:
    """Target weights (fractions of NAV, cash sleeve in CASH.DEP) at each rebalance day."""
    out: dict[int, pd.Series] = {}
    px_arr = m.prices.to_numpy()
    sec = m.securities.set_index("id")
    if spec.type == "index":  # constituents: all A-shares (000300) or one industry, cap-weighted
        ids = sec.index[(sec["kind"] == "stock") & sec["market"].isin(["SH", "SZ"])]
        if spec.tilt[0] != EQUITY_INDEX:
            ids = ids[sec.loc[ids, "industry_code"] == spec.tilt[0]]
        index_cols = (ids, m.prices.columns.get_indexer(ids), m.shares_out[ids].to_numpy())
    if spec.type == "bond" or spec.bond_share > 0:
        kinds = spec.tilt if spec.type == "bond" else ("government", "policy_bank", "credit")
        pool = bond_pool[bond_pool["bond_type"].isin(kinds)]["id"].tolist()
        chosen = list(rng.choice(pool, size=min(len(pool), 12 if spec.type == "bond" else 6), replace=False))
    for r in days_idx:
        parts = []
        if spec.type == "money":
            w = rng.dirichlet([30, 40, 25, 5])
            parts.append(pd.Series(w, index=["CASH.DEP", "CASH.REPO", "CASH.NCD", "CASH.RES"]))
        elif spec.type == "index":
            ids, pos, shares = index_cols
            caps = px_arr[r, pos] * shares
            parts.append(pd.Series(caps / caps.sum() * spec.stock_share, index=ids).round(6))
        elif spec.stock_share > 0:
            parts.append(_pick(pickers[spec.style][r], spec))
        if spec.type == "bond" or spec.bond_share > 0:
            share = spec.bond_share * (1 + rng.normal(0, 0.02))
            parts.append(pd.Series(rng.dirichlet(np.full(len(chosen), 4.0)) * share, index=chosen))
        w = pd.concat(parts).round(6)
        w = w[w > 0]
        cash = round(1.0 - float(w.sum()), 6)
        if cash > 0:
            w[CASH if CASH not in w.index else "CASH.REPO"] = cash
        out[r] = w
    return out


def _pick(scores: pd.Series, spec: FundSpec) -> pd.Series:
    s = scores.nlargest(spec.n_stocks) ** 1.3
    return cap_weights(s / s.sum() * spec.stock_share, 0.095)


def generate_funds(m: MarketData) -> FundData:
    rng = np.random.default_rng(SEED)
    days = m.days
    n = len(days)
    q_days = _quarter_days(days)
    comp, mgr = _companies_managers(rng)
    sec = m.securities.set_index("id")
    a_shares = sec[(sec["kind"] == "stock") & sec["market"].isin(["SH", "SZ"])]["industry_code"]
    foreign = sec[(sec["kind"] == "stock") & sec["market"].isin(["HK", "US"])]
    bond_pool = m.securities[m.securities["kind"] == "bond"]

    # one stock-picking process per style, stepped once per quarter so same-style funds overlap
    pickers: dict[str, dict[int, pd.Series]] = {}
    for spec in FUNDS:
        if spec.style in pickers or not spec.style or spec.type == "index":
            continue
        if spec.type == "qdii":
            cand = foreign["market"][foreign["market"].isin(spec.tilt)]
            picker = StylePicker(rng, cand, ())
        else:
            picker = StylePicker(rng, a_shares, spec.tilt)
        snaps = {0: pd.Series(picker.score * picker.base, index=picker.ids)}
        for r in sorted(q_days):
            picker.step()
            snaps[r] = pd.Series(picker.score * picker.base, index=picker.ids)
        pickers[spec.style] = snaps

    start_of = {s.code: max(0, int(days.searchsorted(pd.Timestamp(s.inception)))) for s in FUNDS}
    net = pd.DataFrame(np.nan, index=days, columns=[s.code for s in FUNDS])
    targets_all: dict[str, dict[int, pd.Series]] = {}
    fund_prices = pd.DataFrame(index=days)
    for phase in ("securities", "feeder", "fof"):
        for spec in FUNDS:
            kind = "feeder" if spec.type == "feeder" else "fof" if spec.type == "fof" else "securities"
            if kind != phase:
                continue
            st = start_of[spec.code]
            reb = [st] + [r for r in sorted(q_days) if r > st]
            if phase == "securities":
                for r in reb:  # inception day: use the latest picker snapshot
                    for snaps in pickers.values():
                        if r not in snaps:
                            snaps[r] = snaps[max(k for k in snaps if k <= r)]
                tg = _targets_for(spec, m, rng, reb, pickers, bond_pool)
                gross = simulate(m.prices, tg, st)
            else:
                mix = [(spec.target, 0.95)] if phase == "feeder" else list(spec.fof_mix)
                tg = {}
                for r in reb:
                    w = pd.Series({c: wt * (1 + rng.normal(0, 0.01)) for c, wt in mix}).round(6)
                    w[CASH] = round(1 - float(w.sum()), 6)
                    tg[r] = w
                instruments = pd.concat([fund_prices, m.prices[[CASH]]], axis=1)
                gross = simulate(instruments, tg, st)
            targets_all[spec.code] = tg
            mg, cu, *_ = fees(spec)
            noise_sd = {"index": 0.00004, "money": 0.0, "bond": 0.00003, "feeder": 0.00005, "fof": 0.00005}.get(
                spec.type, 0.00012)
            r_net = gross - (mg + cu) / 252 + rng.normal(0, noise_sd, n)
            r_net[: st + 1] = 0.0
            net[spec.code] = r_net
            net.iloc[:st, net.columns.get_loc(spec.code)] = np.nan
            tr = np.cumprod(1 + r_net)
            tr[:st] = np.nan
            fund_prices[spec.code] = tr

    nav_rows, unit, divs, splits = _nav_tables(rng, net, start_of, days)
    holdings, alloc = _disclosures(targets_all, q_days, days, sec)
    funds = _fund_rows(rng, start_of, days)
    return FundData(tables={"fund_companies": comp, "fund_managers": mgr, "funds": funds, "fund_nav": nav_rows,
                            "fund_holdings": holdings, "fund_asset_allocation": alloc},
                    unit_nav=unit, net_return=net, dividends=divs, splits=splits)


def _nav_tables(rng: np.random.Generator, net: pd.DataFrame, start_of: dict[str, int],
                days: pd.DatetimeIndex) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    unit = pd.DataFrame(np.nan, index=days, columns=net.columns)
    divs = pd.DataFrame(0.0, index=days, columns=net.columns)
    splits = pd.DataFrame(np.nan, index=days, columns=net.columns)
    frames = []
    for spec in FUNDS:
        code, st = spec.code, start_of[spec.code]
        dp = 6 if spec.type == "money" else 4
        div_at = {int(days.searchsorted(pd.Timestamp(d))): v for d, v in DIVIDENDS.get(code, [])}
        split_at = {int(days.searchsorted(pd.Timestamp(d))) for d in SPLITS.get(code, [])}
        pre = spec.inception < days[0].date()
        u = round(float(rng.uniform(0.95, 2.8)), dp) if pre and spec.type != "money" else 1.0
        if spec.type == "money" and pre:
            u = round(1.0 + 0.022 * (days[0].date() - spec.inception).days / 365, dp)
        acc = round(u + (float(rng.uniform(0.0, 0.6)) if pre and spec.type != "money" else 0.0), dp)
        r = net[code].to_numpy()
        rows_u, rows_a, rows_d, rows_k = [u], [acc], [0.0], [None]
        for t in range(st + 1, len(days)):
            d = div_at.get(t, 0.0)
            gross_u = u * (1 + r[t])
            if t in split_at:
                new_u = 1.0
                k = round(gross_u / new_u, 9)
                acc = round(acc + new_u * k - u, dp)
                rows_k.append(k)
            else:
                new_u = round(gross_u - d, dp)
                acc = round(acc + new_u + d - u, dp)
                rows_k.append(None)
            u = new_u
            rows_u.append(u)
            rows_a.append(acc)
            rows_d.append(d)
        idx = days[st:]
        unit.loc[idx, code] = rows_u
        divs.loc[idx, code] = rows_d
        splits.loc[idx, code] = [np.nan if k is None else k for k in rows_k]
        frames.append(pd.DataFrame({"fund_code": code, "date": idx.date, "unit_nav": rows_u, "acc_nav": rows_a,
                                    "dividend": rows_d, "split_ratio": rows_k, "daily_return": None}))
    nav = pd.concat(frames, ignore_index=True).sort_values(["fund_code", "date"], ignore_index=True)
    nav["split_ratio"] = nav["split_ratio"].astype(object).where(nav["split_ratio"].notna(), None)
    return nav, unit, divs, splits


def _disclosures(targets: dict[str, dict[int, pd.Series]], q_days: dict[int, date], days: pd.DatetimeIndex,
                 sec: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    fund_codes = {s.code for s in FUNDS}
    kind_of = {**sec["kind"].to_dict(), **{c: "fund" for c in fund_codes}}
    types = {s.code: s.type for s in FUNDS}
    h_rows, a_rows = [], []
    for code, tg in targets.items():
        for r, w in sorted(tg.items()):
            if r not in q_days:
                continue
            rep = q_days[r]
            ids = w.index.to_numpy()
            vals = w.to_numpy()
            kinds = np.array([kind_of[i] for i in ids])
            a = {k: round(float(vals[kinds == k].sum()), 6) for k in ("stock", "bond", "fund")}
            a_rows.append({"fund_code": code, "report_date": rep, "published_on": add_working_days(rep, 15),
                           **a, "cash": round(1 - sum(a.values()), 6), "other": 0.0})
            # cash sleeves are not holdings lines, except for money funds whose book is cash instruments
            line = kinds != "cash" if types[code] != "money" else np.ones(len(ids), dtype=bool)
            pool = line & (kinds == "stock") if (line & (kinds == "stock")).any() else line
            top = np.flatnonzero(pool)[np.argsort(-vals[pool], kind="stable")][:10]
            for rank, j in enumerate(top, 1):
                h_rows.append(_holding(code, rep, add_working_days(rep, 15), "top10", rank, ids[j], vals[j], fund_codes))
            if rep.month in (6, 12):
                pub = rep + timedelta(days=62 if rep.month == 6 else 89)
                full = np.flatnonzero(line)[np.argsort(-vals[line], kind="stable")]
                for rank, j in enumerate(full, 1):
                    h_rows.append(_holding(code, rep, pub, "full", rank, ids[j], vals[j], fund_codes))
    holdings = pd.DataFrame(h_rows).sort_values(["fund_code", "report_date", "disclosure", "rank"], ignore_index=True)
    holdings.insert(0, "id", np.arange(1, len(holdings) + 1))
    alloc = pd.DataFrame(a_rows).sort_values(["fund_code", "report_date"], ignore_index=True)
    return holdings, alloc


def _holding(code: str, rep: date, pub: date, disc: str, rank: int, inst: str, wt: float, funds: set[str]) -> dict:
    is_fund = inst in funds
    return {"fund_code": code, "report_date": rep, "published_on": pub, "disclosure": disc, "rank": rank,
            "security_id": None if is_fund else inst, "held_fund_code": inst if is_fund else None,
            "weight": round(float(wt), 6)}


def _fund_rows(rng: np.random.Generator, start_of: dict[str, int], days: pd.DatetimeIndex) -> pd.DataFrame:
    rows = []
    for s in FUNDS:
        mg, cu, sub, red = fees(s)
        idx, eq = _benchmark_of(s)
        bench = _benchmark_text(s.type, idx, eq)
        rows.append({"code": s.code, "name": s.name, "name_en": s.name_en, "type": s.type, "is_etf": s.is_etf,
                     "target_fund_code": s.target, "manager_id": s.manager, "company_id": s.company,
                     "benchmark": bench, "benchmark_index": idx if eq > 0 else None,
                     "benchmark_equity_share": eq, "management_fee": mg, "custody_fee": cu, "subscription_fee": sub,
                     "redemption_fee": red, "risk_level": s.risk, "inception_date": s.inception,
                     "size": float(round(np.exp(rng.normal(np.log(4e9), 1.0)), -4)), "currency": "CNY"})
    return pd.DataFrame(rows)


def _benchmark_of(s: FundSpec) -> tuple[str | None, float]:
    """(equity index code, equity share) of the benchmark; the rest is the bond index."""
    if s.type == "index":
        return s.tilt[0], 0.95
    if s.type == "feeder":
        return next(f for f in FUNDS if f.code == s.target).tilt[0], 0.95
    if s.type == "equity":
        return EQUITY_INDEX, 0.8
    if s.type == "hybrid":
        return EQUITY_INDEX, 0.2 if s.stock_share < 0.3 else 0.5 if s.stock_share < 0.7 else 0.6
    if s.type == "fof":
        return EQUITY_INDEX, 0.3
    return None, 0.0  # bond, money; QDII benchmarks are foreign indices not in the data set


def _benchmark_text(ftype: str, idx: str | None, eq: float) -> str:
    names = {EQUITY_INDEX: "沪深300指数"}
    if ftype == "money":
        return "七天通知存款利率(税后)"
    if ftype == "qdii":
        return "MSCI全球指数收益率(经人民币汇率调整)×90%+人民币活期存款利率(税后)×10%"
    if eq == 0 or idx is None:
        return "中债综合财富(总值)指数收益率"
    eq_name = names.get(idx, f"申万{idx}指数")
    if eq >= 0.95:
        return f"{eq_name}收益率×95%+银行活期存款利率(税后)×5%"
    return f"{eq_name}收益率×{eq * 100:.0f}%+中债综合指数收益率×{(1 - eq) * 100:.0f}%"

