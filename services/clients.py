"""Client use cases: overview, performance for any period, look-through, industry exposure, attribution,
and two clients compared. Every function checks access first, then loads through ``services.loading``.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pandas as pd
from pydantic import BaseModel

from analytics import lookthrough, pnl
from analytics.attribution import client_vs_target
from analytics.inputs import ClientBook
from analytics.overlap import common_holdings_score
from core.errors import DataUnavailable, InvalidInput
from services import loading
from services.access import require_client_access
from services.deps import Deps
from services.periods import resolve_period

_POSITION_KEYS = ("product_code", "name", "kind", "market_value", "invested", "gain", "dividends", "fees", "xirr")


def client_book(deps: Deps, client_id: str, day: date | None = None) -> ClientBook:
    """The caller's client's book (``Forbidden`` first for anyone else's, same message for unknown ids)."""
    cid = (client_id or "").strip().upper()
    require_client_access(deps.engine, deps.caller, cid)
    return loading.client_book(deps.engine, cid, day or deps.as_of)


# ------------------------------------------------------------------------------------------- overview


class HoldingLine(BaseModel):
    product_code: str
    name: str
    kind: str
    asset_class: str
    risk_level: str
    market_value: float
    weight: float
    maturity_date: date | None = None


class Maturity(BaseModel):
    product_code: str
    name: str
    maturity_date: date
    days_to_maturity: int
    market_value: float


class ClientOverview(BaseModel):
    client_id: str
    name: str
    age: int
    risk_level: str
    risk_assessed_on: date
    assessment_expires_on: date
    assessment_expired: bool
    life_stage: str
    segment: str
    total_assets: float
    cash: float
    by_asset_class: dict[str, float]  # yuan, cash included
    holdings: list[HoldingLine]
    upcoming_maturities: list[Maturity]  # within policy.alerts.maturity_review_days
    maturity_window_days: int


def client_overview(deps: Deps, client_id: str) -> ClientOverview:
    """总资产、持仓、现金、风险等级及测评有效期、年龄、即将到期 — the RM's first screen of a client."""
    book = client_book(deps, client_id)
    c = book.client
    hold = book.holdings()
    hold = hold[hold["market_value"] > 0]
    total = float(hold["market_value"].sum()) + float(book.cash)
    by_class = hold.groupby("asset_class")["market_value"].sum().to_dict()
    by_class["cash"] = float(by_class.get("cash", 0.0)) + float(book.cash)
    assessed = pd.Timestamp(c["risk_assessed_on"]).date()
    expires = assessed + timedelta(days=deps.policy.suitability.assessment_valid_days)
    window = deps.policy.alerts.maturity_review_days
    lines, mats = [], []
    for _, h in hold.sort_values("market_value", ascending=False).iterrows():
        m = pd.Timestamp(h["maturity_date"]).date() if pd.notna(h.get("maturity_date")) else None
        lines.append(HoldingLine(
            product_code=str(h["product_code"]), name=str(h["name"]), kind=str(h["kind"]),
            asset_class=str(h["asset_class"]), risk_level=str(h["risk_level"]),
            market_value=float(h["market_value"]), weight=float(h["market_value"]) / total if total else 0.0,
            maturity_date=m))
        if m is not None and deps.as_of < m <= deps.as_of + timedelta(days=window):
            mats.append(Maturity(product_code=str(h["product_code"]), name=str(h["name"]), maturity_date=m,
                                 days_to_maturity=(m - deps.as_of).days, market_value=float(h["market_value"])))
    return ClientOverview(
        client_id=book.client_id, name=str(c["name"]), age=int(c["age"]), risk_level=str(c["risk_level"]),
        risk_assessed_on=assessed, assessment_expires_on=expires, assessment_expired=deps.as_of > expires,
        life_stage=str(c["life_stage"]), segment=str(c["segment"]), total_assets=total, cash=float(book.cash),
        by_asset_class={str(k): float(v) for k, v in by_class.items()}, holdings=lines,
        upcoming_maturities=sorted(mats, key=lambda x: x.maturity_date), maturity_window_days=window,
    )


# ---------------------------------------------------------------------------------------- performance


class PositionResult(BaseModel):
    product_code: str
    name: str | None = None
    kind: str | None = None
    market_value: float | None = None
    invested: float | None = None
    gain: float | None = None
    dividends: float | None = None
    fees: float | None = None
    xirr: float | None = None


class ClientPerformanceResult(BaseModel):
    client_id: str
    period: str
    start: date | None  # None = since the first purchase
    end: date
    market_value: float
    market_value_start: float
    gain: float  # realized + unrealized + dividends − fees over the period
    return_on_capital: float | None  # gain / (value at start + money put in)
    twr: float | None  # time-weighted return over the period (not annualised)
    xirr: float | None  # money-weighted, annualised
    realized: float
    unrealized: float
    dividends: float
    fees: float
    gain_by_kind: dict[str, float]
    positions: list[PositionResult]


def client_performance(deps: Deps, client_id: str, period: str | None = None) -> ClientPerformanceResult:
    """P&L over a period. No period = since purchase (亏了多少/赚了多少 means since the money went in)."""
    token = (period or "since_purchase").strip().lower()
    start, end = resolve_period(token, deps.as_of)
    book = client_book(deps, client_id, end)
    perf = pnl.client_performance(book, loading.nav_frame(deps.engine, book, end),
                                  period=start.isoformat() if start else "since_inception", as_of=end)
    total = perf.pnl.total
    names = book.products.set_index("code")["name"]
    positions = sorted(perf.pnl.positions, key=lambda r: -abs(float(r.get("gain") or 0.0)))  # type: ignore[arg-type]
    return ClientPerformanceResult(
        client_id=book.client_id, period=token, start=perf.start, end=end, market_value=total.market_value,
        market_value_start=total.market_value_start, gain=perf.gain, return_on_capital=perf.return_on_capital,
        twr=perf.twr, xirr=perf.xirr, realized=total.realized, unrealized=total.unrealized,
        dividends=total.dividends, fees=total.fees,
        gain_by_kind={k: v.gain for k, v in perf.pnl.by_kind.items()},
        positions=[PositionResult(**{k: r.get(k) for k in _POSITION_KEYS if k != "name"},
                                  name=str(names.get(r.get("product_code"), "")) or None) for r in positions],
    )


# -------------------------------------------------------------------------------------- look-through


def client_lookthrough(deps: Deps, client_id: str, top_n: int = 10) -> lookthrough.ClientLookthrough:
    book = client_book(deps, client_id)
    exposures = loading.fund_exposures(deps.engine, deps.as_of)
    return lookthrough.lookthrough_client(book, exposures, top_n=top_n, limits=deps.policy.concentration)


# -------------------------------------------------------------------------------------- attribution


class AttributionResult(BaseModel):
    client_id: str
    period: str
    start: date
    end: date
    benchmark: str  # what the client is compared with
    effects: list[dict[str, Any]]  # asset_class, allocation, selection, interaction
    active_return: float


def client_attribution(deps: Deps, client_id: str, period: str | None = "1y") -> AttributionResult:
    """Brinson–Fachler of the client's return vs the target mix of the risk level, by asset class.

    Client weights are the mix at ``start``; a class's return is its P&L gain over the capital it had
    (value at start + money put in); benchmarks compound the class returns of the policy's market
    assumptions (``analytics.backtest.class_returns_from_indices``)."""
    token = period or "1y"
    start, end = resolve_period(token, deps.as_of)
    if start is None:
        start = date(end.year - 1, end.month, min(end.day, 28))
    book = client_book(deps, client_id, end)
    book_start = loading.client_book(deps.engine, book.client_id, start)
    res = pnl.client_pnl(book.transactions, book.products, _unit_prices(book), end, start=start,
                         prices_start=_unit_prices(book_start), splits=book.splits)
    rows = pd.DataFrame(res.positions)
    if rows.empty:
        raise DataUnavailable(f"client {book.client_id!r} has no positions in the period", field="period")
    rows["asset_class"] = rows["product_code"].map(book.products.set_index("code")["asset_class"])
    by = rows.groupby("asset_class")[["market_value_start", "invested", "gain"]].sum()
    capital = by["market_value_start"] + by["invested"]
    weights = by["market_value_start"] / float(by["market_value_start"].sum() or 1.0)
    client_returns = (by["gain"] / capital.where(capital > 0)).fillna(0.0)
    bench = (1 + loading.class_returns(deps.engine, start, end, deps.policy.market)).prod() - 1
    from analytics.allocation import target_mix

    target = target_mix(str(book.client["risk_level"]), deps.policy)
    classes = target.index.union(weights.index)
    table = client_vs_target(weights.reindex(classes, fill_value=0.0), client_returns.reindex(classes, fill_value=0.0),
                             target.reindex(classes, fill_value=0.0), bench.reindex(classes, fill_value=0.0))
    return AttributionResult(
        client_id=book.client_id, period=token, start=start, end=end,
        benchmark=f"target mix of {book.client['risk_level']}",
        effects=table.reset_index(names="asset_class").to_dict("records"),
        active_return=float(table.to_numpy().sum()),
    )


def _unit_prices(book: ClientBook) -> pd.Series:
    """product_code → value per share at the book's date (prices for ``pnl.client_pnl``)."""
    h = book.holdings()
    h = h[h["shares"] > 0]
    return (h.set_index("product_code")["market_value"] / h.set_index("product_code")["shares"]).rename("price")


# -------------------------------------------------------------------------------------- comparison


class ClientSide(BaseModel):
    client_id: str
    name: str
    risk_level: str
    total_assets: float
    gain: float
    return_on_capital: float | None
    xirr: float | None
    mix: dict[str, float]  # share of assets by asset class


class ClientComparison(BaseModel):
    period: str
    clients: list[ClientSide]
    common_products: list[str]
    lookthrough_overlap: float  # Σ min(w_A, w_B) over underlying securities (share of each client's assets)
    shared_securities: list[dict[str, Any]]


def compare_clients(deps: Deps, client_a: str, client_b: str, period: str | None = None) -> ClientComparison:
    """Two of the caller's clients side by side: performance, allocation and holdings overlap."""
    if client_a.strip().upper() == client_b.strip().upper():
        raise InvalidInput("need two different clients", field="client_ids", hint="name a second client")
    sides, weights = [], []
    held: list[set[str]] = []
    names: dict[str, str] = {}
    exposures = loading.fund_exposures(deps.engine, deps.as_of)
    for cid in (client_a, client_b):
        ov = client_overview(deps, cid)
        perf = client_performance(deps, cid, period)
        total = ov.total_assets or 1.0
        sides.append(ClientSide(client_id=ov.client_id, name=ov.name, risk_level=ov.risk_level,
                                total_assets=ov.total_assets, gain=perf.gain, return_on_capital=perf.return_on_capital,
                                xirr=perf.xirr, mix={k: v / total for k, v in ov.by_asset_class.items()}))
        held.append({h.product_code for h in ov.holdings})
        look = lookthrough.lookthrough_client(client_book(deps, cid), exposures, top_n=1000,
                                              limits=deps.policy.concentration)
        weights.append(pd.Series({h.security_id: h.weight for h in look.top_holdings}, dtype=float))
        names.update({h.security_id: h.name for h in look.top_holdings})
    score, both = common_holdings_score(weights[0], weights[1])
    shared = [{"security_id": s, "name": names.get(s, s), "weight_a": float(weights[0][s]),
               "weight_b": float(weights[1][s])} for s in both[:10]]
    return ClientComparison(period=(period or "since_purchase"), clients=sides,
                            common_products=sorted(held[0] & held[1]), lookthrough_overlap=float(score),
                            shared_securities=shared)
