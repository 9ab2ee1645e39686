"""Return attribution: Brinson–Fachler / Brinson–Hood–Beebower, Carino linking, contribution by holding.

Segments are industries (fund vs benchmark) or asset classes (client vs target mix). Inputs are
``pd.Series`` indexed by segment, weights as fractions summing to 1, returns as simple returns::

    wp = pd.Series({"银行": 0.4, "电子": 0.6}); rp = pd.Series({"银行": 0.05, "电子": 0.10})
    wb = pd.Series({"银行": 0.5, "电子": 0.5}); rb = pd.Series({"银行": 0.04, "电子": 0.08})
    brinson(wp, rp, wb, rb, method="BF")
    #        allocation  selection  interaction
    # 银行     0.0002     0.005      -0.001
    # 电子     0.0002     0.010       0.002

Effects per segment (i), with R_b = Σ wb·rb:
BHB allocation (wp−wb)·rb_i, BF allocation (wp−wb)·(rb_i − R_b); selection wb·(rp_i − rb_i); interaction
(wp−wb)·(rp_i − rb_i). Both methods sum exactly to R_p − R_b. Carino linking scales period t's effects by
k_t/k, k_t = (ln(1+R_p,t) − ln(1+R_b,t))/(R_p,t − R_b,t), k the same on cumulative returns, so the linked
effects sum exactly to the cumulative active return.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from analytics.errors import InvalidInput

EFFECTS = ["allocation", "selection", "interaction"]
_SUM_TOL = 1e-6


def _series(x: object, field: str) -> pd.Series:
    if isinstance(x, dict):
        x = pd.Series(x, dtype=float)
    if not isinstance(x, pd.Series):
        raise InvalidInput(f"expected a Series indexed by segment, got {type(x).__name__}", field=field)
    v = pd.to_numeric(x, errors="coerce")
    if v.isna().any():
        raise InvalidInput(f"missing value for segment {v[v.isna()].index[0]!r}", field=field)
    if not v.index.is_unique:
        raise InvalidInput("segments are duplicated", field=field)
    return v.astype(float)


def _weights(x: object, field: str) -> pd.Series:
    w = _series(x, field)
    if len(w) == 0:
        raise InvalidInput("is empty", field=field)
    if abs(w.sum() - 1.0) > _SUM_TOL:
        raise InvalidInput(
            f"weights sum to {w.sum():.6f}, not 1",
            field=field,
            hint="weights are fractions of the whole portfolio; include cash as a segment",
        )
    return w


def _log_factor(rp: float, rb: float) -> float:
    """Carino's k: (ln(1+rp) − ln(1+rb))/(rp − rb), with the limit 1/(1+r) when rp == rb."""
    if rp <= -1 or rb <= -1:
        raise InvalidInput("a return of −100% or worse cannot be linked", field="periods")
    if abs(rp - rb) < 1e-12:
        return 1.0 / (1.0 + rp)
    return (np.log1p(rp) - np.log1p(rb)) / (rp - rb)


def brinson(
    wp: pd.Series,
    rp: pd.Series,
    wb: pd.Series,
    rb: pd.Series,
    method: Literal["BF", "BHB"] = "BF",
) -> pd.DataFrame:
    """Single-period Brinson attribution. Index = union of segments, columns allocation/selection/interaction.

    A segment missing from one side has weight 0 there; its missing return is taken as the benchmark
    segment return (portfolio side) or the total benchmark return (benchmark side), which makes the
    effect attributable to allocation alone. ``result.attrs`` holds ``portfolio_return``,
    ``benchmark_return`` and ``active_return``; the frame's total equals ``active_return`` exactly.
    """
    if method not in ("BF", "BHB"):
        raise InvalidInput(f"unknown method {method!r}", field="method", hint='"BF" or "BHB"')
    wp_, wb_ = _weights(wp, "wp"), _weights(wb, "wb")
    rp_, rb_ = _series(rp, "rp"), _series(rb, "rb")
    for w, r, name in ((wp_, rp_, "rp"), (wb_, rb_, "rb")):
        missing = w.index[(w != 0) & ~w.index.isin(r.index)]
        if len(missing):
            raise InvalidInput(f"no return for weighted segment {missing[0]!r}", field=name)
    seg = wp_.index.union(wb_.index, sort=False).union(rp_.index.intersection(rb_.index), sort=False)
    wp_a = wp_.reindex(seg, fill_value=0.0)
    wb_a = wb_.reindex(seg, fill_value=0.0)
    R_b = float((wb_ * rb_.reindex(wb_.index)).sum())
    rb_a = rb_.reindex(seg).fillna(R_b)
    rp_a = rp_.reindex(seg)
    rp_a = rp_a.where(rp_a.notna(), rb_a)
    R_p = float((wp_a * rp_a).sum())
    active_w = wp_a - wb_a
    alloc = active_w * (rb_a - R_b) if method == "BF" else active_w * rb_a
    out = pd.DataFrame(
        {"allocation": alloc, "selection": wb_a * (rp_a - rb_a), "interaction": active_w * (rp_a - rb_a)},
        index=seg,
    )
    out.index.name = "segment"
    out.attrs.update(portfolio_return=R_p, benchmark_return=R_b, active_return=R_p - R_b, method=method)
    return out


def brinson_linked(
    periods: Sequence[tuple[pd.Series, pd.Series, pd.Series, pd.Series]],
    method: Literal["BF", "BHB"] = "BF",
    linking: Literal["carino", "sum"] = "carino",
) -> pd.DataFrame:
    """Multi-period Brinson: one ``(wp, rp, wb, rb)`` tuple per period, linked per segment.

    ``linking="carino"`` makes the linked effects add up exactly to the cumulative active return
    Π(1+R_p,t) − Π(1+R_b,t); ``"sum"`` adds arithmetic effects (sums to Σ(R_p,t − R_b,t) only).
    ``result.attrs``: cumulative ``portfolio_return``, ``benchmark_return``, ``active_return``,
    and ``periods`` = [{"portfolio_return", "benchmark_return", "k"}…].
    """
    if linking not in ("carino", "sum"):
        raise InvalidInput(f"unknown linking {linking!r}", field="linking", hint='"carino" or "sum"')
    if not periods:
        raise InvalidInput("needs at least one period", field="periods")
    singles = []
    for t, p in enumerate(periods):
        if len(p) != 4:
            raise InvalidInput(f"period {t} is not a (wp, rp, wb, rb) tuple", field="periods")
        singles.append(brinson(*p, method=method))
    rps = np.array([s.attrs["portfolio_return"] for s in singles])
    rbs = np.array([s.attrs["benchmark_return"] for s in singles])
    cum_p, cum_b = float(np.prod(1 + rps) - 1), float(np.prod(1 + rbs) - 1)
    if linking == "carino":
        k = _log_factor(cum_p, cum_b)
        scales = [_log_factor(a, b) / k for a, b in zip(rps, rbs, strict=True)]
    else:
        scales = [1.0] * len(singles)
    total = (
        pd.concat([s * c for s, c in zip(singles, scales, strict=True)]).groupby(level=0, sort=False).sum()
    )
    total.index.name = "segment"
    total.attrs.update(
        portfolio_return=cum_p,
        benchmark_return=cum_b,
        active_return=cum_p - cum_b,
        method=method,
        linking=linking,
        periods=[
            {"portfolio_return": float(a), "benchmark_return": float(b), "scale": float(c)}
            for a, b, c in zip(rps, rbs, scales, strict=True)
        ],
    )
    return total[EFFECTS]


def contribution(weights: pd.Series, returns: pd.Series) -> pd.DataFrame:
    """Contribution to return by holding for one period: w_i·r_i. Columns weight/return/contribution; the
    contributions sum exactly to the portfolio return Σ w_i·r_i (``attrs['portfolio_return']``)."""
    w = _series(weights, "weights")
    r = _series(returns, "returns")
    missing = w.index.difference(r.index)
    if len(missing):
        raise InvalidInput(f"no return for holding {missing[0]!r}", field="returns")
    r = r.reindex(w.index)
    out = pd.DataFrame({"weight": w, "return": r, "contribution": w * r})
    out.index.name = "holding"
    out.attrs["portfolio_return"] = float(out["contribution"].sum())
    return out.sort_values("contribution", ascending=False)


def contribution_linked(periods: Sequence[tuple[pd.Series, pd.Series]]) -> pd.DataFrame:
    """Multi-period contribution by holding, Carino-linked against a zero benchmark so the contributions
    add up exactly to the compounded portfolio return Π(1+R_t) − 1. Index holding, column contribution."""
    if not periods:
        raise InvalidInput("needs at least one period", field="periods")
    singles = [contribution(w, r) for w, r in periods]
    rt = np.array([s.attrs["portfolio_return"] for s in singles])
    cum = float(np.prod(1 + rt) - 1)
    k = _log_factor(cum, 0.0)
    parts = [s[["contribution"]] * (_log_factor(float(r), 0.0) / k) for s, r in zip(singles, rt, strict=True)]
    out = pd.concat(parts).groupby(level=0, sort=False).sum().sort_values("contribution", ascending=False)
    out.index.name = "holding"
    out.attrs["portfolio_return"] = cum
    return out


def segment_view(weights: pd.Series, returns: pd.Series, segment: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Roll holdings up to segments: (segment weight Σw, segment return Σw·r/Σw).

    ``weights``/``returns`` are indexed by holding (security or product), ``segment`` maps holding →
    segment (Shenwan industry, asset class). Use it to build the ``wp, rp`` (or ``wb, rb``) of ``brinson``.
    """
    w = _series(weights, "weights")
    r = _series(returns, "returns").reindex(w.index)
    if r.isna().any():
        raise InvalidInput(f"no return for holding {r[r.isna()].index[0]!r}", field="returns")
    seg = segment.reindex(w.index)
    if seg.isna().any():
        raise InvalidInput(f"no segment for holding {seg[seg.isna()].index[0]!r}", field="segment")
    df = pd.DataFrame({"w": w, "wr": w * r, "seg": seg})
    g = df.groupby("seg", sort=False)[["w", "wr"]].sum()
    seg_ret = (g["wr"] / g["w"].where(g["w"] != 0)).fillna(0.0)
    g.index.name = None
    return g["w"].rename("weight"), seg_ret.rename("return")


def client_vs_target(
    client_weights: pd.Series,
    client_returns: pd.Series,
    target_mix: pd.Series,
    class_benchmark_returns: pd.Series,
    method: Literal["BF", "BHB"] = "BF",
) -> pd.DataFrame:
    """Asset-class attribution of a client's portfolio against the target mix of its risk level: the
    benchmark return of each class is its index return (e.g. cash = deposit rate, fixed_income = bond index,
    equity = CSI 300). Same output as ``brinson``."""
    return brinson(client_weights, client_returns, target_mix, class_benchmark_returns, method=method)


def fund_vs_benchmark_industries(
    holdings: pd.DataFrame,
    security_returns: pd.Series,
    benchmark_weights: pd.Series,
    industry_returns: pd.Series,
    method: Literal["BF", "BHB"] = "BF",
) -> pd.DataFrame:
    """Industry-level Brinson of a fund's stock book against its equity benchmark.

    ``holdings``: security_id, industry_code, weight (e.g. ``FundExposures.fund_holdings(code)`` at the
    period start; non-stock rows are dropped and the stock sleeve is rescaled to 1); ``security_returns``:
    security_id → period return; ``benchmark_weights``: industry → weight in the index (sums to 1);
    ``industry_returns``: industry → period return of the industry index. Same output as ``brinson``.
    """
    h = holdings.dropna(subset=["industry_code"])
    h = h[h["weight"] > 0]
    if h.empty:
        raise InvalidInput("the fund has no stock holdings with an industry", field="holdings")
    w = h.set_index("security_id")["weight"].astype(float)
    w = w / w.sum()
    wp, rp = segment_view(w, security_returns, h.set_index("security_id")["industry_code"].astype(str))
    return brinson(wp, rp, benchmark_weights, industry_returns, method=method)
