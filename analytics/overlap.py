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
    from analytics.exposures import FundExposures


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
    W, _ = _held(exposures, codes)
    M = np.minimum(W[:, None, :], W[None, :, :]).sum(axis=2)
    return pd.DataFrame(M, index=codes, columns=codes)


def _held(exposures: FundExposures, codes: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(weights restricted to securities any of the funds holds, excluding pooled cash; those columns)."""
    from analytics.exposures import CASH_ID

    W = exposures.weights[exposures.rows(codes)]
    cols = np.nonzero(W.any(axis=0))[0]
    cols = cols[cols != exposures.security_ids.get_loc(CASH_ID)]
    return W[:, cols], cols


def overlap_pairs(exposures: FundExposures, codes: list[str], *, top_shared: int = 5) -> list[OverlapPair]:
    """Every pair of ``codes`` with its score and the shared names, largest score first. All pairs are
    computed in one array operation over the securities any of the funds holds."""
    idx = exposures.rows(codes)
    W, cols = _held(exposures, codes)
    iu, ju = np.triu_indices(len(codes), k=1)
    M = np.minimum(W[iu], W[ju])  # one row per pair: the smaller weight in each security
    scores = M.sum(axis=1)
    counts = (M > 0).sum(axis=1)
    t = min(top_shared, M.shape[1])
    top = np.argpartition(-M, t - 1, axis=1)[:, :t] if t else np.zeros((len(M), 0), dtype=int)
    sec_ids, names = exposures.sec_id_arr[cols], exposures.sec_name[cols]
    out = []
    for p, (i, j) in enumerate(zip(iu, ju, strict=True)):
        ks = sorted((k for k in top[p] if M[p, k] > 0), key=lambda k: (-M[p, k], k))
        shared = [
            SharedName(
                security_id=str(sec_ids[k]),
                name=str(names[k]),
                weight_a=float(W[i, k]),
                weight_b=float(W[j, k]),
            )
            for k in ks
        ]
        out.append(
            OverlapPair(
                fund_a=codes[i],
                fund_b=codes[j],
                score=float(scores[p]),
                shared_count=int(counts[p]),
                shared_top=shared,
                coverage_a=float(exposures.coverage[idx[i]]),
                coverage_b=float(exposures.coverage[idx[j]]),
            )
        )
    return sorted(out, key=lambda p: -p.score)
