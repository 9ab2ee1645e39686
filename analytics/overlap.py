"""Fund overlap: the symmetric common-holdings score Σ_s min(w_A,s, w_B,s), with shared names and coverage.

Computed on completed look-through vectors (so a feeder is compared through its ETF). Pooled fund cash
is excluded: two funds holding cash do not "overlap". The score is a lower bound when coverage < 1.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from pydantic import BaseModel

from analytics.errors import InvalidInput

if TYPE_CHECKING:
    from analytics.lookthrough import FundExposures


class SharedName(BaseModel):
    security_id: str
    name: str
    weight_a: float
    weight_b: float


class OverlapPair(BaseModel):
    fund_a: str
    fund_b: str
    score: float  # Σ min(w_A, w_B), share of NAV
    shared_count: int
    shared_top: list[SharedName]  # largest min-weights first
    coverage_a: float  # share of A's NAV looked through (the score cannot see the rest)
    coverage_b: float


def common_holdings_score(wa: pd.Series, wb: pd.Series) -> tuple[float, list[str]]:
    """Σ min over the securities both hold, and those security ids (largest min first).

    ``wa``, ``wb``: security id → weight (fraction of NAV)::

        common_holdings_score(pd.Series({"A": .05, "B": .03}), pd.Series({"A": .02, "C": .04}))  # (0.02, ["A"])
    """
    for s, f in ((wa, "wa"), (wb, "wb")):
        if not isinstance(s, pd.Series) or s.isna().any() or (s < 0).any():
            raise InvalidInput("expected a Series of non-negative weights", field=f)
    both = wa.index.intersection(wb.index)
    m = np.minimum(wa.reindex(both).to_numpy(), wb.reindex(both).to_numpy())
    keep = m > 0
    order = np.argsort(-m[keep])
    return float(m[keep].sum()), [str(x) for x in both[keep][order]]


def overlap_matrix(exposures: FundExposures, codes: list[str]) -> pd.DataFrame:
    """Symmetric fund × fund matrix of Σ min scores (diagonal = each fund's coverage excluding cash)."""
    from analytics.lookthrough import CASH_ID

    idx = exposures.rows(codes)
    W = exposures.weights[idx].copy()
    W[:, exposures.security_ids.get_loc(CASH_ID)] = 0.0
    M = np.minimum(W[:, None, :], W[None, :, :]).sum(axis=2)
    return pd.DataFrame(M, index=codes, columns=codes)


def overlap_pairs(exposures: FundExposures, codes: list[str], *, top_shared: int = 5) -> list[OverlapPair]:
    """Every pair of ``codes`` with its score and the shared names, largest score first."""
    from analytics.lookthrough import CASH_ID

    idx = exposures.rows(codes)
    W = exposures.weights[idx].copy()
    W[:, exposures.security_ids.get_loc(CASH_ID)] = 0.0
    out = []
    for i in range(len(codes)):
        for j in range(i + 1, len(codes)):
            m = np.minimum(W[i], W[j])
            nz = np.nonzero(m)[0]
            top = nz[np.argsort(-m[nz])][:top_shared]
            out.append(
                OverlapPair(
                    fund_a=codes[i],
                    fund_b=codes[j],
                    score=float(m.sum()),
                    shared_count=len(nz),
                    shared_top=[
                        SharedName(
                            security_id=str(exposures.security_ids[k]),
                            name=str(exposures.sec_name[k]),
                            weight_a=float(W[i, k]),
                            weight_b=float(W[j, k]),
                        )
                        for k in top
                    ],
                    coverage_a=float(exposures.coverage[idx[i]]),
                    coverage_b=float(exposures.coverage[idx[j]]),
                )
            )
    return sorted(out, key=lambda p: -p.score)
