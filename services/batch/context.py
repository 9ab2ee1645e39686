"""What every partition of a batch run shares: the as-of date, the policy, the product shelf and the fund
exposures of that date. Built once on the driver and broadcast (Spark) or passed (local engine).

``BatchContext`` is a plain picklable dataclass: numpy arrays and small frames (a few hundred funds ×
a few thousand securities), so one copy per executor is cheap and no partition recomputes exposures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from analytics.exposures import FundExposures
from analytics.inputs import require_columns
from core.policy import DEFAULT_POLICY, Policy
from services import loading

KINDS = ("book-scan", "lookthrough", "reports")
PRODUCT_COLUMNS = ("code", "name", "kind", "fund_code", "asset_class", "risk_level", "maturity_date")


@dataclass(frozen=True)
class BatchContext:
    """Shared, read-only inputs of one run (one as-of date)."""

    as_of: date
    products: pd.DataFrame  # the whole shelf: code, name, kind, fund_code, asset_class, risk_level, maturity_date …
    funds: pd.DataFrame  # code, manager_id
    exposures: FundExposures
    fund_equity: pd.Series  # fund_code → equity share of NAV
    fund_industry: pd.DataFrame  # fund_code × industry code
    industry_names: dict[str, str]
    policy: Policy = DEFAULT_POLICY
    top_n: int = 10  # security lines per client in exposures.parquet
    maturing_days: int | None = None  # book scan window (None: policy.alerts.maturity_alert_days)
    # reports only: where the executors find the database and write the files
    database_url: str | None = None
    reports_dir: str | None = None
    lang: str = "zh"
    product_codes: frozenset[str] = field(default=frozenset(), repr=False)

    @classmethod
    def build(cls, *, as_of: date, products: pd.DataFrame, funds: pd.DataFrame, exposures: FundExposures,
              policy: Policy = DEFAULT_POLICY, **options: object) -> BatchContext:
        require_columns(products, PRODUCT_COLUMNS, "products")
        require_columns(funds, ("code", "manager_id"), "funds")
        return cls(
            as_of=as_of, products=products.reset_index(drop=True), funds=funds[["code", "manager_id"]],
            exposures=exposures, fund_equity=loading.fund_equity(exposures),
            fund_industry=loading.fund_industry(exposures), industry_names=dict(exposures.industry_names),
            policy=policy, product_codes=frozenset(products["code"].astype(str)), **options,  # type: ignore[arg-type]
        )
