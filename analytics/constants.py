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

# Risk scales: client tolerance C1..C5, product rating R1..R5. Suitable when R ≤ C.
CLIENT_LEVELS: Final = ("C1", "C2", "C3", "C4", "C5")
PRODUCT_LEVELS: Final = ("R1", "R2", "R3", "R4", "R5")

# Asset classes used across allocation, look-through and attribution.
ASSET_CLASSES: Final = ("cash", "fixed_income", "equity", "alternative", "protection")

# Default product-kind → asset class for non-fund products (the product row's asset_class overrides).
KIND_ASSET_CLASS: Final[dict[str, str]] = {
    "wmp": "fixed_income",
    "deposit": "cash",
    "insurance": "protection",
}

# Fund type → asset class when a fund has no usable disclosure (used only as a fallback classification).
FUND_TYPE_ASSET_CLASS: Final[dict[str, str]] = {
    "equity": "equity",
    "index": "equity",
    "hybrid": "equity",
    "qdii": "equity",
    "bond": "fixed_income",
    "money": "cash",
}

# Security kind → asset class for looked-through holdings.
SECURITY_KIND_ASSET_CLASS: Final[dict[str, str]] = {"stock": "equity", "bond": "fixed_income", "cash": "cash"}

# Look-through recursion guard (feeder → ETF is depth 1, FOF → fund → ... deeper is unusual).
MAX_LOOKTHROUGH_DEPTH: Final = 3

# Tolerance for sum-to-one checks on weights.
WEIGHT_TOL: Final = 1e-9
