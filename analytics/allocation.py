"""Allocation: target mix by risk level and "three pots", gap analysis, a gated rebalancing proposal, and a
backtest of the proposed vs the current mix.

Policy values arrive as the one ``core.policy.Policy`` (its ``allocation``, ``liquidity`` and
``suitability`` sections); the defaults are the example policy of ``reference/domain.md``.

Asset classes: cash, fixed_income, equity, alternative, protection (insurance). Three pots:
liquidity (随时要用的钱) = ``liquidity_months`` of monthly expenses held as cash; protection (家庭保障的钱) =
``protection_share`` of assets in insurance; growth (财富增值的钱) = the rest, split by the risk-level mix.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, Field

from analytics.backtest import backtest_mix, compare_backtest
from analytics.constants import ASSET_CLASSES
from analytics.errors import InvalidInput
from analytics.suitability import check_suitability, client_level, product_level
from core.policy import DEFAULT_POLICY, Policy

__all__ = [
    "AllocationPolicy",
    "DEFAULT_POLICY",
    "check_suitability",
    "target_mix",
    "three_pots",
    "gap_analysis",
    "propose_rebalance",
    "backtest_mix",
    "compare_backtest",
    "review_allocation",
    "suitable_products",
]

AllocationPolicy = Policy  # the allocation numbers are sections of the one Policy (core.policy)


def target_mix(risk_level: str, policy: Policy = DEFAULT_POLICY) -> pd.Series:
    """The growth-pot mix for a client risk level, e.g. C3 → cash .10, fixed_income .50, equity .35, alt .05."""
    client_level(risk_level)
    if risk_level not in policy.allocation.target_mix:
        raise InvalidInput(f"policy has no target mix for {risk_level}", field="risk_level")
    return pd.Series(policy.allocation.target_mix[risk_level], dtype=float)


class Pot(BaseModel):
    name: str
    label_zh: str
    target: float  # yuan
    target_low: float
    target_high: float
    current: float
    gap: float  # target − current (positive = add)


class ThreePots(BaseModel):
    total: float
    pots: list[Pot]
    target_by_class: dict[str, float]  # yuan per asset class; sums to total


def three_pots(
    total: float,
    monthly_expense: float,
    current_by_class: pd.Series | dict[str, float],
    risk_level: str,
    policy: Policy = DEFAULT_POLICY,
) -> ThreePots:
    """Size the three pots and the target amount per asset class.

    Liquidity target = midpoint of the band (e.g. 4.5 months of expenses), capped at total; protection
    = protection_share·total (insurance); growth = the rest split by ``target_mix(risk_level)``.
    ``current_by_class``: asset class → yuan (cash counts towards liquidity, protection towards
    protection, everything else towards growth)."""
    if total <= 0:
        raise InvalidInput("total assets must be positive", field="total")
    if monthly_expense < 0:
        raise InvalidInput("must be ≥ 0", field="monthly_expense")
    cur = pd.Series(current_by_class, dtype=float).reindex(list(ASSET_CLASSES), fill_value=0.0)
    lo, hi = (m * monthly_expense for m in policy.liquidity.liquidity_months)
    liq = min((lo + hi) / 2, total)
    prot = min(policy.allocation.protection_share * total, total - liq)
    growth = total - liq - prot
    mix = target_mix(risk_level, policy)
    by_class = {c: float(growth * mix.get(c, 0.0)) for c in ASSET_CLASSES}
    by_class["cash"] += liq
    by_class["protection"] += prot
    cur_growth = float(cur.drop(["cash", "protection"]).sum())
    pots = [
        Pot(
            name="liquidity",
            label_zh="随时要用的钱",
            target=liq,
            target_low=min(lo, total),
            target_high=min(hi, total),
            current=float(cur["cash"]),
            gap=liq - float(cur["cash"]),
        ),
        Pot(
            name="protection",
            label_zh="家庭保障的钱",
            target=prot,
            target_low=prot,
            target_high=prot,
            current=float(cur["protection"]),
            gap=prot - float(cur["protection"]),
        ),
        Pot(
            name="growth",
            label_zh="财富增值的钱",
            target=growth,
            target_low=growth,
            target_high=growth,
            current=cur_growth,
            gap=growth - cur_growth,
        ),
    ]
    return ThreePots(total=total, pots=pots, target_by_class=by_class)


def gap_analysis(
    current: pd.Series, target: pd.Series, *, band: float = DEFAULT_POLICY.allocation.rebalance_band
) -> pd.DataFrame:
    """Current vs target per asset class (yuan in, yuan out).

    Columns: current, target, gap (= target − current), current_weight, target_weight, action (add | reduce
    | hold, hold when |gap| < band·total). Σ gap = 0 when both sides have the same total."""
    cur = pd.Series(current, dtype=float)
    tgt = pd.Series(target, dtype=float)
    if (cur < 0).any() or (tgt < 0).any():
        raise InvalidInput("amounts must be ≥ 0", field="current" if (cur < 0).any() else "target")
    idx = [c for c in ASSET_CLASSES if c in cur.index or c in tgt.index] + sorted(
        (set(cur.index) | set(tgt.index)) - set(ASSET_CLASSES)
    )
    cur, tgt = cur.reindex(idx, fill_value=0.0), tgt.reindex(idx, fill_value=0.0)
    total = float(cur.sum()) or 1.0
    gap = tgt - cur
    action = np.where(gap.abs() < band * total, "hold", np.where(gap > 0, "add", "reduce"))
    out = pd.DataFrame(
        {
            "current": cur,
            "target": tgt,
            "gap": gap,
            "current_weight": cur / total,
            "target_weight": tgt / (float(tgt.sum()) or 1.0),
            "action": action,
        }
    )
    out.index.name = "asset_class"
    return out


class ProposalLine(BaseModel):
    action: str  # buy | sell
    product_code: str
    name: str
    asset_class: str
    risk_level: str
    amount: float  # yuan
    reason: str  # English sentence
    # language-neutral wording id + the figures it quotes beyond this line's own fields, for per-language
    # rendering: sell_above_level / sell_over_target / buy_under_target, {"client_risk_level", "gap"}
    reason_code: str = ""
    reason_args: dict[str, Any] = Field(default_factory=dict)


class RebalanceProposal(BaseModel):
    client_id: str
    as_of: date
    risk_level: str
    gaps: list[dict[str, Any]]  # rows of gap_analysis
    lines: list[ProposalLine]
    current_mix: dict[str, float]
    proposed_mix: dict[str, float]
    suitability_checked: list[str]  # product codes that passed check_suitability


def propose_rebalance(
    client: pd.Series,
    holdings: pd.DataFrame,
    shelf: pd.DataFrame,
    as_of: date,
    *,
    cash: float = 0.0,
    policy: Policy = DEFAULT_POLICY,
    dual_recording_confirmed: bool = False,
) -> RebalanceProposal:
    """Close the gaps to the three-pots target with on-shelf products whose R ≤ C.

    ``holdings``: product_code, name, asset_class, risk_level, market_value (``ClientBook.holdings()``);
    ``shelf``: products rows (code, name, kind, asset_class, risk_level, status, min_amount,
    expected_yield). Reductions sell the client's own holdings in over-weight classes, highest risk level
    first (so a holding above the client's level goes first). Additions buy the best on-shelf candidate of
    the class (highest expected yield, then lowest risk) and EVERY buy line passes ``check_suitability``,
    which raises ``SuitabilityError`` (e.g. expired assessment) and so stops the proposal.
    """
    risk = str(client["risk_level"])
    c = client_level(risk)
    cur = holdings.groupby("asset_class")["market_value"].sum()
    cur["cash"] = cur.get("cash", 0.0) + cash
    total = float(cur.sum())
    pots = three_pots(total, float(client.get("monthly_expense", 0.0) or 0.0), cur, risk, policy)
    gaps = gap_analysis(cur, pd.Series(pots.target_by_class), band=policy.allocation.rebalance_band)
    lines: list[ProposalLine] = []
    checked: list[str] = []
    for cls, row in gaps[gaps["action"] == "reduce"].iterrows():
        need = -float(row["gap"])
        mine = holdings[holdings["asset_class"] == cls].copy()
        mine["lvl"] = mine["risk_level"].map(product_level)
        for _, h in mine.sort_values(["lvl", "market_value"], ascending=False).iterrows():
            if need <= 0:
                break
            amt = min(need, float(h["market_value"]))
            need -= amt
            over = int(h["lvl"]) > c
            lines.append(
                ProposalLine(
                    action="sell",
                    product_code=str(h["product_code"]),
                    name=str(h["name"]),
                    asset_class=str(cls),
                    risk_level=str(h["risk_level"]),
                    amount=amt,
                    reason=(f"{h['risk_level']} above {risk}; " if over else "")
                    + f"{cls} over target by {-row['gap']:,.0f}",
                    reason_code="sell_above_level" if over else "sell_over_target",
                    reason_args={"client_risk_level": risk, "gap": -float(row["gap"])},
                )
            )
    on = shelf[(shelf["status"] == "on_shelf")].copy()
    on["lvl"] = on["risk_level"].map(product_level)
    on = on[on["lvl"] <= c]  # candidate filter; the gate below still checks every line
    yld = on["expected_yield"] if "expected_yield" in on.columns else pd.Series(0.0, index=on.index)
    on["yld"] = pd.to_numeric(yld, errors="coerce").fillna(0.0)
    for cls, row in gaps[gaps["action"] == "add"].iterrows():
        amt = float(row["gap"])
        cands = on[(on["asset_class"] == cls) & (pd.to_numeric(on.get("min_amount", 0.0)).fillna(0.0) <= amt)]
        if cands.empty:
            continue
        best = cands.sort_values(["yld", "lvl"], ascending=[False, True]).iloc[0]
        check_suitability(
            client,
            best,
            as_of,
            dual_recording_confirmed=dual_recording_confirmed,
            rules=policy.suitability,
        )
        checked.append(str(best["code"]))
        lines.append(
            ProposalLine(
                action="buy",
                product_code=str(best["code"]),
                name=str(best["name"]),
                asset_class=str(cls),
                risk_level=str(best["risk_level"]),
                amount=amt,
                reason=f"{cls} under target by {amt:,.0f}",
                reason_code="buy_under_target",
                reason_args={"gap": amt},
            )
        )
    proposed = cur.copy()
    for ln in lines:
        proposed[ln.asset_class] = proposed.get(ln.asset_class, 0.0) + (
            ln.amount if ln.action == "buy" else -ln.amount
        )
    sells, buys = (
        sum(ln.amount for ln in lines if ln.action == "sell"),
        sum(ln.amount for ln in lines if ln.action == "buy"),
    )
    proposed["cash"] = proposed.get("cash", 0.0) + sells - buys  # trades settle through the current account
    ptotal = float(proposed.sum())
    return RebalanceProposal(
        client_id=str(client.get("id", "")),
        as_of=as_of,
        risk_level=risk,
        gaps=gaps.reset_index().to_dict(orient="records"),
        lines=lines,
        current_mix={k: float(v / total) for k, v in cur.items() if v},
        proposed_mix={k: float(v / ptotal) for k, v in proposed.items() if abs(v) > 1e-9},
        suitability_checked=checked,
    )


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
    pots: ThreePots
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
) -> AllocationReview:
    """Allocation review of one ``ClientBook``: current mix, three pots, gaps, and a gated rebalancing
    proposal from the on-shelf products in ``book.products``. ``market`` (a ``MarketFrames``, optional)
    adds the look-through mix of funds from their latest published asset allocation. A suitability refusal
    (e.g. expired assessment) leaves ``proposal`` empty and says why in ``blocked``."""
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
    pots = three_pots(total, float(client.get("monthly_expense", 0.0) or 0.0), cur, risk, policy)
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
        )
    except SuitabilityError as exc:  # the gate refused a line: no proposal, and say why
        blocked = exc.message
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
        gaps=gaps.reset_index().to_dict(orient="records"),
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
    maturity_date."""
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
