"""Corporate-side reads: registration, shareholders, financial statements, risk events, credit.

Each function takes an ``Engine`` and returns a DataFrame with the schema's column names (or a dict for
one registration record). Missing statement items stay NaN — never 0 — so analytics can mark them.
"""

from __future__ import annotations

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
