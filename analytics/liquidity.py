"""Idle cash: the one definition every caller uses (book scan, proposal diagnosis, health score).

Idle cash = current-account balance − ``idle_cash_months`` × monthly expenses, and only counts as idle
when that excess is above ``idle_cash_min`` (yuan)::

    >>> idle_cash(np.array([300_000.0, 60_000.0]), np.array([20_000.0, 20_000.0]), LiquidityRules())
    array([180000.,      0.])
"""

from __future__ import annotations

import numpy as np

from core.policy import LiquidityRules


def idle_cash(balance: np.ndarray | float, monthly_expense: np.ndarray | float, rules: LiquidityRules) -> np.ndarray:
    """Excess cash per client (0 where not idle). Works on scalars and arrays alike."""
    bal = np.asarray(balance, dtype=float)
    need = np.asarray(monthly_expense, dtype=float) * rules.idle_cash_months
    excess = bal - need
    return np.where(excess > rules.idle_cash_min, excess, 0.0)
