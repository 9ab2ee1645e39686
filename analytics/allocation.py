"""Allocation: target mix by risk level and "three pots", gap analysis, a compliant rebalancing proposal,
the allocation review of one client, the shelf search, and a backtest of the proposed vs the current mix.

Policy values arrive as the one ``core.policy.Policy`` (its ``allocation``, ``liquidity``, ``products``
and ``suitability`` sections); the defaults are the example policy of ``reference/domain.md``. The pieces
live in one module each and are re-exported here: targets (``analytics.pots``), the rebalancing rules
(``analytics.rebalance``), what can be bought today (``analytics.availability``), backtests
(``analytics.backtest``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
from pydantic import BaseModel

from analytics.availability import availability
from analytics.backtest import backtest_mix, compare_backtest
from analytics.errors import InvalidInput
from analytics.pots import Pot, ThreePots, gap_analysis, target_mix, three_pots
from analytics.rebalance import (
    ProposalLine,
    RebalanceFinding,
    RebalanceProposal,
    plan_pots,
    propose_rebalance,
)
from analytics.suitability import check_suitability, product_level
from core.policy import DEFAULT_POLICY, Policy

__all__ = [
    "AllocationPolicy",
    "AllocationReview",
    "DEFAULT_POLICY",
    "Pot",
    "ProposalLine",
    "RebalanceFinding",
    "RebalanceProposal",
    "ThreePots",
    "availability",
    "backtest_mix",
    "check_suitability",
    "compare_backtest",
    "gap_analysis",
    "plan_pots",
    "propose_rebalance",
    "review_allocation",
    "suitable_products",
    "target_mix",
    "three_pots",
]

AllocationPolicy = Policy  # the allocation numbers are sections of the one Policy (core.policy)


# ============================================================================================ client level


class AllocationReview(BaseModel):
    """``review_allocation`` result: where the money is, where the policy wants it, and how to get there."""

    client_id: str
    as_of: date
    risk_level: str
    assessment_expired: bool
    total: float
    current_by_class: dict[str, float]  # yuan, by product asset class (+ idle cash)
    lookthrough_mix: dict[str, float] | None  # funds by their reported asset mix (share of total)
    pots: ThreePots  # the plan's pots (protection held, liquidity = current account): = proposal.pots
    gaps: list[dict[str, Any]]
    proposal: RebalanceProposal | None
    blocked: str | None  # why no proposal: the suitability gate's message


def _fund_mix(market: Any, as_of: date) -> pd.DataFrame:
    """fund_code → latest published asset mix (stock/bond/cash/other + fund) as fractions."""
    a = market.fund_asset_allocation
    a = a[pd.to_datetime(a["published_on"]) <= pd.Timestamp(as_of)].sort_values("report_date")
    return a.groupby("fund_code")[["stock", "bond", "cash", "other", "fund"]].last()


def review_allocation(
    book: Any,
    market: Any = None,
    *,
    as_of: date,
    policy: Policy = DEFAULT_POLICY,
    dual_recording_confirmed: bool = False,
    horizon_days: int | None = None,
) -> AllocationReview:
    """Allocation review of one ``ClientBook``: current mix, three pots, gaps, and a rebalancing proposal
    under the rules of ``analytics.rebalance`` from the shelf in ``book.products``. ``market`` (a
    ``MarketFrames``, optional) adds the look-through mix of funds from their latest published asset
    allocation. A suitability refusal (e.g. expired assessment) leaves ``proposal`` empty and says why in
    ``blocked``; ``pots`` and ``gaps`` are the plan's either way."""
    from analytics.errors import SuitabilityError
    from analytics.suitability import assessment_expired

    client = book.client
    hold = book.holdings()
    hold = hold[hold["market_value"] > 0]
    cur = hold.groupby("asset_class")["market_value"].sum()
    cur["cash"] = cur.get("cash", 0.0) + float(book.cash)
    total = float(cur.sum())
    if total <= 0:
        raise InvalidInput(f"client {book.client_id!r} holds nothing", field="client_id")
    risk = str(client["risk_level"])
    pots = plan_pots(client, cur, float(book.cash), policy)
    gaps = gap_analysis(cur, pd.Series(pots.target_by_class), band=policy.allocation.rebalance_band)
    lt_mix = None
    if market is not None:
        mixes = _fund_mix(market, as_of)
        fund = hold[(hold["kind"] == "fund") & hold["fund_code"].isin(mixes.index)]
        m = mixes.loc[fund["fund_code"]].to_numpy() * fund["market_value"].to_numpy()[:, None]
        cols = dict(zip(["equity", "fixed_income", "cash", "other", "fund"], m.sum(axis=0), strict=True))
        rest = hold.drop(fund.index).groupby("asset_class")["market_value"].sum()
        for k, val in rest.items():
            cols[str(k)] = cols.get(str(k), 0.0) + float(val)
        cols["cash"] = cols.get("cash", 0.0) + float(book.cash)
        lt_mix = {k: float(val / total) for k, val in cols.items() if abs(val) > 1e-9}
    proposal, blocked = None, None
    try:
        proposal = propose_rebalance(
            client,
            hold,
            book.products,
            as_of,
            cash=float(book.cash),
            policy=policy,
            dual_recording_confirmed=dual_recording_confirmed,
            horizon_days=horizon_days,
        )
    except SuitabilityError as exc:  # the gate refused a line: no proposal, and say why
        blocked = exc.message
    if proposal is not None and proposal.pots is not None:
        pots = proposal.pots  # the targets the trades aim at (what no product can fill handed on)
    return AllocationReview(
        client_id=book.client_id,
        as_of=as_of,
        risk_level=risk,
        assessment_expired=assessment_expired(
            pd.Timestamp(client["risk_assessed_on"]).date(), as_of, policy.suitability.assessment_valid_days
        ),
        total=total,
        current_by_class={str(k): float(v) for k, v in cur.items()},
        lookthrough_mix=lt_mix,
        pots=pots,
        gaps=proposal.gaps if proposal is not None else gaps.reset_index().to_dict(orient="records"),
        proposal=proposal,
        blocked=blocked,
    )


def suitable_products(
    shelf: pd.DataFrame,
    *,
    book: Any = None,
    as_of: date,
    max_risk_level: str | None = None,
    asset_class: str | None = None,
    amount: float | None = None,
    limit: int = 5,
    policy: Policy = DEFAULT_POLICY,
) -> pd.DataFrame:
    """On-shelf products matching the filters; with a client ``book`` only those that PASS
    ``check_suitability`` for that client (each candidate goes through the gate). Highest expected yield
    first. Columns: code, name, kind, asset_class, risk_level, min_amount, expected_yield, liquidity_days,
    maturity_date.

    Superseded by ``services.products.search_shelf`` (which also applies ``analytics.availability``);
    only a test still calls this."""
    from analytics.errors import SuitabilityError

    s = shelf[shelf["status"] == "on_shelf"].copy()
    if max_risk_level:
        s = s[s["risk_level"].map(product_level) <= product_level(max_risk_level)]
    if asset_class:
        s = s[s["asset_class"] == asset_class]
    if amount is not None:
        s = s[pd.to_numeric(s["min_amount"], errors="coerce").fillna(0.0) <= amount]
    if book is not None:
        ok = []
        for row in s.to_dict(orient="records"):
            try:
                check_suitability(book.client, row, as_of, rules=policy.suitability)
                ok.append(True)
            except SuitabilityError:
                ok.append(False)
        s = s[ok]
    s = s.assign(_y=pd.to_numeric(s.get("expected_yield"), errors="coerce").fillna(-1.0))
    s = s.sort_values(["_y", "code"], ascending=[False, True]).drop(columns="_y")
    cols = [
        c
        for c in (
            "code",
            "name",
            "kind",
            "asset_class",
            "risk_level",
            "min_amount",
            "expected_yield",
            "liquidity_days",
            "maturity_date",
        )
        if c in s.columns
    ]
    return s[cols].head(limit).reset_index(drop=True)
