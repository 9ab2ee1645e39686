"""Load the frames that ``analytics`` works on (the one place that turns tables into analytics inputs).

Entry points (used by the CLI, the agent tools and the reports, so every caller gets the same numbers):

- ``market_frames(engine, as_of) -> analytics.inputs.MarketFrames`` (only disclosures published by as_of)
- ``fund_exposures(engine, as_of) -> analytics.lookthrough.FundExposures`` (cached per engine and date)
- ``client_book(engine, client_id, as_of) -> analytics.inputs.ClientBook`` (positions valued at as_of;
  ``products`` is the whole shelf, so proposals can pick from it). ``load_client_book`` is an alias.
- ``nav_frame(engine, book, as_of) -> NavFrames`` (NAV history of the client's funds + benchmark indices)
- ``client_books(engine, client_ids, as_of) -> analytics.book.BookFrames`` (a whole book, for the scan)
- ``class_returns(engine, start, end) -> DataFrame`` date × asset class daily returns (backtests)
- ``fund_nav_series(engine, code, as_of) -> DataFrame`` one fund's NAV rows (metrics)

Access control is NOT done here: callers check ``assistant.access.require_client_access`` first.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import pandas as pd
from sqlalchemy import Engine, select

from analytics.book import BookFrames
from analytics.errors import DataUnavailable, NotFound
from analytics.inputs import ClientBook, MarketFrames, NavFrames
from analytics.lookthrough import FundExposures, build_fund_exposures
from analytics.pnl import value_positions
from datastore.schema import (
    RM,
    Client,
    ClientCash,
    Fund,
    FundAssetAllocation,
    FundCompany,
    FundHolding,
    FundManager,
    FundNav,
    IndexLevel,
    Industry,
    Position,
    Product,
    Security,
    Transaction,
)

EQUITY_INDEX = "000300"  # CSI 300: equity leg of benchmarks and the equity class in backtests
BOND_INDEX = "CBA00101"  # ChinaBond composite: fixed income
DEPOSIT_RATE = 0.015  # cash class return per year in backtests (example: demand/short deposit rate)


def _read(engine: Engine, stmt) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return pd.read_sql(stmt, conn)


def market_frames(engine: Engine, as_of: date) -> MarketFrames:
    """Funds, holdings and asset mixes published by ``as_of``, securities, industries, managers, companies."""
    holdings = _read(engine, select(FundHolding).where(FundHolding.published_on <= as_of))
    alloc = _read(engine, select(FundAssetAllocation).where(FundAssetAllocation.published_on <= as_of))
    return MarketFrames(
        funds=_read(engine, select(Fund)),
        fund_holdings=holdings,
        fund_asset_allocation=alloc,
        securities=_read(engine, select(Security)),
        industries=_read(engine, select(Industry.code, Industry.name)),
        fund_managers=_read(engine, select(FundManager.id, FundManager.name)),
        fund_companies=_read(engine, select(FundCompany.id, FundCompany.name)),
    )


@lru_cache(maxsize=8)
def _exposures_cached(engine: Engine, as_of: date) -> FundExposures:
    return build_fund_exposures(market_frames(engine, as_of), as_of)


def fund_exposures(engine: Engine, as_of: date) -> FundExposures:
    """Completed look-through of every fund at ``as_of``; computed once per (engine, date) per process
    (the data of a date does not change; ``clear_cache()`` after reloading a database)."""
    return _exposures_cached(engine, as_of)


def clear_cache() -> None:
    _exposures_cached.cache_clear()


def latest_nav(engine: Engine, as_of: date, codes: list[str] | None = None) -> pd.Series:
    """fund_code → unit NAV on the last NAV date ≤ as_of."""
    stmt = select(FundNav.fund_code, FundNav.date, FundNav.unit_nav).where(FundNav.date <= as_of)
    if codes is not None:
        stmt = stmt.where(FundNav.fund_code.in_(codes))
    nav = _read(engine, stmt).sort_values(["fund_code", "date"])
    return nav.groupby("fund_code")["unit_nav"].last()


def _cash(engine: Engine, as_of: date, client_ids: list[str] | None) -> pd.DataFrame:
    stmt = select(ClientCash).where(ClientCash.as_of <= as_of)
    if client_ids is not None:
        stmt = stmt.where(ClientCash.client_id.in_(client_ids))
    cash = _read(engine, stmt).sort_values(["client_id", "as_of"])
    return cash.groupby("client_id", as_index=False).last()[["client_id", "balance"]] if len(cash) else cash


def client_book(engine: Engine, client_id: str, as_of: date) -> ClientBook:
    """One client's book valued at ``as_of``. ``NotFound`` for an unknown client id."""
    client = _read(engine, select(Client).where(Client.id == client_id))
    if client.empty:
        raise NotFound(f"no client {client_id!r}", field="client_id")
    products = _read(engine, select(Product))
    pos = _read(engine, select(Position).where(Position.client_id == client_id))
    fund_codes = [
        str(c) for c in products.loc[products["code"].isin(pos["product_code"]), "fund_code"].dropna()
    ]
    pos = value_positions(pos, products, latest_nav(engine, as_of, fund_codes))
    txns = _read(
        engine, select(Transaction).where(Transaction.client_id == client_id, Transaction.date <= as_of)
    )
    cash = _cash(engine, as_of, [client_id])
    return ClientBook(
        client=client.iloc[0],
        positions=pos,
        products=products,
        as_of=as_of,
        transactions=txns,
        cash=float(cash["balance"].sum()) if len(cash) else 0.0,
        splits=_splits(engine, products, set(pos["product_code"]) | set(txns["product_code"]), as_of),
    )


def _splits(engine: Engine, products: pd.DataFrame, codes: set[str], as_of: date) -> pd.DataFrame:
    """product_code, date, split_ratio of the 份额折算 days (up to ``as_of``) of the given fund products."""
    funds = products[products["code"].isin(codes)].dropna(subset=["fund_code"])
    to_product = dict(zip(funds["fund_code"], funds["code"], strict=True))
    rows = _read(
        engine,
        select(FundNav.fund_code, FundNav.date, FundNav.split_ratio).where(
            FundNav.fund_code.in_(list(to_product)), FundNav.split_ratio.is_not(None), FundNav.date <= as_of
        ),
    )
    return pd.DataFrame(
        {
            "product_code": rows["fund_code"].map(to_product),
            "date": pd.to_datetime(rows["date"]),
            "split_ratio": rows["split_ratio"].astype(float),
        },
        columns=["product_code", "date", "split_ratio"],
    )


load_client_book = client_book


def nav_frame(engine: Engine, book: ClientBook, as_of: date, start: date | None = None) -> NavFrames:
    """NAV history (unit NAV, dividends, splits) of the funds the client holds or held, and the benchmark
    index levels, up to ``as_of`` (from ``start`` when given)."""
    held = set(book.positions["product_code"]) | set(book.transactions["product_code"])
    prod = book.products.set_index("code")
    codes = sorted(
        {str(prod.at[c, "fund_code"]) for c in held if c in prod.index and pd.notna(prod.at[c, "fund_code"])}
    )
    stmt = select(
        FundNav.fund_code, FundNav.date, FundNav.unit_nav, FundNav.dividend, FundNav.split_ratio
    ).where(FundNav.fund_code.in_(codes), FundNav.date <= as_of)
    idx = select(IndexLevel).where(
        IndexLevel.index_code.in_([EQUITY_INDEX, BOND_INDEX]), IndexLevel.date <= as_of
    )
    if start is not None:
        stmt, idx = stmt.where(FundNav.date >= start), idx.where(IndexLevel.date >= start)
    return NavFrames.from_long(_read(engine, stmt), _read(engine, idx))


def fund_nav_series(engine: Engine, code: str, as_of: date) -> pd.DataFrame:
    """date, unit_nav, acc_nav, dividend, split_ratio of one fund up to ``as_of`` (NotFound if none)."""
    df = _read(
        engine, select(FundNav).where(FundNav.fund_code == code, FundNav.date <= as_of).order_by(FundNav.date)
    )
    if df.empty:
        raise NotFound(f"no NAV history for fund {code!r}", field="fund")
    return df


def client_books(engine: Engine, client_ids: list[str] | None, as_of: date) -> BookFrames:
    """The frames of a whole book (``client_ids=None``: every client) for ``analytics.book.scan_book``."""
    cstmt = select(Client)
    pstmt = select(Position)
    if client_ids is not None:
        cstmt, pstmt = cstmt.where(Client.id.in_(client_ids)), pstmt.where(Position.client_id.in_(client_ids))
    clients = _read(engine, cstmt)
    products = _read(engine, select(Product))
    pos = value_positions(_read(engine, pstmt), products, latest_nav(engine, as_of))
    exp = fund_exposures(engine, as_of)
    from analytics.lookthrough import MIX_CLASSES

    fund_equity = pd.Series(exp.asset_mix[:, MIX_CLASSES.index("equity")], index=exp.fund_codes)
    return BookFrames(
        clients=clients,
        positions=pos,
        products=products,
        cash=_cash(engine, as_of, client_ids),
        funds=_read(engine, select(Fund.code, Fund.manager_id)),
        fund_equity=fund_equity,
    )


def class_returns(engine: Engine, start: date, end: date) -> pd.DataFrame:
    """Daily returns by asset class on every index date in [start, end] (the first return uses the level
    before ``start``, so calling again with the returned index's first and last dates gives the same frame):
    equity = CSI 300, fixed_income = bond index, cash = ``DEPOSIT_RATE``/252, alternative = 50/50 of the
    two indices (no alternatives index in the data set), protection = cash (an insurance policy's cash
    value grows about like a deposit)."""
    lv = _read(
        engine,
        select(IndexLevel).where(
            IndexLevel.index_code.in_([EQUITY_INDEX, BOND_INDEX]), IndexLevel.date <= end
        ),
    )
    wide = (
        lv.pivot(index="date", columns="index_code", values="level").sort_index().ffill() if len(lv) else lv
    )
    if len(lv):
        wide.index = pd.to_datetime(wide.index)
        r = wide.pct_change().iloc[1:]
        r = r[r.index >= pd.Timestamp(start)]
    if lv.empty or r.empty:
        raise DataUnavailable(f"no index levels between {start} and {end}", hint="run: wealthdesk init")
    cash = DEPOSIT_RATE / 252
    return pd.DataFrame(
        {
            "cash": cash,
            "fixed_income": r[BOND_INDEX],
            "equity": r[EQUITY_INDEX],
            "alternative": 0.5 * (r[BOND_INDEX] + r[EQUITY_INDEX]),
            "protection": cash,
        },
        index=r.index,
    )


def rm_of_client(engine: Engine, client_id: str) -> dict[str, str]:
    """{"id", "name", "branch"} of the client's RM (NotFound for an unknown client)."""
    with engine.connect() as conn:
        row = conn.execute(
            select(RM.id, RM.name, RM.branch)
            .join(Client, Client.rm_id == RM.id)
            .where(Client.id == client_id)
        ).first()
    if row is None:
        raise NotFound(f"no client {client_id!r}", field="client_id")
    return {"id": row.id, "name": row.name, "branch": row.branch}
