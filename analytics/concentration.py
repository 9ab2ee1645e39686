"""Concentration: Herfindahl–Hirschman index and limit flags at each layer (client → fund → manager → company).

Limits are policy (``core.policy.ConcentrationLimits``, re-exported here), passed in, never constants.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel

from core.policy import ConcentrationLimits  # noqa: F401  (re-export)

Layer = Literal["product", "fund", "manager", "company", "security", "industry"]


class ConcentrationFlag(BaseModel):
    """One breach: ``share`` of ``basis`` held in ``key`` exceeds ``threshold``.

    ``reason`` is the English sentence; ``reason_code`` names the wording so a renderer can say the same
    per language from this flag's own fields (name, share, basis, threshold)."""

    layer: Layer
    key: str
    name: str
    share: float
    threshold: float
    basis: str  # what the share is of: "client assets", "equity exposure", "fund assets", "fund NAV"
    reason: str
    reason_code: str = "over_limit"


def hhi(weights: pd.Series | np.ndarray) -> float:
    """Herfindahl–Hirschman index Σ s_i² of the weights normalised to sum 1 (1/n … 1). 0 for an empty or
    all-zero input. Negative weights are not meaningful here and are dropped."""
    w = np.asarray(weights, dtype=float)
    w = w[w > 0]
    total = w.sum()
    if total <= 0:
        return 0.0
    s = w / total
    return float(np.sum(s * s))


def hhi_by_group(values: pd.Series, groups: pd.Series) -> pd.Series:
    """Vectorised HHI per group (e.g. per client): ``values`` and ``groups`` are aligned Series of
    (position value, client id). Returns Series group → HHI."""
    v = values.clip(lower=0).astype(float)
    tot = v.groupby(groups.to_numpy()).transform("sum")
    s2 = (v / tot.where(tot > 0)) ** 2
    return s2.groupby(groups.to_numpy()).sum()


def flags_over(
    shares: pd.Series | Mapping[str, float],
    names: pd.Series | Mapping[str, str] | None,
    *,
    layer: Layer,
    threshold: float,
    basis: str,
) -> list[ConcentrationFlag]:
    """One flag per key whose share exceeds ``threshold`` (largest first). ``shares``: key → share."""
    items = shares.items() if isinstance(shares, pd.Series) else shares.items()
    over = sorted(((str(k), float(v)) for k, v in items if v > threshold), key=lambda kv: -kv[1])
    name_of = {str(k): str(n) for k, n in (names.items() if names is not None else ())}
    out = []
    for k, v in over:
        name = name_of.get(k, k)
        out.append(
            ConcentrationFlag(
                layer=layer,
                key=k,
                name=name,
                share=v,
                threshold=threshold,
                basis=basis,
                reason=f"{name} is {v:.1%} of {basis} (limit {threshold:.0%})",
            )
        )
    return out
