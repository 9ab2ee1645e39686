"""The domain's vocabulary shared by every layer: risk scales, asset classes and the default mapping of
product kinds and fund types to asset classes (``analytics.constants`` re-exports them)."""

from __future__ import annotations

from typing import Final

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
