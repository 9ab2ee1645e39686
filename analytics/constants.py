"""Constants shared by every analytics module: periods, labels, risk scales, default thresholds.

Keep numbers that a bank may want to change (thresholds, policy mixes) here or in data objects passed in,
never buried in a formula.
"""

from __future__ import annotations

from typing import Final

# Periods per year used for annualisation (empyrical's conventions).
DAILY: Final = 252
WEEKLY: Final = 52
MONTHLY: Final = 12
PERIODS_PER_YEAR: Final = DAILY

# Period-return labels (Chinese fund-sales convention) → calendar offset. "ytd" and "since_inception" are special.
PERIOD_LABELS: Final[dict[str, str]] = {
    "1m": "近1月",
    "3m": "近3月",
    "6m": "近6月",
    "1y": "近1年",
    "ytd": "今年以来",
    "since_inception": "成立以来",
}
PERIOD_MONTHS: Final[dict[str, int]] = {"1m": 1, "3m": 3, "6m": 6, "1y": 12}

# Risk scales, asset classes and their mappings are the domain's vocabulary (core.vocabulary).
from core.vocabulary import (  # noqa: E402,F401
    ASSET_CLASSES,
    CLIENT_LEVELS,
    FUND_TYPE_ASSET_CLASS,
    KIND_ASSET_CLASS,
    PRODUCT_LEVELS,
    SECURITY_KIND_ASSET_CLASS,
)

# Look-through recursion guard (feeder → ETF is depth 1, FOF → fund → ... deeper is unusual).
MAX_LOOKTHROUGH_DEPTH: Final = 3

# Tolerance for sum-to-one checks on weights.
WEIGHT_TOL: Final = 1e-9
