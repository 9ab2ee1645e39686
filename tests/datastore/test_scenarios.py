"""The designed client scenarios are really in the loaded data (computed from the tables)."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import pytest

from datastore.repositories import clients as crepo
from datastore.repositories import market
from datastore.sample import AS_OF, SCENARIOS


@pytest.fixture(scope="module")
def book(sample_engine) -> pd.DataFrame:
    """All positions valued at AS_OF with product and fund attributes."""
    ids = crepo.list_clients(sample_engine)["id"].tolist()
    pos = crepo.positions(sample_engine, ids)
    prod = crepo.products(sample_engine).set_index("code")
    pos = pos.join(prod[["kind", "fund_code", "risk_level", "maturity_date"]], on="product_code")
    nav = market.latest_nav(sample_engine, pos["fund_code"].dropna().unique().tolist(), AS_OF)
    pos = pos.merge(nav[["fund_code", "unit_nav"]], on="fund_code", how="left")
    pos["market_value"] = pos["shares"] * pos["unit_nav"].where(pos["kind"] == "fund", 1.0)
    funds = market.list_funds(sample_engine).set_index("code")
    pos["manager_id"] = pos["fund_code"].map(funds["manager_id"])
    return pos


def _client(engine, cid):  # noqa: ANN001, ANN202
    c = crepo.get_client(engine, cid)
    assert c is not None
    return c


def test_loss(book) -> None:
    for cid in SCENARIOS["loss"]:
        b = book[book["client_id"] == cid]
        assert b["market_value"].sum() < 0.9 * b["cost"].sum(), cid


def test_industry_concentration(sample_engine, book) -> None:
    sec = market.securities(sample_engine).set_index("id")
    funds = market.list_funds(sample_engine).set_index("code")
    hold = market.latest_holdings(sample_engine, None, AS_OF)
    full = hold[hold["disclosure"] == "full"]

    def stock_weights(code: str) -> pd.Series:
        h = full[full["fund_code"] == code]
        out = h.dropna(subset=["security_id"]).set_index("security_id")["weight"]
        for tgt, w in h.dropna(subset=["held_fund_code"]).set_index("held_fund_code")["weight"].items():
            out = out.add(stock_weights(tgt) * w, fill_value=0)
        return out

    for cid in SCENARIOS["industry_concentration"]:
        b = book[(book["client_id"] == cid) & book["fund_code"].notna()]
        exp = pd.Series(dtype=float)
        for code, v in zip(b["fund_code"], b["market_value"], strict=True):
            exp = exp.add(stock_weights(code) * v, fill_value=0)
        stocks = exp[sec.loc[exp.index, "kind"] == "stock"]
        by_ind = stocks.groupby(sec.loc[stocks.index, "industry_code"]).sum()
        assert by_ind.idxmax() == "801150" and by_ind.max() / by_ind.sum() > 0.5, cid
        assert funds.loc[b["fund_code"], "type"].nunique() >= 3


def test_manager_concentration(book) -> None:
    for cid in SCENARIOS["manager_concentration"]:
        b = book[book["client_id"] == cid]
        share = b.loc[b["manager_id"] == "M001", "market_value"].sum() / b["market_value"].sum()
        assert share > 0.6, cid


def test_risk_mismatch(sample_engine, book) -> None:
    for cid in SCENARIOS["risk_mismatch"]:
        c = _client(sample_engine, cid)
        held = book.loc[book["client_id"] == cid, "risk_level"]
        assert c["risk_level"] == "C2" and (held > "R2").any(), cid


def test_random_clients_are_suitable(sample_engine, book) -> None:
    designed = {i for ids in SCENARIOS.values() for i in ids}
    cl = crepo.list_clients(sample_engine).set_index("id")
    b = book[~book["client_id"].isin(designed)]
    max_r = b["client_id"].map(cl["risk_level"]).str.replace("C", "R")
    assert (b["risk_level"] <= max_r).all()


def test_expired_assessment(sample_engine) -> None:
    for cid in SCENARIOS["expired_assessment"]:
        assert _client(sample_engine, cid)["risk_assessed_on"] < AS_OF - timedelta(days=365), cid
    cl = crepo.list_clients(sample_engine)
    expired = (cl["risk_assessed_on"] < AS_OF - timedelta(days=365)).sum()
    assert 10 <= expired <= 80  # a realistic minority


def test_idle_cash(sample_engine) -> None:
    cash = crepo.client_cash(sample_engine, SCENARIOS["idle_cash"], AS_OF)
    assert (cash["balance"] >= 1_000_000).all() and (cash["as_of"] == AS_OF).all()


@pytest.mark.parametrize(("name", "lo", "hi"), [("wmp_maturing_30d", 0, 30), ("wmp_maturing_60d", 31, 60)])
def test_wmp_maturing(book, name: str, lo: int, hi: int) -> None:
    for cid in SCENARIOS[name]:
        b = book[(book["client_id"] == cid) & (book["kind"] == "wmp")]
        days = b["maturity_date"].dropna().map(lambda d: (d - AS_OF).days)
        assert days.between(lo, hi).any(), cid


def test_elderly_high_risk(sample_engine, book) -> None:
    for cid in SCENARIOS["elderly_high_risk"]:
        assert _client(sample_engine, cid)["age"] >= 70
        assert (book.loc[book["client_id"] == cid, "risk_level"] >= "R4").any(), cid


def test_balanced_control(sample_engine, book) -> None:
    for cid in SCENARIOS["balanced"]:
        c = _client(sample_engine, cid)
        b = book[book["client_id"] == cid]
        assert len(b) >= 5 and (b["risk_level"] <= c["risk_level"].replace("C", "R")).all()
        assert c["risk_assessed_on"] >= AS_OF - timedelta(days=365)
