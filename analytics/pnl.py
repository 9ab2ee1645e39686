"""Client P&L: market value, cost, realized/unrealized gain, dividends, fees, holding period, XIRR, TWR.

Transactions follow ``datastore/schema.py`` (``amount`` is gross cash, always ≥ 0)::

    product_code  date        type      amount   shares   fee
    F00001        2024-01-05  buy       10010.0  9000.0   10.0   # cash paid incl. fee
    F00001        2024-06-03  dividend    180.0     0.0    0.0   # cash received
    F00001        2024-09-02  sell       5494.5  4500.0    5.5   # cash received net of fee
    WM01          2024-03-01  fee          20.0     0.0    0.0   # cash paid

Cost is the average-cost method (buy fees are part of cost; sell fees reduce proceeds). For a position
and any period (start, end]:

    gain = realized + Δunrealized + dividends − fee charges
         = MV_end − MV_start + Σ sells + Σ dividends − Σ buys − Σ fee charges      (exact identity)

Client and product-type figures are sums of position rows, so Σ position gains = client gain exactly.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
from pydantic import BaseModel

from analytics.errors import InvalidInput
from analytics.inputs import TRANSACTION_COLS, ClientBook, NavFrames, require_columns
from analytics.performance import period_start, xirr

TXN_TYPES = {"buy", "sell", "dividend", "fee"}
SUM_COLS = [
    "market_value_start",
    "market_value",
    "cost",
    "invested",
    "proceeds",
    "realized",
    "unrealized",
    "dividends",
    "fees",
    "gain",
]


def value_positions(positions: pd.DataFrame, products: pd.DataFrame, nav: pd.Series) -> pd.DataFrame:
    """Add ``price`` and ``market_value`` to positions: funds at ``nav[fund_code]`` (unit NAV at the as-of
    date), other products at 1.0 per principal unit (their ``shares`` are principal units).

    Raises ``DataUnavailable``-style ``InvalidInput`` when a held fund has no NAV."""
    require_columns(positions, ("product_code", "shares"), "positions")
    require_columns(products, ("code", "kind", "fund_code"), "products")
    p = products.set_index("code")
    kind = positions["product_code"].map(p["kind"])
    fund = positions["product_code"].map(p["fund_code"])
    price = pd.Series(1.0, index=positions.index)
    is_fund = (kind == "fund") & fund.notna()
    price[is_fund] = fund[is_fund].map(nav)
    if price.isna().any():
        missing = positions.loc[price.isna(), "product_code"].iloc[0]
        raise InvalidInput(f"no NAV for held fund product {missing!r} at the as-of date", field="nav")
    out = positions.copy()
    out["price"] = price.astype(float)
    out["market_value"] = out["shares"].astype(float) * out["price"]
    return out


def _check_txns(transactions: pd.DataFrame) -> pd.DataFrame:
    t = require_columns(transactions, TRANSACTION_COLS, "transactions").copy()
    bad = set(t["type"]) - TXN_TYPES
    if bad:
        raise InvalidInput(f"unknown transaction type(s) {sorted(bad)}", field="transactions.type")
    for col in ("amount", "shares", "fee"):
        t[col] = pd.to_numeric(t[col], errors="coerce").fillna(0.0)
    if (t["amount"] < 0).any():
        raise InvalidInput("amounts are gross cash and must be ≥ 0", field="transactions.amount")
    t["date"] = pd.to_datetime(t["date"])
    return t.sort_values(["date"], kind="stable")


def position_pnl(
    transactions: pd.DataFrame,
    prices_end: pd.Series,
    as_of: date,
    *,
    start: date | None = None,
    prices_start: pd.Series | None = None,
    splits: pd.DataFrame | None,
) -> pd.DataFrame:
    """P&L per product over (start, as_of] (``start=None``: since the first transaction).

    ``prices_end``/``prices_start``: product_code → price per share at as_of / at start (only products with
    shares then are needed). ``splits`` (product_code, date, split_ratio): a 份额折算 multiplies the units
    held before that date by k, cost unchanged (as ``datastore.sample.positions.derive_positions``).
    Returns one row per product, index product_code, columns: shares, market_value_start, market_value,
    cost, invested, proceeds, realized, unrealized, dividends, fees (all fees paid: buy/sell fees and fee
    charges), gain, first_buy, holding_days, xirr (None when undefined).
    """
    t = _check_txns(transactions)
    end_ts = pd.Timestamp(as_of)
    start_ts = pd.Timestamp(start) if start else None
    if start_ts is not None and start_ts >= end_ts:
        raise InvalidInput("start must be before the as-of date", field="start")
    t = t[t["date"] <= end_ts]
    split_map: dict[str, list[tuple[pd.Timestamp, float]]] = {}
    if splits is not None and len(splits):
        sp = splits.assign(date=pd.to_datetime(splits["date"])).sort_values("date")
        sp = sp[(sp["date"] <= end_ts) & sp["split_ratio"].notna()]
        for code_, d_, k_ in zip(sp["product_code"], sp["date"], sp["split_ratio"], strict=True):
            split_map.setdefault(str(code_), []).append((d_, float(k_)))
    rows = []
    for code, g in t.groupby("product_code", sort=True):
        events = split_map.get(str(code), [])
        ei = 0
        shares = cost = 0.0
        s_shares = s_cost = 0.0  # opening state of the period
        acc = dict(invested=0.0, proceeds=0.0, realized=0.0, dividends=0.0, fees=0.0, charges=0.0)
        flows: list[tuple[date, float]] = []
        first_buy = None
        for r in g.itertuples(index=False):
            while (
                ei < len(events) and events[ei][0] <= r.date
            ):  # a split takes effect before that day's trades
                shares *= events[ei][1]
                if start_ts is not None and events[ei][0] <= start_ts:
                    s_shares *= events[ei][1]
                ei += 1
            in_period = start_ts is None or r.date > start_ts
            if r.type == "buy":
                shares += r.shares
                cost += r.amount
                first_buy = first_buy or r.date.date()
            elif r.type == "sell":
                if r.shares > shares * (1 + 1e-6) + 0.01:  # units are stored to 2 dp
                    raise InvalidInput(
                        f"{code}: sells {r.shares} shares on {r.date.date()} but holds {shares}",
                        field="transactions.shares",
                    )
                sold = min(float(r.shares), shares)
                removed = cost * (sold / shares) if shares > 0 else 0.0
                shares -= sold
                cost -= removed
                if in_period:
                    acc["realized"] += r.amount - removed
            if not in_period:
                s_shares, s_cost = shares, cost
                continue
            sign = {"buy": -1.0, "sell": 1.0, "dividend": 1.0, "fee": -1.0}[r.type]
            flows.append((r.date.date(), sign * r.amount))
            acc["invested"] += r.amount if r.type == "buy" else 0.0
            acc["proceeds"] += r.amount if r.type == "sell" else 0.0
            acc["dividends"] += r.amount if r.type == "dividend" else 0.0
            acc["charges"] += r.amount if r.type == "fee" else 0.0
            acc["fees"] += (r.fee if r.type in ("buy", "sell") else 0.0) + (
                r.amount if r.type == "fee" else 0.0
            )
        for d_, k_ in events[ei:]:  # splits after the last trade
            shares *= k_
            if start_ts is not None and d_ <= start_ts:
                s_shares *= k_
        if shares < 1e-6:
            shares, cost = 0.0, 0.0
        mv = shares * _price(prices_end, code, "prices_end") if shares else 0.0
        has_start = start_ts is not None and s_shares > 1e-6
        mv_s = s_shares * _price(prices_start, code, "prices_start") if has_start else 0.0
        unreal_end = mv - cost
        unreal_start = (mv_s - s_cost) if has_start else 0.0
        gain = acc["realized"] + (unreal_end - unreal_start) + acc["dividends"] - acc["charges"]
        if mv_s:
            flows.insert(0, (start_ts.date(), -mv_s))  # type: ignore[union-attr]
        if mv:
            flows.append((as_of, mv))
        rows.append(
            {
                "product_code": code,
                "shares": shares,
                "market_value_start": mv_s,
                "market_value": mv,
                "cost": cost,
                "invested": acc["invested"],
                "proceeds": acc["proceeds"],
                "realized": acc["realized"],
                "unrealized": unreal_end - unreal_start,
                "dividends": acc["dividends"],
                "fees": acc["fees"],
                "gain": gain,
                "first_buy": first_buy,
                "holding_days": (as_of - first_buy).days if first_buy else None,
                "xirr": _safe_xirr(flows),
            }
        )
    cols = ["product_code", "shares", *SUM_COLS, "first_buy", "holding_days", "xirr"]
    return pd.DataFrame(rows, columns=cols).set_index("product_code")


def _price(prices: pd.Series | None, code: str, field: str) -> float:
    if prices is None or code not in prices.index or pd.isna(prices[code]):
        raise InvalidInput(f"no price for {code!r}", field=field)
    return float(prices[code])


def _safe_xirr(flows: list[tuple[date, float]]) -> float | None:
    amounts = [a for _, a in flows]
    if len(flows) < 2 or not (min(amounts) < 0 < max(amounts)) or flows[0][0] == flows[-1][0]:
        return None
    try:
        return xirr(flows)
    except (InvalidInput, ValueError, OverflowError):
        return None


class PnLTotals(BaseModel):
    market_value_start: float
    market_value: float
    cost: float
    invested: float
    proceeds: float
    realized: float
    unrealized: float
    dividends: float
    fees: float
    gain: float


class ClientPnL(BaseModel):
    """Client P&L over (start, as_of]: totals, by product kind, by position, money- and time-weighted return."""

    as_of: date
    start: date | None
    total: PnLTotals
    by_kind: dict[str, PnLTotals]
    positions: list[dict[str, object]]  # rows of ``position_pnl`` with product_code and kind
    xirr: float | None
    twr: float | None  # only when a daily value series is supplied


def client_pnl(
    transactions: pd.DataFrame,
    products: pd.DataFrame,
    prices_end: pd.Series,
    as_of: date,
    *,
    start: date | None = None,
    prices_start: pd.Series | None = None,
    daily_values: pd.Series | None = None,
    splits: pd.DataFrame | None,
) -> ClientPnL:
    """Whole-client P&L; every total is the sum of the position rows (so they reconcile exactly). The
    client XIRR uses all the client's cash flows plus the ending market value. ``daily_values`` (date →
    client market value) enables the time-weighted return."""
    pos = position_pnl(transactions, prices_end, as_of, start=start, prices_start=prices_start, splits=splits)
    kinds = products.set_index("code")["kind"]
    pos["kind"] = pos.index.map(kinds).fillna("other")
    total = PnLTotals(**{c: float(pos[c].sum()) for c in SUM_COLS})
    by_kind = {str(k): PnLTotals(**{c: float(g[c].sum()) for c in SUM_COLS}) for k, g in pos.groupby("kind")}
    t = _check_txns(transactions)
    t = t[(t["date"] <= pd.Timestamp(as_of)) & ((t["date"] > pd.Timestamp(start)) if start else True)]
    # astype: an empty selection keeps the string dtype through .map (pyarrow-backed strings cannot multiply)
    sign = t["type"].map({"buy": -1.0, "sell": 1.0, "dividend": 1.0, "fee": -1.0}).astype(float)
    flows = list(zip(t["date"].dt.date, (sign * t["amount"]).to_numpy(), strict=True))
    if start and total.market_value_start:
        flows.insert(0, (start, -total.market_value_start))
    if total.market_value:
        flows.append((as_of, total.market_value))
    twr = None
    if daily_values is not None:
        net_in = (-sign * t["amount"]).groupby(t["date"]).sum()  # buys and fees put money in
        twr = time_weighted_return(daily_values, net_in)
    records = pos.reset_index().replace({np.nan: None}).to_dict(orient="records")
    return ClientPnL(
        as_of=as_of,
        start=start,
        total=total,
        by_kind=by_kind,
        positions=records,
        xirr=_safe_xirr(flows),
        twr=twr,
    )


def time_weighted_return(values: pd.Series, flows: pd.Series) -> float:
    """Chain-linked TWR from end-of-day values and external net flows (positive = money put in) that are
    invested at that day's price: r_t = (V_t − F_t)/V_{t−1} − 1, TWR = Π(1+r_t) − 1. Days before the
    first positive value are skipped (nothing invested yet)."""
    v = values.sort_index().astype(float)
    if v.isna().any() or (v < 0).any():
        raise InvalidInput("values must be non-negative numbers", field="daily_values")
    f = flows.groupby(pd.DatetimeIndex(flows.index)).sum().reindex(pd.DatetimeIndex(v.index)).fillna(0.0)
    vals, fl = v.to_numpy(), f.to_numpy()
    growth = 1.0
    for i in range(1, len(vals)):
        if vals[i - 1] > 0:
            growth *= (vals[i] - fl[i]) / vals[i - 1]
    return growth - 1.0


# ============================================================================================ client level


def _prices_on(book_products: pd.DataFrame, navs: NavFrames, day: date) -> pd.Series:
    """product_code → price on ``day``: unit NAV for funds (last NAV ≤ day), 1.0 per principal unit else."""
    p = book_products.drop_duplicates("code").set_index("code")
    nav = navs.nav_on(day)
    price = pd.Series(1.0, index=p.index, dtype=float)
    is_fund = (p["kind"] == "fund") & p["fund_code"].notna()
    price[is_fund] = p.loc[is_fund, "fund_code"].map(nav).astype(float)
    return price.dropna()


def _splits_by_product(products: pd.DataFrame, navs: NavFrames) -> pd.DataFrame:
    sp = navs.splits_long()
    if sp.empty:
        return sp
    fund_to_product = (
        products.dropna(subset=["fund_code"]).drop_duplicates("fund_code").set_index("fund_code")["code"]
    )
    return sp.assign(product_code=sp["product_code"].map(fund_to_product)).dropna(subset=["product_code"])


def daily_values(
    transactions: pd.DataFrame,
    products: pd.DataFrame,
    navs: NavFrames,
    start: date | None,
    end: date,
    splits: pd.DataFrame | None = None,
) -> tuple[pd.Series, pd.Series]:
    """(end-of-day client market value, net external flow) on every NAV date in [start, end].

    Units per product come from cumulative trades (split-adjusted), priced at the day's unit NAV (funds)
    or 1.0 (other products). Trades on a non-NAV day count on the next NAV date. Vectorised over
    products and dates (no loop per day)."""
    t = _check_txns(transactions)
    dates = navs.unit_nav.index[navs.unit_nav.index <= pd.Timestamp(end)]
    if t.empty or len(dates) < 2:
        raise InvalidInput("not enough history for a time-weighted return", field="period")
    t = t.assign(_d=np.searchsorted(dates.to_numpy(), t["date"].to_numpy(), side="left"))
    t = t[t["_d"] < len(dates)]
    codes = sorted(set(t["product_code"]))
    factor = pd.DataFrame(1.0, index=dates, columns=codes)
    if splits is not None and len(splits):
        sp = splits[splits["product_code"].isin(codes)]
        for code, d, k in zip(sp["product_code"], pd.to_datetime(sp["date"]), sp["split_ratio"], strict=True):
            factor.loc[factor.index >= d, code] *= float(k)  # one column op per split event (a handful)
    f_at = factor.to_numpy()[t["_d"].to_numpy(), factor.columns.get_indexer(t["product_code"])]
    sign = t["type"].map({"buy": 1.0, "sell": -1.0}).fillna(0.0).astype(float)
    t = t.assign(_adj=sign * t["shares"] / f_at)  # units in "before any split" terms
    units = (
        t.pivot_table(index="_d", columns="product_code", values="_adj", aggfunc="sum")
        .reindex(index=range(len(dates)), columns=codes)
        .fillna(0.0)
        .cumsum()
    )
    units.index = dates
    units = units * factor
    prod = products.drop_duplicates("code").set_index("code")
    price = pd.DataFrame(1.0, index=dates, columns=codes)
    for c in codes:  # one column per held product
        fc = prod.at[c, "fund_code"] if c in prod.index else None
        if isinstance(fc, str) and fc in navs.unit_nav.columns:
            price[c] = navs.unit_nav[fc].reindex(dates).ffill()
    values = (units * price).sum(axis=1)
    flow_sign = t["type"].map({"buy": 1.0, "sell": -1.0, "dividend": -1.0, "fee": 1.0}).astype(float)
    flows = (flow_sign * t["amount"]).groupby(dates[t["_d"].to_numpy()]).sum()
    if start is not None:
        values = values[values.index >= pd.Timestamp(start)]
        flows = flows[flows.index > values.index[0]] if len(values) else flows.iloc[:0]
    return values, flows


class ClientPerformance(BaseModel):
    """``client_performance`` result: P&L over the period plus money- and time-weighted returns."""

    client_id: str
    period: str
    start: date | None
    as_of: date
    pnl: ClientPnL
    gain: float
    xirr: float | None
    twr: float | None
    return_on_capital: float | None  # gain / (opening value + money put in during the period)


def client_performance(
    book: ClientBook, navs: NavFrames, *, period: str = "ytd", as_of: date
) -> ClientPerformance:
    """A client's P&L and returns over a named period (``performance.period_start``): totals, by kind and
    by position (reconciling exactly), XIRR, TWR (from daily valuations) and gain / capital employed."""
    start = period_start(period, as_of)
    first = pd.to_datetime(book.transactions["date"]).min() if len(book.transactions) else None
    if start is not None and first is not None and pd.Timestamp(start) < first:
        start = None  # the period starts before the first purchase: since inception
    splits = _splits_by_product(book.products, navs)
    end_p = _prices_on(book.products, navs, as_of)
    start_p = _prices_on(book.products, navs, start) if start else None
    res = client_pnl(
        book.transactions, book.products, end_p, as_of, start=start, prices_start=start_p, splits=splits
    )
    twr = None
    try:
        values, flows = daily_values(book.transactions, book.products, navs, start, as_of, splits)
        twr = time_weighted_return(values, flows)
    except InvalidInput:
        twr = None
    capital = res.total.market_value_start + res.total.invested
    return ClientPerformance(
        client_id=book.client_id,
        period=period,
        start=start,
        as_of=as_of,
        pnl=res,
        gain=res.total.gain,
        xirr=res.xirr,
        twr=twr,
        return_on_capital=res.total.gain / capital if capital > 0 else None,
    )
