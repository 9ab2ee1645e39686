"""Series the screens draw: a fund's wealth index next to its benchmark index and its drawdown, and a client's
four-layer flow (client → fund → manager → company). Added for the RM console (no other service returns a
time series or the fund → manager → company links); every figure carries its as-of date.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
from pydantic import BaseModel

from analytics import performance
from core.errors import DataUnavailable
from datastore.repositories import market as mrepo
from services import loading
from services.benchmark import BENCHMARK_NAMES
from services.clients import client_lookthrough
from services.deps import Deps
from services.funds import resolve_fund
from services.periods import resolve_period

# Bond and money funds are compared with the bond index, everything else with CSI 300.
_BOND_TYPES = ("bond", "money")
MAX_POINTS = 400  # a phone draws 400 points as well as 1,000; keeps the JSON small


class FundSeries(BaseModel):
    code: str
    name: str
    as_of: date
    period: str
    start: date
    end: date
    benchmark: str
    benchmark_name: str
    dates: list[date]
    fund: list[float]  # wealth index from adjusted NAV (dividends reinvested), 1 at start
    bench: list[float | None]  # benchmark index level rebased to 1 at start (None before its first level)
    drawdown: list[float]  # fund wealth / running peak − 1 (≤ 0)


def fund_series(deps: Deps, fund: str, period: str | None = "1y", benchmark: str | None = None) -> FundSeries:
    """净值走势 vs 基准, 回撤: rebased to 1 at the period start, at most ``MAX_POINTS`` points."""
    code = resolve_fund(deps, fund)
    row = mrepo.get_fund(deps.engine, code)
    nav = loading.fund_nav_series(deps.engine, code, deps.as_of).set_index("date")
    r = performance.returns_from_nav(nav["unit_nav"], nav["dividend"], nav["split_ratio"])
    token = (period or "1y").strip().lower()
    start, end = resolve_period(token, deps.as_of, default="1y")
    r.index = pd.to_datetime(r.index)
    if start is not None:
        r = r[r.index > pd.Timestamp(start)]
    if r.empty:
        raise DataUnavailable(f"fund {code!r} has no NAV in the period", field="period", hint="choose a longer period")
    wealth = (1.0 + r).cumprod()
    base_day = pd.Timestamp(start) if start is not None else r.index[0]
    wealth = pd.concat([pd.Series([1.0], index=[min(base_day, r.index[0])]), wealth])
    wealth = wealth[~wealth.index.duplicated(keep="last")]
    dd = wealth / wealth.cummax() - 1.0
    bench = benchmark or ("CBA00101" if row.get("type") in _BOND_TYPES else "000300")
    lv = mrepo.index_levels(deps.engine, bench, end=end)
    levels = pd.Series(dtype=float)
    if len(lv):
        levels = lv.set_index(pd.to_datetime(lv["date"]))["level"].astype(float).sort_index()
        levels = levels.reindex(levels.index.union(wealth.index)).ffill().reindex(wealth.index)
        first = levels.dropna()
        levels = levels / float(first.iloc[0]) if len(first) else levels
    step = max(1, len(wealth) // MAX_POINTS)
    keep = list(range(0, len(wealth), step))
    if keep[-1] != len(wealth) - 1:
        keep.append(len(wealth) - 1)
    bvals = [None if pd.isna(v) else float(v) for v in levels.iloc[keep]] if len(levels) else [None] * len(keep)
    return FundSeries(
        code=code, name=str(row["name"]), as_of=deps.as_of, period=token, start=wealth.index[0].date(),
        end=wealth.index[-1].date(), benchmark=bench, benchmark_name=BENCHMARK_NAMES.get(bench, bench),
        dates=[d.date() for d in wealth.index[keep]], fund=[float(v) for v in wealth.iloc[keep]],
        bench=bvals, drawdown=[float(v) for v in dd.iloc[keep]],
    )


class FourLayers(BaseModel):
    client_id: str
    as_of: date
    nodes: list[dict[str, Any]]  # {"id", "name", "layer": client|fund|product|manager|company}
    links: list[dict[str, Any]]  # {"source", "target", "value": share of client assets}
    flags: list[dict[str, Any]]  # the look-through's concentration flags (layer, name, share, threshold)


def client_layers(deps: Deps, client_id: str) -> FourLayers:
    """四层穿透: client → product/fund → fund manager → fund company, weighted by share of client assets."""
    look = client_lookthrough(deps, client_id)
    cid = look.client_id
    nodes: dict[str, dict[str, Any]] = {f"c:{cid}": {"id": f"c:{cid}", "name": cid, "layer": "client"}}
    links: list[dict[str, Any]] = []
    for line in look.lines:
        if line.weight <= 0:
            continue
        pid = f"f:{line.product_code}"
        nodes[pid] = {"id": pid, "name": line.name, "layer": "fund" if line.fund_code else "product",
                      "code": line.product_code}
        links.append({"source": f"c:{cid}", "target": pid, "value": line.weight})
        if not line.fund_code:
            continue
        fund = mrepo.get_fund(deps.engine, line.fund_code)
        mgr, co = str(fund.get("manager_name") or "—"), str(fund.get("company_name") or "—")
        mid, kid = f"m:{mgr}", f"k:{co}"
        nodes.setdefault(mid, {"id": mid, "name": mgr, "layer": "manager"})
        nodes.setdefault(kid, {"id": kid, "name": co, "layer": "company"})
        links.append({"source": pid, "target": mid, "value": line.weight})
        links.append({"source": mid, "target": kid, "value": line.weight})
    merged: dict[tuple[str, str], float] = {}
    for link in links:  # one manager at two funds of one company → one manager → company link
        key = (link["source"], link["target"])
        merged[key] = merged.get(key, 0.0) + float(link["value"])
    return FourLayers(
        client_id=cid, as_of=look.as_of, nodes=list(nodes.values()),
        links=[{"source": s, "target": t, "value": v} for (s, t), v in merged.items()],
        flags=[f.model_dump(mode="json") for f in look.flags],
    )
