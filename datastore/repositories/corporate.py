"""Corporate-side reads: registration, shareholders, financial statements, risk events, credit.

Each function takes an ``Engine`` and returns a DataFrame with the schema's column names (or a dict for
one registration record). Missing statement items stay NaN — never 0 — so analytics can mark them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import Engine, or_, select
from sqlalchemy.orm import Session

from datastore.schema import (
    Corporate,
    CorporateCredit,
    CorporateFinancial,
    CorporateRiskEvent,
    CorporateShareholder,
    Industry,
)


def _frame(engine: Engine, model: Any, corporate_id: str, order: list[Any]) -> pd.DataFrame:
    cols = [c.name for c in model.__table__.columns]
    with Session(engine) as s:
        rows = s.execute(
            select(model.__table__).where(model.corporate_id == corporate_id).order_by(*order)
        ).all()
    return pd.DataFrame([tuple(r) for r in rows], columns=cols)


def find_corporate(engine: Engine, name_or_id: str) -> dict[str, Any] | None:
    """Registration record by id (``E001``), exact name or credit code; then a unique partial name match.

    ``{"id", "name", "credit_code", "legal_rep", "registered_capital", "founded", "industry_code",
    "industry", "status", "address", "business_scope", "listed"}`` or None.
    """
    key = name_or_id.strip()
    cols = [c for c in Corporate.__table__.columns]
    q = select(*cols, Industry.name.label("industry")).join(
        Industry, Industry.code == Corporate.industry_code, isouter=True
    )
    with Session(engine) as s:
        row = s.execute(
            q.where(
                or_(Corporate.id == key.upper(), Corporate.name == key, Corporate.credit_code == key.upper())
            )
        ).first()
        if row is None and key:
            rows = s.execute(q.where(Corporate.name.contains(key))).all()
            row = rows[0] if len(rows) == 1 else None
    return dict(row._mapping) if row is not None else None


def corporate_financials(engine: Engine, corporate_id: str) -> pd.DataFrame:
    """One row per fiscal year, ascending; NaN where not reported."""
    df = _frame(engine, CorporateFinancial, corporate_id, [CorporateFinancial.year])
    num = [c for c in df.columns if c not in ("corporate_id", "year")]
    df[num] = df[num].astype(float)
    return df


def corporate_shareholders(engine: Engine, corporate_id: str) -> pd.DataFrame:
    return _frame(engine, CorporateShareholder, corporate_id, [CorporateShareholder.share.desc()])


def corporate_risk_events(engine: Engine, corporate_id: str) -> pd.DataFrame:
    return _frame(engine, CorporateRiskEvent, corporate_id, [CorporateRiskEvent.date, CorporateRiskEvent.id])


def corporate_credit(engine: Engine, corporate_id: str) -> pd.DataFrame:
    return _frame(engine, CorporateCredit, corporate_id, [CorporateCredit.start_date, CorporateCredit.id])


def list_corporates(engine: Engine) -> pd.DataFrame:
    """All corporates (schema columns), by id."""
    cols = list(Corporate.__table__.columns)
    with Session(engine) as s:
        rows = s.execute(select(*cols).order_by(Corporate.id)).all()
    return pd.DataFrame([tuple(r) for r in rows], columns=[c.name for c in cols])


def search_corporates(engine: Engine, text: str) -> pd.DataFrame:
    """Corporates whose id, credit code or name equals ``text``, else whose name contains it (all matches,
    by id). Use ``find_corporate`` when exactly one answer is needed."""
    key = text.strip()
    df = list_corporates(engine)
    exact = df[(df["id"] == key.upper()) | (df["name"] == key) | (df["credit_code"] == key.upper())]
    if not exact.empty or not key:
        return exact.reset_index(drop=True)
    return df[df["name"].str.contains(key, regex=False)].reset_index(drop=True)


@dataclass(frozen=True)
class CorporateFrames:
    """Everything known about one corporate: ``profile`` (the ``find_corporate`` dict) and its frames."""

    profile: dict[str, Any]
    financials: pd.DataFrame
    shareholders: pd.DataFrame
    risk_events: pd.DataFrame
    credit: pd.DataFrame


def corporate_frames(engine: Engine, corporate_id: str) -> CorporateFrames:
    """All frames of one corporate; raises ``NotFound`` for an unknown id or name."""
    from core.errors import NotFound

    profile = find_corporate(engine, corporate_id)
    if profile is None:
        raise NotFound(f"no corporate {corporate_id!r}", field="company", hint="use an id like E001 or the full name")
    cid = profile["id"]
    return CorporateFrames(profile=profile, financials=corporate_financials(engine, cid),
                           shareholders=corporate_shareholders(engine, cid),
                           risk_events=corporate_risk_events(engine, cid), credit=corporate_credit(engine, cid))
