"""Input checks shared by the return-series statistics: every bad input becomes ``InvalidInput`` naming the
argument (empty series, missing values, unsorted or duplicated dates, non-positive periods per year)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from analytics.errors import InvalidInput


def _check_series(x: object, field: str, *, min_len: int = 1) -> pd.Series:
    if not isinstance(x, pd.Series):
        raise InvalidInput(f"expected a pandas Series, got {type(x).__name__}", field=field)
    if len(x) < min_len:
        raise InvalidInput(
            f"needs at least {min_len} observation(s), got {len(x)}",
            field=field,
            hint="pass a longer history",
        )
    values = pd.to_numeric(x, errors="coerce")
    if values.isna().any():
        first = values[values.isna()].index[0]
        raise InvalidInput(
            f"contains a missing/non-numeric value at {first!r}",
            field=field,
            hint="drop or fill gaps before computing statistics",
        )
    idx = x.index
    if isinstance(idx, pd.DatetimeIndex) or (len(idx) and isinstance(idx[0], date)):
        if not idx.is_monotonic_increasing:
            raise InvalidInput("dates are not sorted ascending", field=field, hint="sort by date first")
        if not idx.is_unique:
            raise InvalidInput("dates are duplicated", field=field, hint="keep one row per date")
    return values.astype(float)


def _check_ppy(periods_per_year: float) -> float:
    if not periods_per_year or periods_per_year <= 0:
        raise InvalidInput("must be positive", field="periods_per_year", hint="252 for daily data")
    return float(periods_per_year)


def _aligned(returns: pd.Series, other: pd.Series, other_field: str) -> tuple[np.ndarray, np.ndarray]:
    r = _check_series(returns, "returns", min_len=2)
    b = _check_series(other, other_field, min_len=2)
    if len(r) == len(b) and r.index.equals(b.index):
        return r.to_numpy(), b.to_numpy()
    joined = pd.concat([r.rename("r"), b.rename("b")], axis=1, join="inner")
    if len(joined) < 2:
        raise InvalidInput(
            "shares fewer than 2 dates with returns",
            field=other_field,
            hint="align the benchmark to the same dates",
        )
    return joined["r"].to_numpy(), joined["b"].to_numpy()


def _risk_free(risk_free: float | pd.Series, r: pd.Series) -> np.ndarray | float:
    if isinstance(risk_free, pd.Series):
        rf = _check_series(risk_free, "risk_free").reindex(r.index)
        if rf.isna().any():
            raise InvalidInput("does not cover every return date", field="risk_free")
        return rf.to_numpy()
    return float(risk_free)
