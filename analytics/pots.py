"""Targets: the growth mix by risk level, the "three pots" and the gap per asset class (re-exported by
``analytics.allocation``).

Asset classes: cash, fixed_income, equity, alternative, protection (insurance). Three pots:
liquidity (随时要用的钱) = the midpoint of ``liquidity_months`` of monthly expenses held as cash; protection
(家庭保障的钱) = ``protection_share`` of assets in insurance; growth (财富增值的钱) = the rest, split by the
risk-level mix (which has its own cash sleeve, e.g. 10% for C3, held in cash-class products).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pydantic import BaseModel

from analytics.constants import ASSET_CLASSES
from analytics.errors import InvalidInput
from analytics.suitability import client_level
from core.policy import DEFAULT_POLICY, Policy

__all__ = ["Pot", "ThreePots", "target_mix", "three_pots", "gap_analysis"]


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
    # the policy's amount when the plan holds the pot elsewhere (protection held at its current value
    # because insurance is never bought or surrendered to reach a target); None = same as target
    policy_target: float | None = None


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
    *,
    protection_held: float | None = None,
    current_account: float | None = None,
) -> ThreePots:
    """Size the three pots and the target amount per asset class.

    Liquidity target = midpoint of the band (e.g. 4.5 months of expenses), capped at total; protection
    = protection_share·total (insurance); growth = the rest split by ``target_mix(risk_level)``.
    ``current_by_class``: asset class → yuan (cash counts towards liquidity, protection towards
    protection, everything else towards growth).

    The rebalancing plan (``analytics.rebalance``) passes two more facts so that the pots agree with its
    trades: ``protection_held`` fixes the protection pot at that amount (the policy amount moves to
    ``policy_target`` and the growth pot absorbs the difference), and ``current_account`` makes the
    liquidity pot's current value that balance, the other cash-class holdings (money funds, cash
    management 理财) counting as the growth pot's cash sleeve."""
    if total <= 0:
        raise InvalidInput("total assets must be positive", field="total")
    if monthly_expense < 0:
        raise InvalidInput("must be ≥ 0", field="monthly_expense")
    cur = pd.Series(current_by_class, dtype=float).reindex(list(ASSET_CLASSES), fill_value=0.0)
    lo, hi = (m * monthly_expense for m in policy.liquidity.liquidity_months)
    liq = min((lo + hi) / 2, total)
    policy_prot = min(policy.allocation.protection_share * total, total - liq)
    prot = policy_prot
    if protection_held is not None:  # held insurance stays whole; only the liquidity pot can give way
        prot = min(max(float(protection_held), 0.0), total)
        liq = min(liq, total - prot)
    growth = total - liq - prot
    mix = target_mix(risk_level, policy)
    by_class = {c: float(growth * mix.get(c, 0.0)) for c in ASSET_CLASSES}
    by_class["cash"] += liq
    by_class["protection"] += prot
    liq_current = float(cur["cash"]) if current_account is None else float(current_account)
    cur_growth = float(cur.drop(["cash", "protection"]).sum()) + float(cur["cash"]) - liq_current
    pots = [
        Pot(
            name="liquidity",
            label_zh="随时要用的钱",
            target=liq,
            target_low=min(lo, total),
            target_high=min(hi, total),
            current=liq_current,
            gap=liq - liq_current,
        ),
        Pot(
            name="protection",
            label_zh="家庭保障的钱",
            target=prot,
            target_low=prot,
            target_high=prot,
            current=float(cur["protection"]),
            gap=prot - float(cur["protection"]),
            policy_target=None if protection_held is None else policy_prot,
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
