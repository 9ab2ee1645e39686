"""授信方案: the credit proposal that follows from the analysis by stated rules (pure, no I/O).

Rules (numbers are ``core.policy.CreditThresholds`` fields, printed in the report):

* no proposal when the verdict is decline or return (退回补充资料): the file does not support one;
* need = latest revenue × ``plan_revenue_share`` (working-capital need);
* capacity = EBITDA × ``plan_ebitda_multiple`` − interest-bearing debt + this bank's current balance
  (our own facility is renewed, not added); EBITDA = total profit + interest + depreciation;
* amount = min(need, capacity) rounded down to ``plan_round_yuan``; none if ≤ 0;
* product 流动资金贷款; term ``plan_term_months`` (``plan_term_months_weak`` when DSCR < ``dscr_amber``);
* rate = ``plan_lpr_1y`` + ``plan_spread_pass`` (pass) or ``plan_spread_conditional`` (conditional);
* guarantee: the actual controller's joint-and-several guarantee; plus collateral when conditional or
  debt-to-asset > ``debt_to_asset_amber``;
* conditions: one per warning flag, plus entrusted payment (受托支付) and quarterly statements.
"""

from __future__ import annotations

import math
from typing import Any

from pydantic import BaseModel, Field

from core.policy import CreditThresholds

OWN_BANK = "本行"


class CreditPlan(BaseModel):
    offered: bool
    reason: str = ""  # decline | return | no_capacity | no_data (when not offered)
    need: float | None = None
    capacity: float | None = None
    ebitda: float | None = None
    interest_bearing_debt: float | None = None
    own_balance: float = 0.0
    amount: float | None = None
    product: str = "working_capital_loan"
    term_months: int | None = None
    rate: float | None = None
    spread: float | None = None
    guarantees: list[str] = Field(default_factory=list)  # controller_guarantee | collateral
    conditions: list[str] = Field(default_factory=list)  # flag codes, then standard conditions


def _f(row: dict[str, Any], key: str) -> float | None:
    v = row.get(key)
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)


def credit_plan(
    conclusion: str, latest: dict[str, Any] | None, *, dscr: float | None, debt_to_asset: float | None,
    own_balance: float, amber_flags: list[str], t: CreditThresholds,
) -> CreditPlan:
    if conclusion in ("decline", "return"):
        return CreditPlan(offered=False, reason=conclusion, own_balance=own_balance)
    fin = latest or {}
    rev, tp, ie, dep = (_f(fin, k) for k in ("revenue", "total_profit", "interest_expense", "depreciation"))
    std, ltd = _f(fin, "short_term_debt"), _f(fin, "long_term_debt")
    if None in (rev, tp, ie, dep, std, ltd):
        return CreditPlan(offered=False, reason="no_data", own_balance=own_balance)
    ebitda = tp + ie + dep  # type: ignore[operator]
    debt = std + ltd  # type: ignore[operator]
    need = rev * t.plan_revenue_share  # type: ignore[operator]
    capacity = ebitda * t.plan_ebitda_multiple - debt + own_balance
    amount = math.floor(min(need, capacity) / t.plan_round_yuan) * t.plan_round_yuan
    base = CreditPlan(offered=False, reason="no_capacity", need=need, capacity=capacity, ebitda=ebitda,
                      interest_bearing_debt=debt, own_balance=own_balance)
    if amount <= 0:
        return base
    spread = t.plan_spread_pass if conclusion == "pass" else t.plan_spread_conditional
    weak = dscr is not None and dscr < t.dscr_amber
    guarantees = ["controller_guarantee"]
    if conclusion != "pass" or (debt_to_asset is not None and debt_to_asset > t.debt_to_asset_amber):
        guarantees.append("collateral")
    return base.model_copy(update=dict(
        offered=True, reason="", amount=amount, term_months=t.plan_term_months_weak if weak else t.plan_term_months,
        rate=t.plan_lpr_1y + spread, spread=spread, guarantees=guarantees,
        conditions=[*dict.fromkeys(amber_flags), "entrusted_payment", "quarterly_statements"],
    ))


STRESS_SHOCKS = (0.0, -0.10, -0.20, -0.30)


def dscr_stress(latest: dict[str, Any] | None, shocks: tuple[float, ...] = STRESS_SHOCKS) -> list[tuple[float, float | None]]:
    """DSCR when revenue moves by each shock with the gross margin unchanged and other costs fixed
    (EBITDA moves by shock × gross profit), the ``analytics.corporate`` definition; None without data."""
    fin = latest or {}
    vals = [_f(fin, k) for k in ("total_profit", "interest_expense", "depreciation", "principal_due_next_year",
                                 "revenue", "cogs")]
    out: list[tuple[float, float | None]] = []
    for s in shocks:
        nums = [v for v in vals if v is not None]
        if len(nums) < len(vals) or nums[1] + nums[3] == 0:
            out.append((s, None))
            continue
        tp, ie, dep, pr, rev, cogs = nums
        out.append((s, (tp + ie + dep + s * (rev - cogs)) / (ie + pr)))
    return out
