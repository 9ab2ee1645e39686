"""Typed input containers: the frames analytics works on, with the column names of ``datastore/schema.py``.

Loading them is the datastore's job (``services.loading``); analytics only checks
that the columns it needs are there and raises ``InvalidInput`` naming the frame otherwise.

``MarketFrames`` (one per as-of date, shared by all clients)::

    funds                  code, name, type, is_etf, target_fund_code, manager_id, company_id, risk_level
    fund_holdings          fund_code, report_date, published_on, disclosure, rank, security_id, held_fund_code, weight
    fund_asset_allocation  fund_code, report_date, published_on, stock, bond, fund, cash, other
    securities             id, name, kind, industry_code
    industries             code, name                                   (optional: names for display)
    fund_managers          id, name                                     (optional)
    fund_companies         id, name                                     (optional)

``ClientBook`` (one client)::

    client        a clients row (Series): id, name, rm_id, risk_level, risk_assessed_on, age, monthly_expense …
    positions     product_code, shares, cost, first_buy, market_value  (valued at ``as_of``)
    products      the shelf rows (code, name, kind, fund_code, asset_class, risk_level, liquidity_days,
                  min_amount, expected_yield, maturity_date, status); must cover every held product
    transactions  product_code, date, type, amount, shares, price, fee
    cash          idle current-account balance (yuan)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from analytics.errors import InvalidInput

FUND_COLS = ("code", "type", "manager_id", "company_id")
HOLDING_COLS = (
    "fund_code",
    "report_date",
    "published_on",
    "disclosure",
    "security_id",
    "held_fund_code",
    "weight",
)
ALLOCATION_COLS = ("fund_code", "report_date", "published_on", "stock", "bond", "fund", "cash", "other")
SECURITY_COLS = ("id", "name", "kind", "industry_code")
POSITION_COLS = ("product_code", "shares", "cost", "market_value")
PRODUCT_COLS = ("code", "name", "kind", "fund_code", "asset_class", "risk_level")
TRANSACTION_COLS = ("product_code", "date", "type", "amount", "shares", "fee")
# 份额折算 events of the products a client holds or held: k new units per unit on ``date``.
SPLIT_COLS = ("product_code", "date", "split_ratio")


def require_columns(df: object, cols: Iterable[str], frame: str) -> pd.DataFrame:
    """Raise ``InvalidInput(field=frame)`` unless ``df`` is a DataFrame with all ``cols``."""
    if not isinstance(df, pd.DataFrame):
        raise InvalidInput(f"expected a DataFrame, got {type(df).__name__}", field=frame)
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise InvalidInput(
            f"missing column(s) {missing}", field=frame, hint="use the column names of datastore/schema.py"
        )
    return df


def _empty(cols: Iterable[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})


@dataclass(frozen=True)
class MarketFrames:
    """Market-side inputs for look-through (see module docstring for columns)."""

    funds: pd.DataFrame
    fund_holdings: pd.DataFrame
    fund_asset_allocation: pd.DataFrame
    securities: pd.DataFrame
    industries: pd.DataFrame = field(default_factory=lambda: _empty(("code", "name")))
    fund_managers: pd.DataFrame = field(default_factory=lambda: _empty(("id", "name")))
    fund_companies: pd.DataFrame = field(default_factory=lambda: _empty(("id", "name")))

    def __post_init__(self) -> None:
        require_columns(self.funds, FUND_COLS, "funds")
        require_columns(self.fund_holdings, HOLDING_COLS, "fund_holdings")
        require_columns(self.fund_asset_allocation, ALLOCATION_COLS, "fund_asset_allocation")
        require_columns(self.securities, SECURITY_COLS, "securities")


@dataclass(frozen=True)
class ClientBook:
    """One client's holdings valued at ``as_of`` (see module docstring for columns)."""

    client: pd.Series
    positions: pd.DataFrame
    products: pd.DataFrame
    as_of: date
    transactions: pd.DataFrame = field(default_factory=lambda: _empty(TRANSACTION_COLS))
    cash: float = 0.0
    splits: pd.DataFrame = field(default_factory=lambda: _empty(SPLIT_COLS))  # for ``pnl.client_pnl``

    def __post_init__(self) -> None:
        require_columns(self.positions, POSITION_COLS, "positions")
        require_columns(self.products, PRODUCT_COLS, "products")
        require_columns(self.transactions, TRANSACTION_COLS, "transactions")
        require_columns(self.splits, SPLIT_COLS, "splits")
        if (pd.to_numeric(self.positions["market_value"], errors="coerce").fillna(-1) < 0).any():
            raise InvalidInput("market values must be ≥ 0 and not missing", field="positions.market_value")
        unknown = set(self.positions["product_code"]) - set(self.products["code"])
        if unknown:
            raise InvalidInput(
                f"held product(s) not in the product table: {sorted(unknown)[:3]}", field="products"
            )
        if self.cash < 0:
            raise InvalidInput("idle cash cannot be negative", field="cash")

    @property
    def client_id(self) -> str:
        return str(self.client.get("id", ""))

    def holdings(self) -> pd.DataFrame:
        """Positions joined with their product row: product_code, market_value, kind, fund_code, asset_class,
        risk_level, name (one row per held product, largest value first). Computed once per book; each
        call returns a copy, so callers may modify it."""
        cached = self.__dict__.get("_holdings")
        if cached is None:
            prod = self.products.drop_duplicates("code").set_index("code")
            cols = [
                c
                for c in (
                    "name",
                    "kind",
                    "fund_code",
                    "asset_class",
                    "risk_level",
                    "maturity_date",
                    "liquidity_days",
                    "status",
                )
                if c in prod.columns
            ]
            out = self.positions.join(prod[cols], on="product_code")
            cached = out.sort_values("market_value", ascending=False, kind="stable").reset_index(drop=True)
            object.__setattr__(self, "_holdings", cached)  # frozen dataclass: cache without a public field
        return cached.copy()


@dataclass(frozen=True)
class NavFrames:
    """NAV history of some funds plus benchmark index levels (wide frames, DatetimeIndex ascending)::

    unit_nav      date × fund_code   单位净值 (NaN where a fund has no NAV that day)
    dividends     date × fund_code   cash dividend per unit on the ex-date (0 otherwise)
    split_ratios  date × fund_code   份额折算 k on the split date (NaN otherwise)
    index_levels  date × index_code  e.g. 000300, CBA00101
    """

    unit_nav: pd.DataFrame
    dividends: pd.DataFrame
    split_ratios: pd.DataFrame
    index_levels: pd.DataFrame

    @classmethod
    def from_long(cls, nav: pd.DataFrame, index_levels: pd.DataFrame | None = None) -> NavFrames:
        """From long rows (fund_code, date, unit_nav, dividend, split_ratio) and (index_code, date, level)."""
        require_columns(nav, ("fund_code", "date", "unit_nav"), "nav")
        nav = nav.assign(date=pd.to_datetime(nav["date"]))
        wide = nav.pivot(index="date", columns="fund_code", values="unit_nav").sort_index()
        div = (
            nav.pivot(index="date", columns="fund_code", values="dividend").reindex(wide.index).fillna(0.0)
            if "dividend" in nav.columns
            else pd.DataFrame(0.0, index=wide.index, columns=wide.columns)
        )
        split = (
            nav.pivot(index="date", columns="fund_code", values="split_ratio").reindex(wide.index)
            if "split_ratio" in nav.columns
            else pd.DataFrame(index=wide.index, columns=wide.columns, dtype=float)
        )
        if index_levels is not None and len(index_levels):
            il = index_levels.assign(date=pd.to_datetime(index_levels["date"]))
            lv = il.pivot(index="date", columns="index_code", values="level").sort_index()
        else:
            lv = pd.DataFrame(index=pd.DatetimeIndex([]))
        return cls(unit_nav=wide, dividends=div, split_ratios=split, index_levels=lv)

    def nav_on(self, day: date) -> pd.Series:
        """fund_code → last unit NAV on or before ``day`` (NaN when none yet)."""
        upto = self.unit_nav.loc[: pd.Timestamp(day)]
        return upto.ffill().iloc[-1] if len(upto) else pd.Series(float("nan"), index=self.unit_nav.columns)

    def splits_long(self) -> pd.DataFrame:
        """product_code (= fund code), date, split_ratio rows for ``pnl.position_pnl(splits=…)``."""
        s = self.split_ratios.stack().dropna()
        return pd.DataFrame(
            {
                "product_code": s.index.get_level_values(1),
                "date": s.index.get_level_values(0),
                "split_ratio": s.to_numpy(),
            }
        )
