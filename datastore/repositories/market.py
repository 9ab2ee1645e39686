"""Market-side reads: funds, NAV, holdings, asset allocation, securities, industries, indices, prices.

Every function takes an ``Engine`` first and returns a DataFrame whose columns are the schema's column
names (dates as ``datetime.date``), sorted deterministically. ``as_of`` filters use publication dates:
a holdings report is visible only once ``published_on <= as_of`` (no look-ahead).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import Engine, and_, func, select

from core.errors import NotFound
from datastore.repositories._frames import as_list, model_columns, read_frame
from datastore.schema import (
    Fund,
    FundAssetAllocation,
    FundCompany,
    FundHolding,
    FundManager,
    FundNav,
    FundSectorAllocation,
    IndexLevel,
    IndexWeight,
    Industry,
    Security,
    SecurityIndustry,
    SecurityPrice,
)


def list_funds(engine: Engine, types: str | Iterable[str] | None = None,
               codes: str | Iterable[str] | None = None) -> pd.DataFrame:
    """All funds (optionally of some ``types`` or ``codes``), one row per fund, by code."""
    stmt = select(*model_columns(Fund)).order_by(Fund.code)
    if (t := as_list(types)) is not None:
        stmt = stmt.where(Fund.type.in_(t))
    if (c := as_list(codes)) is not None:
        stmt = stmt.where(Fund.code.in_(c))
    return read_frame(engine, stmt)


def get_fund(engine: Engine, code: str) -> dict[str, Any]:
    """One fund row as a dict with its manager's and company's names added
    (``manager_name``, ``company_name``). Raises ``NotFound`` for an unknown code."""
    stmt = (select(*model_columns(Fund), FundManager.name.label("manager_name"),
                   FundCompany.name.label("company_name"))
            .join(FundManager, FundManager.id == Fund.manager_id)
            .join(FundCompany, FundCompany.id == Fund.company_id)
            .where(Fund.code == code.strip()))
    with engine.connect() as conn:
        row = conn.execute(stmt).first()
    if row is None:
        raise NotFound(f"no fund with code {code!r}", field="fund_code", hint="use a 6-digit fund code")
    return dict(row._mapping)


def fund_nav(engine: Engine, codes: str | Iterable[str], start: date | None = None,
             end: date | None = None) -> pd.DataFrame:
    """Daily NAV rows of one or more funds in [start, end], by fund then date.

        fund_code  date        unit_nav  acc_nav  dividend  split_ratio  daily_return
        001101     2026-11-20  1.2345    2.0345   0.0       NaN          NaN
    """
    stmt = select(*model_columns(FundNav)).where(FundNav.fund_code.in_(as_list(codes) or []))
    if start is not None:
        stmt = stmt.where(FundNav.date >= start)
    if end is not None:
        stmt = stmt.where(FundNav.date <= end)
    df = read_frame(engine, stmt.order_by(FundNav.fund_code, FundNav.date))
    for c in ("split_ratio", "daily_return"):
        df[c] = pd.to_numeric(df[c], errors="coerce")
    return df


def fund_splits(engine: Engine, codes: str | Iterable[str] | None = None) -> pd.DataFrame:
    """Split events (份额折算) as ``product_code, date, split_ratio`` (product code = fund code), the
    shape ``datastore.sample.positions.derive_positions`` and ``analytics.pnl`` take."""
    stmt = select(FundNav.fund_code, FundNav.date, FundNav.split_ratio).where(FundNav.split_ratio.isnot(None))
    if (c := as_list(codes)) is not None:
        stmt = stmt.where(FundNav.fund_code.in_(c))
    return read_frame(engine, stmt.order_by(FundNav.fund_code, FundNav.date), ["product_code", "date", "split_ratio"])


def latest_nav(engine: Engine, codes: str | Iterable[str], as_of: date) -> pd.DataFrame:
    """The last NAV row on or before ``as_of`` for each fund (funds without one are absent)."""
    sub = (select(FundNav.fund_code, func.max(FundNav.date).label("d"))
           .where(FundNav.fund_code.in_(as_list(codes) or []), FundNav.date <= as_of)
           .group_by(FundNav.fund_code).subquery())
    stmt = (select(*model_columns(FundNav))
            .join(sub, and_(FundNav.fund_code == sub.c.fund_code, FundNav.date == sub.c.d))
            .order_by(FundNav.fund_code))
    return read_frame(engine, stmt)


def fund_holdings(engine: Engine, codes: str | Iterable[str] | None = None, as_of: date | None = None,
                  disclosure: str | None = None) -> pd.DataFrame:
    """Disclosed holdings lines, only reports published by ``as_of`` when given; ordered by fund,
    report date, disclosure, rank. ``security_id`` or ``held_fund_code`` is set (FOF/feeder lines)."""
    stmt = select(*model_columns(FundHolding))
    if (c := as_list(codes)) is not None:
        stmt = stmt.where(FundHolding.fund_code.in_(c))
    if as_of is not None:
        stmt = stmt.where(FundHolding.published_on <= as_of)
    if disclosure is not None:
        stmt = stmt.where(FundHolding.disclosure == disclosure)
    stmt = stmt.order_by(FundHolding.fund_code, FundHolding.report_date, FundHolding.disclosure, FundHolding.rank)
    return read_frame(engine, stmt)


def latest_holdings(engine: Engine, codes: str | Iterable[str] | None, as_of: date) -> pd.DataFrame:
    """Per fund, the latest published ``top10`` report and the latest published ``full`` report as of
    ``as_of`` (the inputs of the top-10 + last-full completion method)."""
    df = fund_holdings(engine, codes, as_of)
    if df.empty:
        return df
    last = df.groupby(["fund_code", "disclosure"])["report_date"].transform("max")
    return df[df["report_date"] == last].reset_index(drop=True)


def fund_asset_allocation(engine: Engine, codes: str | Iterable[str] | None = None,
                          as_of: date | None = None) -> pd.DataFrame:
    """Quarterly asset mix (fractions of NAV) published by ``as_of``, by fund and report date."""
    stmt = select(*model_columns(FundAssetAllocation))
    if (c := as_list(codes)) is not None:
        stmt = stmt.where(FundAssetAllocation.fund_code.in_(c))
    if as_of is not None:
        stmt = stmt.where(FundAssetAllocation.published_on <= as_of)
    return read_frame(engine, stmt.order_by(FundAssetAllocation.fund_code, FundAssetAllocation.report_date))


def fund_managers(engine: Engine) -> pd.DataFrame:
    return read_frame(engine, select(*model_columns(FundManager)).order_by(FundManager.id))


def fund_companies(engine: Engine) -> pd.DataFrame:
    return read_frame(engine, select(*model_columns(FundCompany)).order_by(FundCompany.id))


def securities(engine: Engine, ids: str | Iterable[str] | None = None, kind: str | None = None) -> pd.DataFrame:
    stmt = select(*model_columns(Security)).order_by(Security.id)
    if (i := as_list(ids)) is not None:
        stmt = stmt.where(Security.id.in_(i))
    if kind is not None:
        stmt = stmt.where(Security.kind == kind)
    return read_frame(engine, stmt)


def industries(engine: Engine) -> pd.DataFrame:
    """The 31 Shenwan 2021 level-1 industries: code, name, name_en."""
    return read_frame(engine, select(*model_columns(Industry)).order_by(Industry.code))


def security_prices(engine: Engine, ids: str | Iterable[str], start: date | None = None,
                    end: date | None = None) -> pd.DataFrame:
    """Daily closes (security_id, date, close) for ``ids`` in [start, end]."""
    stmt = select(*model_columns(SecurityPrice)).where(SecurityPrice.security_id.in_(as_list(ids) or []))
    if start is not None:
        stmt = stmt.where(SecurityPrice.date >= start)
    if end is not None:
        stmt = stmt.where(SecurityPrice.date <= end)
    return read_frame(engine, stmt.order_by(SecurityPrice.security_id, SecurityPrice.date))


def index_levels(engine: Engine, code: str, start: date | None = None, end: date | None = None) -> pd.DataFrame:
    """Daily levels (index_code, date, level) of ``code``: "000300", "CBA00101" or an industry code."""
    stmt = select(*model_columns(IndexLevel)).where(IndexLevel.index_code == code)
    if start is not None:
        stmt = stmt.where(IndexLevel.date >= start)
    if end is not None:
        stmt = stmt.where(IndexLevel.date <= end)
    return read_frame(engine, stmt.order_by(IndexLevel.date))


def index_weights(engine: Engine, code: str = "000300", as_of: date | None = None) -> pd.DataFrame:
    """Industry weights of index ``code`` (index_code, as_of, industry_code, weight). With ``as_of``, only
    the latest snapshot on or before that date."""
    stmt = select(*model_columns(IndexWeight)).where(IndexWeight.index_code == code)
    if as_of is not None:
        last = select(func.max(IndexWeight.as_of)).where(IndexWeight.index_code == code, IndexWeight.as_of <= as_of)
        stmt = stmt.where(IndexWeight.as_of == last.scalar_subquery())
    return read_frame(engine, stmt.order_by(IndexWeight.as_of, IndexWeight.industry_code))


def disclosures(engine: Engine, code: str, as_of: date | None = None) -> pd.DataFrame:
    """The holdings reports of fund ``code`` (report_date, disclosure, published_on, lines, weight = Σ of
    the lines), published by ``as_of`` when given, latest first."""
    stmt = select(FundHolding.report_date, FundHolding.disclosure, func.min(FundHolding.published_on).label(
        "published_on"), func.count().label("lines"), func.sum(FundHolding.weight).label("weight")).where(
        FundHolding.fund_code == code)
    if as_of is not None:
        stmt = stmt.where(FundHolding.published_on <= as_of)
    stmt = stmt.group_by(FundHolding.report_date, FundHolding.disclosure)
    return read_frame(engine, stmt.order_by(FundHolding.report_date.desc(), FundHolding.disclosure))


def fund_sector_allocation(engine: Engine, code: str, as_of: date | None = None, system: str = "csrc") -> pd.DataFrame:
    """The latest published sector table of fund ``code`` in classification ``system`` (CSRC by default):
    fund_code, report_date, system, sector, published_on, weight, market_value (largest first)."""
    stmt = select(*model_columns(FundSectorAllocation)).where(
        FundSectorAllocation.fund_code == code, FundSectorAllocation.system == system)
    if as_of is not None:
        stmt = stmt.where(FundSectorAllocation.published_on <= as_of)
    df = read_frame(engine, stmt)
    if df.empty:
        return df
    df = df[df["report_date"] == df["report_date"].max()]
    return df.sort_values(["weight", "sector"], ascending=[False, True], ignore_index=True)


def security_industries(engine: Engine, ids: str | Iterable[str] | None = None, system: str = "sw2021") -> pd.DataFrame:
    """Classification rows (security_id, system, level1_code, level1, level2, level3, vendor_code)."""
    stmt = select(*model_columns(SecurityIndustry)).where(SecurityIndustry.system == system)
    if (c := as_list(ids)) is not None:
        stmt = stmt.where(SecurityIndustry.security_id.in_(c))
    return read_frame(engine, stmt.order_by(SecurityIndustry.security_id))
