"""Portfolio simulation shared by all fund types: target weights at rebalance days, drift in between.

Between two rebalance days r_k < t ≤ r_{k+1} a position worth w_i at the close of r_k is worth
w_i·P_i,t/P_i,r_k, so the gross daily return is exactly Σ_i w_i,t−1·r_i,t with weights drifting with
prices. That is the identity the NAV–holdings consistency test checks.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def simulate(prices: pd.DataFrame, targets: dict[int, pd.Series], start: int) -> np.ndarray:
    """Gross daily returns (length = len(prices), zeros before and on ``start``).

    prices: date × instrument price levels (no NaN where held).
    targets: rebalance day position → weights by instrument (summing to 1, cash sleeve included),
    applied at the close of that day; must contain ``start``.
    """
    n = len(prices)
    gross = np.zeros(n)
    days = sorted(targets)
    for k, r in enumerate(days):
        end = days[k + 1] if k + 1 < len(days) else n - 1
        if end <= r:
            continue
        w = targets[r]
        block = prices[w.index].to_numpy()[r : end + 1]
        value = (block / block[0]) @ w.to_numpy()
        gross[r + 1 : end + 1] = value[1:] / value[:-1] - 1
    gross[: start + 1] = 0.0
    return gross


def cap_weights(w: pd.Series, cap: float) -> pd.Series:
    """Scale ``w`` so no element exceeds ``cap``, redistributing the excess pro rata over the rest
    (the CSRC 10%-of-NAV single-stock rule). The total is unchanged."""
    x = w.to_numpy(dtype=float).copy()
    for _ in range(20):
        over = x > cap
        if not over.any():
            break
        excess = float((x[over] - cap).sum())
        x[over] = cap
        free = x < cap
        x[free] += excess * x[free] / x[free].sum()
    return pd.Series(x, index=w.index)


class StylePicker:
    """One stock-picking process: persistent scores that evolve each quarter (gives realistic turnover)."""

    def __init__(self, rng: np.random.Generator, candidates: pd.Series, tilt: tuple[str, ...]):
        # candidates: security id → industry code (or market for foreign stocks)
        self.rng = rng
        self.ids = candidates.index
        boost = np.where(candidates.isin(tilt).to_numpy(), 6.0, 1.0) if tilt else np.ones(len(candidates))
        self.base = boost
        self.score = np.exp(rng.normal(0, 0.8, len(candidates)))

    def step(self) -> None:
        self.score *= np.exp(self.rng.normal(0, 0.30, len(self.score)))

    def weights(self, n: int, share: float) -> pd.Series:
        s = pd.Series(self.score * self.base, index=self.ids).nlargest(n)
        w = s**1.3
        return cap_weights(w / w.sum() * share, 0.095)
