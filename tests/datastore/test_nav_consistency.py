"""Fund NAVs are consistent with the disclosed holdings and with the dividend/split conventions."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from datastore.repositories import market


def adjusted_returns(nav: pd.DataFrame) -> pd.Series:
    """r_t = (u_t + D_t)·k_t / u_{t−1} − 1 (k = 1 unless a split): DESIGN.md's rule."""
    u = nav["unit_nav"].to_numpy()
    k = nav["split_ratio"].fillna(1.0).to_numpy()
    r = (u[1:] + nav["dividend"].to_numpy()[1:]) * k[1:] / u[:-1] - 1
    return pd.Series(r, index=pd.to_datetime(nav["date"].iloc[1:]).to_numpy())


def implied_returns(engine, fund: str, report: date, n: int = 25) -> tuple[pd.Series, pd.Series]:
    h = market.fund_holdings(engine, fund, disclosure="full")
    h = h[h["report_date"] == report]
    assert not h.empty
    if h["held_fund_code"].notna().any():  # feeder / FOF: holdings are funds; use their adjusted NAV index
        prices = {}
        for code in h["held_fund_code"]:
            nav = market.fund_nav(engine, code, start=date(report.year, 1, 1))
            prices[code] = (1 + adjusted_returns(nav)).cumprod()
        px = pd.DataFrame(prices)
        w = h.set_index("held_fund_code")["weight"]
    else:
        p = market.security_prices(engine, h["security_id"].tolist(), start=date(report.year, report.month, 1))
        px = p.pivot(index="date", columns="security_id", values="close")
        px.index = pd.to_datetime(px.index)
        w = h.set_index("security_id")["weight"]
    px = px[px.index <= pd.Timestamp(report)].iloc[-1:].combine_first(px[px.index > pd.Timestamp(report)])
    px = px.iloc[: n + 1]
    value = (px / px.iloc[0]) @ w[px.columns] + (1 - w.sum())  # cash sleeve ≈ flat over a month
    implied = value.pct_change().iloc[1:]
    nav = market.fund_nav(engine, fund, start=date(report.year, report.month, 1))
    actual = adjusted_returns(nav).reindex(implied.index)
    return implied, actual


@pytest.mark.parametrize("fund", ["001101", "002202", "003301", "515301", "006601"])
def test_fund_returns_follow_full_holdings(sample_engine, fund: str) -> None:
    implied, actual = implied_returns(sample_engine, fund, date(2025, 12, 31))
    diff = (actual - implied).abs()
    assert diff.mean() < 4e-4, diff.describe()
    if implied.std() > 1e-3:  # equity-like funds: the paths move together
        assert np.corrcoef(implied, actual)[0, 1] > 0.98


@pytest.mark.parametrize("fund", ["008801", "007703"])
def test_feeder_and_fof_follow_their_funds(sample_engine, fund: str) -> None:
    implied, actual = implied_returns(sample_engine, fund, date(2025, 6, 30))
    assert (actual - implied).abs().mean() < 4e-4
    assert np.corrcoef(implied, actual)[0, 1] > 0.98


def test_dividend_and_split_days_keep_returns_continuous(sample_engine) -> None:
    nav = market.fund_nav(sample_engine, ["003301", "005501", "515303", "001110"])
    for code, g in nav.groupby("fund_code"):
        r = adjusted_returns(g.reset_index(drop=True))
        events = (g["dividend"].iloc[1:] > 0).to_numpy() | g["split_ratio"].iloc[1:].notna().to_numpy()
        assert events.any(), code
        assert r[events].abs().max() < 0.06, code  # no artificial jump on event days
        # acc_nav moves with unit_nav + dividend on ordinary and dividend days
        d_acc = g["acc_nav"].diff().iloc[1:].to_numpy()
        d_unit = (g["unit_nav"].diff() + g["dividend"]).iloc[1:].to_numpy()
        normal = g["split_ratio"].iloc[1:].isna().to_numpy()
        assert np.abs(d_acc[normal] - d_unit[normal]).max() < 2e-4, code


def test_money_funds_accumulate_slowly(sample_engine) -> None:
    nav = market.fund_nav(sample_engine, market.list_funds(sample_engine, "money")["code"].tolist())
    for _code, g in nav.groupby("fund_code"):
        yearly = (g["unit_nav"].iloc[-1] / g["unit_nav"].iloc[0]) ** (252 / (len(g) - 1)) - 1
        assert 0.015 <= yearly <= 0.025
        assert (g["unit_nav"].diff().iloc[1:] > 0).all()
