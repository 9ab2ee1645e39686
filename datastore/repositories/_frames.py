"""Shared helper: run a SELECT and return a DataFrame with the schema's column names.

Date columns hold ``datetime.date`` objects (as in the schema); NULL floats become NaN, NULL strings
None. Callers that need a time index convert with ``pd.to_datetime``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd
from sqlalchemy import Engine
from sqlalchemy.sql.base import Executable


def read_frame(engine: Engine, stmt: Executable, columns: Sequence[str] | None = None) -> pd.DataFrame:
    with engine.connect() as conn:
        result = conn.execute(stmt)
        cols = list(columns) if columns is not None else list(result.keys())
        # Plain tuples: pandas probes each Row for ``.dtype`` first, and a SQLAlchemy Row answers an unknown
        # attribute by raising internally (a NAV read of 20,000 rows spent 2/3 of its time there). pandas
        # then builds the frame from ``tuple(row)`` anyway, so the result is the same.
        return pd.DataFrame([tuple(r) for r in result.fetchall()], columns=cols)


def as_list(values: str | Iterable[str] | None) -> list[str] | None:
    """Accept one id or many; None means "no filter"."""
    if values is None:
        return None
    if isinstance(values, str):
        return [values]
    return [str(v) for v in values]


def model_columns(model: Any) -> list[Any]:
    return list(model.__table__.columns)
