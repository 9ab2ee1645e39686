"""Turn stored rows into analytics inputs: the one place where repositories' frames become ``ClientBook``,
``MarketFrames``, ``FundExposures`` and the like. Every read goes through ``datastore.repositories``; the
modelling choices (class returns, valuation) are analytics functions called with the policy's values.

- ``market_frames(engine, as_of) -> MarketFrames`` (only disclosures published by as_of)
- ``fund_exposures(engine, as_of) -> FundExposures`` (cached per engine, date and data version)
- ``client_book(engine, client_id, as_of) -> ClientBook`` (positions valued at as_of; ``products`` is the
  whole shelf, so proposals can pick from it)
- ``nav_frame(engine, book, as_of) -> NavFrames`` (NAV of the client's funds + benchmark indices)
- ``client_books(engine, client_ids, as_of) -> BookFrames`` (a whole book, for the scan)
- ``class_returns(engine, start, end, assumptions) -> DataFrame`` date × asset class daily returns
- ``fund_nav_series(engine, code, as_of) -> DataFrame`` one fund's NAV rows

Access control is NOT done here: services check ``services.access.require_client_access`` first.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from analytics.backtest import class_returns_from_indices
from analytics.book import BookFrames
from analytics.inputs import ClientBook, MarketFrames, NavFrames
from analytics.lookthrough import MIX_CLASSES, FundExposures, build_fund_exposures
from analytics.pnl import value_positions
from core.errors import DataUnavailable, NotFound
from core.policy import DEFAULT_POLICY, MarketAssumptions
from datastore.repositories import clients as crepo
from datastore.repositories import market as mrepo
from datastore.repositories.meta import data_epoch, get_meta
from services.market_reads import market_read


def market_frames(engine: Engine, as_of: date) -> MarketFrames:
    """Funds, holdings and asset mixes published by ``as_of``, securities, industries, managers, companies."""
    return MarketFrames(
        funds=mrepo.list_funds(engine),
        fund_holdings=mrepo.fund_holdings(engine, as_of=as_of),
        fund_asset_allocation=mrepo.fund_asset_allocation(engine, as_of=as_of),
        securities=mrepo.securities(engine),
        industries=mrepo.industries(engine)[["code", "name"]],
        fund_managers=mrepo.fund_managers(engine)[["id", "name"]],
        fund_companies=mrepo.fund_companies(engine)[["id", "name"]],
    )


def data_version(engine: Engine) -> str:
    """Changes whenever data is (re)loaded or imported, so caches keyed on it never serve stale results."""
    return f'{get_meta(engine, "sample_digest") or ""}|{get_meta(engine, "data_version") or ""}|{data_epoch()}'


@lru_cache(maxsize=4)
def _market_cached(engine: Engine, as_of: date, version: str) -> MarketFrames:
    return market_frames(engine, as_of)


def cached_market_frames(engine: Engine, as_of: date) -> MarketFrames:
    """``market_frames`` once per (engine, date, data version): loading every disclosure dominates an
    allocation review otherwise. Treat the frames as read-only."""
    return _market_cached(engine, as_of, data_version(engine))


@lru_cache(maxsize=8)
def _exposures_cached(engine: Engine, as_of: date, version: str) -> FundExposures:
    return build_fund_exposures(_market_cached(engine, as_of, version), as_of)


def fund_exposures(engine: Engine, as_of: date) -> FundExposures:
    """Completed look-through of every fund at ``as_of``; computed once per (engine, date, data version)."""
    return _exposures_cached(engine, as_of, data_version(engine))


def latest_prices(engine: Engine, codes: list[str], as_of: date, version: str | None = None) -> pd.Series:
    """fund_code → unit NAV on the last NAV date ≤ as_of (``market.latest_nav``), read once per data version."""
    rows = market_read(engine, version or data_version(engine), "latest_nav", (tuple(codes), as_of),
                       lambda: mrepo.latest_nav(engine, codes, as_of))
    return rows.set_index("fund_code")["unit_nav"] if len(rows) else pd.Series(dtype=float)


def _cash_balances(engine: Engine, client_ids: list[str], as_of: date) -> pd.DataFrame:
    cash = crepo.client_cash(engine, client_ids, as_of)
    return cash[["client_id", "balance"]] if len(cash) else pd.DataFrame(columns=["client_id", "balance"])


def _splits(engine: Engine, products: pd.DataFrame, codes: set[str], as_of: date, version: str) -> pd.DataFrame:
    """product_code, date, split_ratio of the 份额折算 days (up to ``as_of``) of the given fund products."""
    funds = products[products["code"].isin(codes)].dropna(subset=["fund_code"])
    to_product = dict(zip(funds["fund_code"], funds["code"], strict=True))
    rows = market_read(engine, version, "fund_splits", tuple(to_product),
                       lambda: mrepo.fund_splits(engine, list(to_product))) if to_product else pd.DataFrame(
        columns=["product_code", "date", "split_ratio"])
    rows = rows[pd.to_datetime(rows["date"]) <= pd.Timestamp(as_of)]
    return pd.DataFrame(
        {
            "product_code": rows["product_code"].map(to_product),
            "date": pd.to_datetime(rows["date"]),
            "split_ratio": rows["split_ratio"].astype(float),
        },
        columns=["product_code", "date", "split_ratio"],
    )


def client_book(engine: Engine, client_id: str, as_of: date) -> ClientBook:
    """One client's book valued at ``as_of``. ``NotFound`` for an unknown client id."""
    client = crepo.get_client(engine, client_id)
    if client is None:
        raise NotFound(f"no client {client_id!r}", field="client_id")
    version = data_version(engine)
    products = market_read(engine, version, "products", (), lambda: crepo.products(engine))
    pos = crepo.positions(engine, client_id)
    fund_codes = [
        str(c) for c in products.loc[products["code"].isin(pos["product_code"]), "fund_code"].dropna()
    ]
    pos = value_positions(pos, products, latest_prices(engine, fund_codes, as_of, version))
    txns = crepo.transactions(engine, client_id, end=as_of)
    cash = _cash_balances(engine, [client_id], as_of)
    return ClientBook(
        client=pd.Series(client),
        positions=pos,
        products=products,
        as_of=as_of,
        transactions=txns,
        cash=float(cash["balance"].sum()) if len(cash) else 0.0,
        splits=_splits(engine, products, set(pos["product_code"]) | set(txns["product_code"]), as_of, version),
    )


def nav_frame(engine: Engine, book: ClientBook, as_of: date, start: date | None = None) -> NavFrames:
    """NAV history (unit NAV, dividends, splits) of the funds the client holds or held, and the benchmark
    index levels, up to ``as_of`` (from ``start`` when given)."""
    held = set(book.positions["product_code"]) | set(book.transactions["product_code"])
    prod = book.products.set_index("code")
    codes = sorted(
        {str(prod.at[c, "fund_code"]) for c in held if c in prod.index and pd.notna(prod.at[c, "fund_code"])}
    )
    version = data_version(engine)
    nav = market_read(engine, version, "fund_nav", (tuple(codes), start, as_of),
                      lambda: mrepo.fund_nav(engine, codes, start=start, end=as_of)) if codes else pd.DataFrame(
        columns=["fund_code", "date", "unit_nav", "dividend", "split_ratio"])
    nav = nav[["fund_code", "date", "unit_nav", "dividend", "split_ratio"]]
    m = DEFAULT_POLICY.market
    idx = pd.concat([market_read(engine, version, "index_levels", (c, start, as_of),
                                 lambda c=c: mrepo.index_levels(engine, c, start=start, end=as_of))
                     for c in (m.equity_index, m.bond_index)], ignore_index=True)
    return NavFrames.from_long(nav, idx)


def fund_nav_series(engine: Engine, code: str, as_of: date) -> pd.DataFrame:
    """date, unit_nav, acc_nav, dividend, split_ratio of one fund up to ``as_of`` (NotFound if none)."""
    df = mrepo.fund_nav(engine, code, end=as_of)
    if df.empty:
        raise NotFound(f"no NAV history for fund {code!r}", field="fund")
    return df.sort_values("date").reset_index(drop=True)


_INDUSTRY_CACHE: dict[int, tuple[FundExposures, pd.DataFrame]] = {}


def fund_industry(exp: FundExposures) -> pd.DataFrame:
    """fund_code × Shenwan L1 industry code: share of each fund's NAV (for ``BookFrames.fund_industry``)."""
    return _fund_industry_cached(exp)


def fund_equity(exp: FundExposures) -> pd.Series:
    """fund_code → equity share of NAV (for ``BookFrames.fund_equity``)."""
    return pd.Series(exp.asset_mix[:, MIX_CLASSES.index("equity")], index=exp.fund_codes)


def _fund_industry_cached(exp: FundExposures) -> pd.DataFrame:
    """``_fund_industry`` once per exposures object (they are cached and immutable)."""
    hit = _INDUSTRY_CACHE.get(id(exp))
    if hit is None or hit[0] is not exp:
        _INDUSTRY_CACHE.clear()
        hit = _INDUSTRY_CACHE[id(exp)] = (exp, _fund_industry(exp))
    return hit[1]


def _fund_industry(exp: FundExposures) -> pd.DataFrame:
    """fund_code × industry code: share of each fund's NAV in stocks of that Shenwan L1 industry."""
    ind = exp.sec_industry
    out = np.zeros((len(exp.fund_codes), len(exp.industry_codes)))
    ok = ind >= 0
    for j in np.flatnonzero(ok):  # one pass over securities; small (hundreds to thousands)
        out[:, ind[j]] += exp.weights[:, j]
    return pd.DataFrame(out, index=exp.fund_codes, columns=list(exp.industry_codes))


def client_books(
    engine: Engine, client_ids: list[str] | None, as_of: date, *, rm_id: str | None = None
) -> BookFrames:
    """The frames of a whole book for ``analytics.book.scan_book``: the clients of ``rm_id`` (every client
    when both are None), or just ``client_ids``."""
    clients = crepo.list_clients(engine, rm_id, personal=False)
    if client_ids is not None:
        clients = clients[clients["id"].isin(client_ids)].reset_index(drop=True)
    ids = list(clients["id"])
    version = data_version(engine)
    products = market_read(engine, version, "products", (), lambda: crepo.products(engine))
    if client_ids is None:
        pos, cash = crepo.positions_of_rm(engine, rm_id), crepo.cash_of_rm(engine, rm_id, as_of)
        cash = cash[["client_id", "balance"]] if len(cash) else pd.DataFrame(columns=["client_id", "balance"])
    else:
        pos, cash = crepo.positions(engine, ids), _cash_balances(engine, ids, as_of)
    funds = market_read(engine, version, "funds", (), lambda: mrepo.list_funds(engine))
    pos = value_positions(pos, products, latest_prices(engine, list(funds["code"]), as_of, version))
    exp = fund_exposures(engine, as_of)
    return BookFrames(
        clients=clients,
        positions=pos,
        products=products,
        cash=cash,
        funds=funds[["code", "manager_id"]],
        fund_equity=fund_equity(exp),
        fund_industry=fund_industry(exp),
        industry_names=dict(exp.industry_names),
    )


def class_returns(
    engine: Engine, start: date, end: date, assumptions: MarketAssumptions = DEFAULT_POLICY.market
) -> pd.DataFrame:
    """Daily returns by asset class on every index date in [start, end] (``analytics.backtest.
    class_returns_from_indices``; re-calling with the returned first/last dates gives the same frame)."""
    parts = [mrepo.index_levels(engine, c, end=end) for c in (assumptions.equity_index, assumptions.bond_index)]
    lv = pd.concat(parts, ignore_index=True)
    if lv.empty:
        raise DataUnavailable(f"no index levels between {start} and {end}", hint="run: wealthdesk init")
    wide = lv.pivot(index="date", columns="index_code", values="level")
    out = class_returns_from_indices(wide, start, assumptions=assumptions)
    if out.empty:
        raise DataUnavailable(f"no index levels between {start} and {end}", hint="run: wealthdesk init")
    return out


def rm_of_client(engine: Engine, client_id: str) -> dict[str, str]:
    """{"id", "name", "branch"} of the client's RM (NotFound for an unknown client)."""
    client = crepo.get_client(engine, client_id)
    if client is None:
        raise NotFound(f"no client {client_id!r}", field="client_id")
    rm = crepo.rms(engine)
    row = rm[rm["id"] == client["rm_id"]]
    if row.empty:
        raise NotFound(f"no RM for client {client_id!r}", field="client_id")
    r = row.iloc[0]
    return {"id": str(r["id"]), "name": str(r["name"]), "branch": str(r["branch"])}
