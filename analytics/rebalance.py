"""A rebalancing proposal a compliance officer would sign (re-exported by ``analytics.allocation``).

Rules, in the order they are applied:

1. Protection (insurance) is never traded to reach a target: the plan holds it at its current value,
   the growth pot absorbs the difference, and a gap or excess against the policy share is a finding
   (``protection_gap`` / ``protection_excess``) to discuss, not a trade.
2. A holding above the client's risk level is sold in full (``sell_above_level``); one that cannot be
   sold now (held to maturity, ``liquidity_days == -1``: closed-end 理财, term deposits, holding-period
   FOFs) becomes a ``to_discuss`` line with the reason instead.
3. An asset class over its target by more than the rebalancing band is sold down to the target from its
   redeemable holdings, highest risk level first; what only locked holdings could cover is a finding.
4. Proceeds are fully deployed: the current account ends at the liquidity pot's target, so
   Σ buys = Σ sells + (current account − liquidity target), split across the under-target classes in
   proportion to their gaps. A class without a product the client can buy (availability, R ≤ C, the
   elderly rule, minimum amount) is named in a finding and its share goes to the other classes; if no
   class can take the money it stays in the current account with an ``undeployed_cash`` finding.
5. Only products the client can actually buy (``analytics.offer``): ``analytics.availability`` (on shelf,
   subscription open, enough remaining term, not the client's own maturing holding), R ≤ C,
   ``min_amount``, no single product above the concentration limit, and every buy line passes
   ``check_suitability`` (which raises ``SuitabilityError``, e.g. for an expired assessment, and so stops
   the proposal).
6. 双录: a client at or above the elderly age is not proposed products of the elderly product level or
   above unless ``dual_recording_confirmed``; a class left without a product for that reason is an
   ``elderly_dual_recording_required`` finding.

The current account is the settlement account and the liquidity pot (随时要用的钱); the growth pot's cash
sleeve is held in cash-class products (money funds, cash-management 理财). ``proposed_mix`` is exactly
current holdings + lines; ``target_mix`` is the plan's three-pots target (``pots``), so the target chart,
the three pots and the trades agree.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
from pydantic import BaseModel, Field

from analytics.constants import ASSET_CLASSES
from analytics.errors import InvalidInput
from analytics.liquidity import idle_cash
from analytics.offer import EPS, TRADEABLE, Offer, spread
from analytics.pots import ThreePots, gap_analysis, target_mix, three_pots
from analytics.suitability import check_suitability, client_level, product_level
from core.policy import DEFAULT_POLICY, Policy

__all__ = ["ProposalLine", "RebalanceFinding", "RebalanceProposal", "propose_rebalance", "plan_pots"]

_HOLDING_COLUMNS = ("product_code", "name", "asset_class", "risk_level", "market_value")


class ProposalLine(BaseModel):
    action: str  # buy | sell | discuss (discuss lines live in RebalanceProposal.to_discuss, never in lines)
    product_code: str
    name: str
    asset_class: str
    risk_level: str
    amount: float  # yuan
    reason: str  # English sentence
    # language-neutral wording id + the figures it quotes beyond this line's own fields, for per-language
    # rendering: sell_above_level {"client_risk_level"} / sell_over_target {"client_risk_level", "gap"} /
    # buy_under_target {"gap", "class_amount"} / discuss_above_level_locked {"client_risk_level",
    # "maturity_date", "liquidity_days"}
    reason_code: str = ""
    reason_args: dict[str, Any] = Field(default_factory=dict)


class RebalanceFinding(BaseModel):
    """Something to discuss instead of a trade. ``code``: protection_gap | protection_excess |
    locked_over_target | no_buyable_product | elderly_dual_recording_required | product_concentration |
    undeployed_cash | liquidity_gap; ``amount`` (yuan) is the money it concerns."""

    code: str
    amount: float
    asset_class: str | None = None
    product_code: str | None = None
    message: str  # English sentence
    args: dict[str, Any] = Field(default_factory=dict)


class RebalanceProposal(BaseModel):
    client_id: str
    as_of: date
    risk_level: str
    gaps: list[dict[str, Any]]  # rows of gap_analysis against the plan's target
    lines: list[ProposalLine]  # sells and buys
    current_mix: dict[str, float]
    proposed_mix: dict[str, float]  # = current holdings + lines, by asset class (fractions of total)
    suitability_checked: list[str]  # product codes that passed check_suitability
    target_mix: dict[str, float] = Field(default_factory=dict)  # = pots.target_by_class / total
    pots: ThreePots | None = None
    to_discuss: list[ProposalLine] = Field(default_factory=list)
    findings: list[RebalanceFinding] = Field(default_factory=list)
    total: float = 0.0
    cash_before: float = 0.0  # current account
    cash_after: float = 0.0  # current account after every line settles
    liquidity_target: float = 0.0
    sell_total: float = 0.0
    buy_total: float = 0.0


def plan_pots(
    client: pd.Series, current_by_class: pd.Series, current_account: float, policy: Policy = DEFAULT_POLICY
) -> ThreePots:
    """The three pots a rebalancing plan aims at: protection held at its current value (never traded),
    the liquidity pot measured on the current account. ``review_allocation`` shows these pots."""
    total = float(current_by_class.sum())
    return three_pots(
        total,
        _expense(client),
        current_by_class,
        str(client["risk_level"]),
        policy,
        protection_held=float(current_by_class.get("protection", 0.0)),
        current_account=current_account,
    )


def _expense(client: pd.Series) -> float:
    """Monthly expenses; none recorded (missing or NaN) means no liquidity pot beyond what is held."""
    value = pd.to_numeric(client.get("monthly_expense"), errors="coerce")
    return 0.0 if pd.isna(value) else float(value)


def _holdings(holdings: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in _HOLDING_COLUMNS if c not in holdings.columns]
    if missing:
        raise InvalidInput(f"holdings lack column {missing[0]!r}", field=f"holdings.{missing[0]}",
                           hint="pass ClientBook.holdings()")
    h = holdings[pd.to_numeric(holdings["market_value"], errors="coerce").fillna(0.0) > 0].copy()
    unknown = sorted(set(h["asset_class"].astype(str)) - set(ASSET_CLASSES))
    if unknown:
        raise InvalidInput(f"unknown asset class {unknown[0]!r}", field="holdings.asset_class",
                           hint=", ".join(ASSET_CLASSES))
    h["market_value"] = h["market_value"].astype(float)
    h["lvl"] = h["risk_level"].map(product_level)
    liq = pd.to_numeric(h["liquidity_days"], errors="coerce") if "liquidity_days" in h else None
    # insurance is never sold; a held-to-maturity product cannot be redeemed before it matures
    h["redeemable"] = (h["asset_class"] != "protection") & (True if liq is None else (liq != -1))
    h["left"] = h["market_value"]
    h["off_shelf"] = (h["status"] != "on_shelf") if "status" in h else False
    return h.reset_index(drop=True)


def _line(action: str, row: Any, amount: float, reason: str, code: str, args: dict[str, Any]) -> ProposalLine:
    return ProposalLine(
        action=action,
        product_code=str(row["product_code"] if "product_code" in row else row["code"]),
        name=str(row["name"]),
        asset_class=str(row["asset_class"]),
        risk_level=str(row["risk_level"]),
        amount=float(amount),
        reason=reason,
        reason_code=code,
        reason_args=args,
    )


def _int(value: Any) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def _iso(value: Any) -> str | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date().isoformat()


def _protection_findings(pots: ThreePots, band: float) -> list[RebalanceFinding]:
    prot = next(p for p in pots.pots if p.name == "protection")
    policy_amount = prot.policy_target if prot.policy_target is not None else prot.target
    gap = policy_amount - prot.current
    args = {"policy_target": policy_amount, "current": prot.current}
    if gap >= band and gap > EPS:
        return [RebalanceFinding(
            code="protection_gap", amount=gap, asset_class="protection", args=args,
            message=f"protection {prot.current:,.0f} is {gap:,.0f} below the policy amount {policy_amount:,.0f}: "
            "discuss the family's cover (a needs analysis, not a rebalancing trade)")]
    if -gap >= band and -gap > EPS:
        return [RebalanceFinding(
            code="protection_excess", amount=-gap, asset_class="protection", args=args,
            message=f"protection {prot.current:,.0f} is {-gap:,.0f} above the policy amount {policy_amount:,.0f}: "
            "insurance is not surrendered to reach a target (surrender loses value and cover); review with the "
            "client")]
    return []


def propose_rebalance(
    client: pd.Series,
    holdings: pd.DataFrame,
    shelf: pd.DataFrame,
    as_of: date,
    *,
    cash: float = 0.0,
    policy: Policy = DEFAULT_POLICY,
    dual_recording_confirmed: bool = False,
    horizon_days: int | None = None,
) -> RebalanceProposal:
    """Close the gaps to the plan's three-pots target under the rules of this module's docstring.

    ``holdings``: product_code, name, asset_class, risk_level, market_value (+ liquidity_days,
    maturity_date, status) as ``ClientBook.holdings()``; ``shelf``: products rows; ``cash``: the
    current-account balance; ``horizon_days`` (default ``policy.products.reinvestment_horizon_days``) ranks
    products whose money comes back within it first."""
    risk = str(client["risk_level"])
    level = client_level(risk)
    hold = _holdings(holdings)
    cur = hold.groupby("asset_class")["market_value"].sum().reindex(list(ASSET_CLASSES), fill_value=0.0)
    account = float(cash)
    cur["cash"] += account
    total = float(cur.sum())
    if total <= 0:
        raise InvalidInput(f"client {client.get('id', '')!r} holds nothing", field="holdings")
    pots = plan_pots(client, cur, account, policy)
    liq_target = pots.pots[0].target
    band = policy.allocation.rebalance_band * total
    findings = _protection_findings(pots, band)
    offer = Offer(client, shelf, as_of, policy, hold,
                  horizon_days or policy.products.reinvestment_horizon_days, dual_recording_confirmed)
    sells, discuss = _sell_above_level(hold, level, risk)
    sleeve = pd.Series(pots.target_by_class, dtype=float).reindex(list(TRADEABLE))
    sleeve["cash"] -= liq_target  # cash-class products hold the growth pot's cash sleeve only
    sleeve, more = _reachable(sleeve, hold, offer, target_mix(risk, policy))
    findings += more
    sell_more, more = _sell_over_target(hold, sleeve, band, risk)
    sells += sell_more
    findings += more

    proceeds = sum(ln.amount for ln in sells)
    deploy = account + proceeds - liq_target
    idle = float(idle_cash(account, _expense(client), policy.liquidity))
    buys: list[ProposalLine] = []
    if deploy < 0 and -deploy >= band:
        findings.append(RebalanceFinding(
            code="liquidity_gap", amount=-deploy, asset_class="cash",
            message=f"the current account stays {-deploy:,.0f} below the liquidity target {liq_target:,.0f}"))
    elif deploy > EPS and (proceeds > 0 or deploy >= band or idle > 0):
        now = hold.groupby("asset_class")["left"].sum().reindex(list(TRADEABLE), fill_value=0.0)
        gaps = {c: float(sleeve[c] - now[c]) for c in TRADEABLE if sleeve[c] - now[c] > EPS}
        held_after = hold.groupby("product_code")["left"].sum()
        buys, more = _deploy(deploy, gaps, offer, policy.concentration.product_of_client * total, held_after)
        findings += more
    checked: list[str] = []
    for ln in buys:  # 5. the gate on every line (raises SuitabilityError: then there is no proposal)
        row = offer.ranked[offer.ranked["code"] == ln.product_code].iloc[0]
        check_suitability(client, row, as_of, dual_recording_confirmed=dual_recording_confirmed,
                          rules=policy.suitability)
        checked += [] if ln.product_code in checked else [ln.product_code]

    spent = sum(ln.amount for ln in buys)
    after = hold.groupby("asset_class")["left"].sum().reindex(list(ASSET_CLASSES), fill_value=0.0)
    for ln in buys:
        after[ln.asset_class] += ln.amount
    account_after = account + proceeds - spent  # every trade settles through the current account
    after["cash"] += account_after
    target = sleeve.reindex(list(ASSET_CLASSES), fill_value=0.0)
    target["cash"] += liq_target
    target["protection"] = pots.target_by_class["protection"]
    pots = pots.model_copy(update={"target_by_class": {k: float(v) for k, v in target.items()}})
    return RebalanceProposal(
        client_id=str(client.get("id", "")),
        as_of=as_of,
        risk_level=risk,
        gaps=gap_analysis(cur, target, band=policy.allocation.rebalance_band).reset_index().to_dict(orient="records"),
        lines=sells + buys,
        current_mix=_mix(cur, total),
        proposed_mix=_mix(after, total),
        suitability_checked=checked,
        target_mix=_mix(target, total),
        pots=pots,
        to_discuss=discuss,
        findings=findings,
        total=total,
        cash_before=account,
        cash_after=account_after,
        liquidity_target=liq_target,
        sell_total=proceeds,
        buy_total=spent,
    )


def _mix(amounts: pd.Series, total: float) -> dict[str, float]:
    return {str(k): float(v / total) for k, v in amounts.items() if abs(v) > 1e-9}


def _sell_above_level(hold: pd.DataFrame, level: int, risk: str) -> tuple[list[ProposalLine], list[ProposalLine]]:
    """Rule 2: every holding above the client's level is sold in full, or is a discuss line when it cannot
    be sold now. Updates ``hold['left']``."""
    sells: list[ProposalLine] = []
    discuss: list[ProposalLine] = []
    for i, h in hold[hold["lvl"] > level].iterrows():
        if h["redeemable"]:
            sells.append(_line("sell", h, h["market_value"], f"{h['risk_level']} above {risk}; sold in full",
                               "sell_above_level", {"client_risk_level": risk}))
            hold.at[i, "left"] = 0.0
            continue
        mat = _iso(h.get("maturity_date"))
        discuss.append(_line(
            "discuss", h, h["market_value"],
            f"{h['risk_level']} above {risk} but cannot be sold now (held to "
            f"{'maturity on ' + mat if mat else 'maturity'}); agree with the client not to renew it",
            "discuss_above_level_locked",
            {"client_risk_level": risk, "maturity_date": mat, "liquidity_days": _int(h.get("liquidity_days"))}))
    return sells, discuss


def _reachable(sleeve: pd.Series, hold: pd.DataFrame, offer: Offer,
               mix: pd.Series) -> tuple[pd.Series, list[RebalanceFinding]]:
    """The growth targets this client can actually reach: a class with no product the client can buy keeps
    at most what the client already holds of it, and the rest of its target goes to the classes that can
    be bought, in proportion to their policy mix (e.g. a C2 client's equity share when every equity
    product is R3+, or the alternatives share on a shelf without alternatives)."""
    kept = hold.groupby("asset_class")["left"].sum().reindex(list(TRADEABLE), fill_value=0.0)
    out, findings, short = sleeve.copy(), [], 0.0
    for cls in TRADEABLE:
        why = offer.buyable(cls)
        if why is None:
            continue
        out[cls] = min(float(sleeve[cls]), float(kept[cls]))
        missing = float(sleeve[cls]) - out[cls]
        short += missing
        if missing > 1.0:  # yuan: below that it is rounding, not a finding
            findings.append(_unbuyable(cls, why, missing, offer))
    takers = [c for c in TRADEABLE if offer.buyable(c) is None]
    weight = float(sum(mix.get(c, 0.0) for c in takers))
    for c in takers:
        out[c] += short * (float(mix.get(c, 0.0)) / weight if weight > 0 else 1.0 / len(takers))
    return out, findings


def _unbuyable(cls: str, why: str, amount: float, offer: Offer) -> RebalanceFinding:
    if why == "elderly":
        return RebalanceFinding(
            code="elderly_dual_recording_required", amount=amount, asset_class=cls,
            args={"elderly_min_product_level": f"R{offer.elderly_level}"},
            message=f"{cls} needs R{offer.elderly_level}+ products, which an elderly client buys only after 双录 "
            f"(recorded sale); {amount:,.0f} of its target goes to the other classes")
    return RebalanceFinding(
        code="no_buyable_product", amount=amount, asset_class=cls, args={"reason": why},
        message=_NO_PRODUCT[why].format(cls=cls, amount=amount) + f"; {amount:,.0f} goes to the other classes")


def _sell_over_target(hold: pd.DataFrame, sleeve: pd.Series, band: float,
                      risk: str) -> tuple[list[ProposalLine], list[RebalanceFinding]]:
    """Rule 3: classes over target by more than the band are sold down from redeemable holdings, highest
    risk level first, products no longer on the shelf before those still sold. Updates ``hold['left']``."""
    sells: list[ProposalLine] = []
    findings: list[RebalanceFinding] = []
    for cls in TRADEABLE:
        mine = hold[(hold["asset_class"] == cls) & (hold["left"] > 0)]
        gap = float(mine["left"].sum()) - float(sleeve[cls])
        if gap < band or gap <= EPS:
            continue
        excess = gap
        for i, h in mine.sort_values(["lvl", "off_shelf", "left"], ascending=False, kind="stable").iterrows():
            if excess <= EPS or not h["redeemable"]:
                continue
            amt = min(excess, float(h["left"]))
            sells.append(_line("sell", h, amt, f"{cls} over target by {gap:,.0f}", "sell_over_target",
                               {"client_risk_level": risk, "gap": gap}))
            hold.at[i, "left"] -= amt
            excess -= amt
        if excess > EPS:
            locked = mine[~mine["redeemable"]]
            mats = pd.to_datetime(locked["maturity_date"], errors="coerce") if "maturity_date" in locked else None
            findings.append(RebalanceFinding(
                code="locked_over_target", amount=excess, asset_class=cls,
                args={"products": locked["product_code"].astype(str).tolist(),
                      "earliest_maturity": None if mats is None else _iso(mats.min())},
                message=f"{cls} stays {excess:,.0f} over target: the rest is held to maturity; "
                "plan the maturity proceeds instead"))
    return sells, findings


_NO_PRODUCT = {
    "none_on_shelf": "the shelf has no {cls} product",
    "not_available": "no {cls} product on the shelf is open for subscription now",
    "above_client_level": "every buyable {cls} product is above the client's risk level",
    "below_minimum_amount": "the {cls} share is below every buyable product's minimum amount",
}


def _deploy(amount: float, gaps: dict[str, float], offer: Offer, cap: float,
            held: pd.Series) -> tuple[list[ProposalLine], list[RebalanceFinding]]:
    """Split ``amount`` over the classes by their gaps; drop (with a finding) classes nothing can fill and
    split again among the rest."""
    findings: list[RebalanceFinding] = []
    open_ = dict(gaps)
    while open_:
        weight = sum(open_.values())
        shares = {c: amount * g / weight for c, g in open_.items()}
        picks: dict[str, pd.DataFrame] = {}
        for cls, share in shares.items():
            cands, why = offer.candidates(cls, share)
            if why is None:
                picks[cls] = cands
                continue
            del open_[cls]
            findings.append(_unbuyable(cls, why, gaps[cls], offer))
            break  # shares change once a class drops out: split again
        else:
            lines: list[ProposalLine] = []
            for cls, share in shares.items():
                filled, over = spread(picks[cls], share, cap, held)
                if over > EPS:
                    first = filled[0][0]
                    findings.append(RebalanceFinding(
                        code="product_concentration", amount=over, asset_class=cls, product_code=str(first["code"]),
                        message=f"{first['code']} takes {over:,.0f} above the single-product limit: too few "
                        f"buyable {cls} products to spread it"))
                for row, amt in filled:
                    lines.append(_line("buy", row, amt, f"{cls} under target by {gaps[cls]:,.0f}",
                                       "buy_under_target", {"gap": gaps[cls], "class_amount": share}))
            return lines, findings
    findings.append(RebalanceFinding(
        code="undeployed_cash", amount=amount, asset_class="cash",
        message=f"{amount:,.0f} stays in the current account: no under-target class has a product the client "
        "can buy"))
    return [], findings
