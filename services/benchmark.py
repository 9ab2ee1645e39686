"""Benchmark comparison: a client or a fund against CSI 300, the bond index or the client's target mix,
over one period, always naming the benchmark."""

from __future__ import annotations

from datetime import date
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel

from analytics.allocation import target_mix
from analytics.backtest import backtest_mix
from core.errors import DataUnavailable, InvalidInput
from datastore.repositories import market as mrepo
from services import clients, funds, loading
from services.deps import Deps
from services.periods import resolve_period

Benchmark = Literal["000300", "CBA00101", "target"]
BENCHMARK_NAMES = {"000300": "沪深300 (CSI 300)", "CBA00101": "中债综合 (ChinaBond Composite)"}


class BenchmarkComparison(BaseModel):
    subject: str  # client id or fund code
    subject_kind: Literal["client", "fund"]
    period: str
    start: date
    end: date
    subject_return: float  # client: time-weighted return; fund: NAV total return (dividends reinvested)
    subject_return_kind: str  # "twr" | "nav_total_return"
    benchmark: str  # index code or "target:C3"
    benchmark_name: str
    benchmark_return: float
    excess_return: float  # subject − benchmark
    outperformed: bool


def index_return(deps: Deps, code: str, start: date, end: date) -> float:
    """Level on the last date ≤ end over the level on the last date ≤ start, minus 1."""
    lv = mrepo.index_levels(deps.engine, code, end=end)
    if lv.empty:
        raise DataUnavailable(f"no levels for index {code!r}", field="benchmark", hint="import the index levels")
    s = lv.set_index(pd.to_datetime(lv["date"]))["level"].astype(float)
    base = s[s.index <= pd.Timestamp(start)]
    if base.empty:
        raise DataUnavailable(f"index {code!r} has no level on or before {start}", field="period")
    return float(s.iloc[-1] / base.iloc[-1] - 1.0)


def compare_to_benchmark(
    deps: Deps, *, client_id: str | None = None, fund: str | None = None, benchmark: str = "000300",
    period: str | None = "ytd",
) -> BenchmarkComparison:
    """跑赢沪深300了吗: the subject's return over the period next to the benchmark's."""
    if (client_id is None) == (fund is None):
        raise InvalidInput("give a client or a fund", field="client_id", hint="e.g. client_id=C0001 or fund=001101")
    token = (period or "ytd").strip().lower()
    start, end = resolve_period(token, deps.as_of, default="ytd")
    if client_id is not None:
        perf = clients.client_performance(deps, client_id, token)
        if perf.twr is None:
            raise DataUnavailable("no time-weighted return for this client and period", field="period")
        subject, kind, ret, rkind = perf.client_id, "client", float(perf.twr), "twr"
        start = start or perf.start
        level = clients.client_book(deps, client_id).client["risk_level"]
    else:
        m = funds.fund_metrics(deps, fund or "", token)
        subject, kind, ret, rkind = m.code, "fund", m.metrics.total_return, "nav_total_return"
        start, end, level = m.metrics.start, m.metrics.end, None
    if start is None:
        raise InvalidInput("the period has no start date", field="period", hint="e.g. ytd, 1y, since:2024-01-01")
    bench = (benchmark or "000300").strip()
    if bench in ("target", "target_mix"):
        if level is None:
            raise InvalidInput("a fund has no target mix", field="benchmark", hint="use 000300 or CBA00101")
        mix = target_mix(str(level), deps.policy)
        r = backtest_mix(loading.class_returns(deps.engine, start, end, deps.policy.market), mix)
        b_ret, code, name = float(np.prod(1.0 + r.to_numpy()) - 1.0), f"target:{level}", f"target mix of {level}"
    else:
        b_ret, code, name = index_return(deps, bench, start, end), bench, BENCHMARK_NAMES.get(bench, bench)
    return BenchmarkComparison(subject=subject, subject_kind=kind, period=token, start=start, end=end,
                               subject_return=ret, subject_return_kind=rkind, benchmark=code, benchmark_name=name,
                               benchmark_return=b_ret, excess_return=ret - b_ret, outperformed=ret > b_ret)
