"""The bank's policy: every threshold, limit and target a business rule uses, in one value.

``Policy`` is built once at an entry point (``Policy.from_settings(settings)``) and passed down as a value:
services hand its sections to the pure analytics functions, which take them as arguments. No module keeps
a policy number as a constant. The defaults are the example policy of ``reference/domain.md``;
``docs/policy.md`` lists every value, the setting that changes it and every consumer.

Where two uses need different numbers they are two named fields with the reason next to them (e.g. the
30-day maturity alert of the book scan vs the 90-day maturity review window of a proposal).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from core.errors import InvalidInput

_DEFAULT_MIX = {  # growth-pot mix per client risk level: cash / fixed income / equity / alternatives
    "C1": {"cash": 0.20, "fixed_income": 0.75, "equity": 0.00, "alternative": 0.05},
    "C2": {"cash": 0.15, "fixed_income": 0.65, "equity": 0.15, "alternative": 0.05},
    "C3": {"cash": 0.10, "fixed_income": 0.50, "equity": 0.35, "alternative": 0.05},
    "C4": {"cash": 0.05, "fixed_income": 0.35, "equity": 0.55, "alternative": 0.05},
    "C5": {"cash": 0.05, "fixed_income": 0.20, "equity": 0.70, "alternative": 0.05},
}

_FROZEN = ConfigDict(frozen=True, extra="forbid")


class SuitabilityRules(BaseModel):
    """适当性: who may buy what."""

    model_config = _FROZEN
    assessment_valid_days: int = Field(default=365, ge=1, description="a risk assessment older than this blocks sales")
    elderly_age: int = Field(default=70, ge=50, le=120, description="clients this old or older follow the elderly rule")
    elderly_min_product_level: int = Field(default=3, ge=1, le=5, description="…when buying R<this> or above, which needs 双录 (recorded sale)"
    )


class ConcentrationLimits(BaseModel):
    """Thresholds (fractions) above which a concentration finding is raised, in look-through, the book scan
    and the proposal alike."""

    model_config = _FROZEN
    product_of_client: float = Field(default=0.30, gt=0, le=1, description="one product's share of the client's assets")
    exempt_kinds: tuple[str, ...] = Field(default=("deposit", "insurance"), description="product kinds (and the cash/protection classes) never flagged as "
        "single-product concentration: a deposit or a policy carries no market risk to concentrate"
    )
    fund_top10_of_nav: float = Field(default=0.60, gt=0, le=1, description="a held fund's top-10 holdings share of NAV")
    manager_of_equity: float = Field(default=0.30, gt=0, le=1, description="one fund manager's share of equity exposure")
    manager_min_funds: int = Field(default=3, ge=1, description="the book scan flags manager concentration only with at least this many equity funds"
    )
    company_of_funds: float = Field(default=0.50, gt=0, le=1, description="one fund company's share of fund assets")
    security_of_client: float = Field(default=0.10, gt=0, le=1, description="one underlying security's share of assets")
    industry_of_equity: float = Field(default=0.40, gt=0, le=1, description="one Shenwan L1 industry's share of equity")


class LiquidityRules(BaseModel):
    """The liquidity pot and idle cash (one definition: cash above ``idle_cash_months`` of expenses)."""

    model_config = _FROZEN
    liquidity_months: tuple[float, float] = (3.0, 6.0)  # band of monthly expenses the liquidity pot holds
    idle_cash_months: float = Field(default=6.0, ge=0, description="cash above this many months of expenses is idle")
    idle_cash_min: float = Field(default=50_000.0, ge=0, description="…and idle only when the excess is above this (yuan)")


class AllocationRules(BaseModel):
    """Target mixes per risk level and the rebalancing band."""

    model_config = _FROZEN
    target_mix: dict[str, dict[str, float]] = Field(
        default_factory=lambda: {k: dict(v) for k, v in _DEFAULT_MIX.items()}
    )
    protection_share: float = Field(default=0.10, ge=0, le=1, description="share of assets for the protection pot")
    rebalance_band: float = Field(default=0.03, ge=0, le=1, description="gaps below this share of assets are left alone")

    @field_validator("target_mix")
    @classmethod
    def _mixes_sum_to_one(cls, v: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
        for level, mix in v.items():
            if abs(sum(mix.values()) - 1.0) > 1e-9:
                raise InvalidInput(f"target mix for {level} sums to {sum(mix.values())}", field="target_mix")
        return v


class AlertRules(BaseModel):
    """Follow-up windows and loss thresholds."""

    model_config = _FROZEN
    loss_threshold: float = Field(default=0.10, gt=0, lt=1, description="a loss beyond this share of cost is a finding (client in the book scan, "
        "position in the proposal)"
    )
    maturity_alert_days: int = Field(default=30, ge=1, description="book scan: holdings maturing within this many days need a call now"
    )
    maturity_review_days: int = Field(default=90, ge=1, description="proposal: maturities within this window are planned for (a proposal looks further "
        "ahead than today's call list)"
    )
    review_months: int = Field(default=6, ge=1, le=24, description="proposal: the next review (定期检视) is this many "
        "months after the data date")


class ProductRules(BaseModel):
    """What the shelf may offer."""

    model_config = _FROZEN
    reinvestment_horizon_days: int = Field(default=365, ge=1, description="default holding horizon when the RM states none (\"放一年\")"
    )
    min_remaining_term_days: int = Field(default=90, ge=0, description="a product maturing sooner than this is not offered for new money"
    )


class MarketAssumptions(BaseModel):
    """Modelling assumptions (backtests and class returns), not data."""

    model_config = _FROZEN
    deposit_rate: float = Field(default=0.015, ge=0, lt=1, description="cash class return per year")
    alternative_equity_share: float = Field(default=0.5, ge=0, le=1, description="alternatives modelled as this share of the equity index, rest bonds"
    )
    backtest_years: int = Field(default=3, ge=1, le=10)
    equity_index: str = "000300"
    bond_index: str = "CBA00101"


class CreditThresholds(BaseModel):
    """Due-diligence rule thresholds."""

    model_config = _FROZEN
    dscr_red: float = 1.0
    dscr_amber: float = 1.2
    dscr_stressed_amber: float = 1.0
    debt_to_asset_amber: float = 0.70
    debt_to_asset_red: float = 0.85
    interest_coverage_amber: float = 2.0
    interest_coverage_red: float = 1.0
    cfo_to_net_profit_amber: float = 0.5
    current_ratio_amber: float = 1.0
    revenue_decline_amber: float = -0.20
    pledge_amber: float = 0.5
    overdue_amber_days: int = 30
    overdue_red_days: int = 90
    lawsuit_equity_amber: float = 0.10
    recent_event_days: int = 365
    leverage_jump_amber: float = 0.10
    # beneficial ownership (反洗钱 受益所有人): effective share through the chain at or above this
    ubo_share: float = 0.25
    # plausibility: a ratio whose spread across the years is below this (relative) is "constant"
    constant_ratio_tolerance: float = 0.001
    # 授信方案 rules (reports state them; see analytics.credit_plan)
    plan_revenue_share: float = 0.15  # working-capital need ≈ this share of latest revenue
    plan_ebitda_multiple: float = 2.5  # total interest-bearing debt capacity = EBITDA × this
    plan_round_yuan: float = 1.0e6  # amounts are rounded down to this step
    plan_lpr_1y: float = 0.030  # 1-year LPR used as the pricing base
    plan_spread_pass: float = 0.0030
    plan_spread_conditional: float = 0.0080
    plan_term_months: int = 12
    plan_term_months_weak: int = 6  # when the DSCR is below dscr_amber


class Policy(BaseModel):
    """Every business rule's numbers. Build with ``Policy.from_settings``; pass it down; never mutate."""

    model_config = _FROZEN
    suitability: SuitabilityRules = Field(default_factory=SuitabilityRules)
    concentration: ConcentrationLimits = Field(default_factory=ConcentrationLimits)
    liquidity: LiquidityRules = Field(default_factory=LiquidityRules)
    allocation: AllocationRules = Field(default_factory=AllocationRules)
    alerts: AlertRules = Field(default_factory=AlertRules)
    products: ProductRules = Field(default_factory=ProductRules)
    market: MarketAssumptions = Field(default_factory=MarketAssumptions)
    credit: CreditThresholds = Field(default_factory=CreditThresholds)

    @classmethod
    def from_settings(cls, settings: Any) -> Policy:
        """The policy of a ``Settings`` object (duck-typed: core does not import the settings module)."""
        sections: dict[str, dict[str, Any]] = {}
        for setting, (section, field) in SETTING_FIELDS.items():
            value = getattr(settings, setting, None)
            if value is not None:
                sections.setdefault(section, {})[field] = value
        return cls(**{name: _SECTIONS[name](**vals) for name, vals in sections.items()})

    def replace(self, **changes: dict[str, Any]) -> Policy:
        """A copy with some fields of some sections changed: ``policy.replace(alerts={"loss_threshold": .2})``."""
        sections = {k: type(getattr(self, k)).model_validate({**getattr(self, k).model_dump(), **v})
                    for k, v in changes.items()}
        return self.model_copy(update=sections)


_SECTIONS: dict[str, type[BaseModel]] = {
    "suitability": SuitabilityRules,
    "concentration": ConcentrationLimits,
    "liquidity": LiquidityRules,
    "allocation": AllocationRules,
    "alerts": AlertRules,
    "products": ProductRules,
    "market": MarketAssumptions,
    "credit": CreditThresholds,
}

# WEALTHDESK_<SETTING> → where it lands in the policy.
SETTING_FIELDS: dict[str, tuple[str, str]] = {
    "risk_assessment_valid_days": ("suitability", "assessment_valid_days"),
    "elderly_age": ("suitability", "elderly_age"),
    "single_product_limit": ("concentration", "product_of_client"),
    "industry_limit": ("concentration", "industry_of_equity"),
    "manager_limit": ("concentration", "manager_of_equity"),
    "idle_cash_months": ("liquidity", "idle_cash_months"),
    "idle_cash_min": ("liquidity", "idle_cash_min"),
    "loss_alert_threshold": ("alerts", "loss_threshold"),
    "maturity_alert_days": ("alerts", "maturity_alert_days"),
    "maturity_review_days": ("alerts", "maturity_review_days"),
    "reinvestment_horizon_days": ("products", "reinvestment_horizon_days"),
    "min_remaining_term_days": ("products", "min_remaining_term_days"),
    "deposit_rate": ("market", "deposit_rate"),
}

DEFAULT_POLICY = Policy()
